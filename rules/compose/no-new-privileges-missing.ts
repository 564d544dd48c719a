import type { Fix, Report, Rule, RuleContext } from '../core/types';
import { definedHere } from './definition';
import { appendEntry, appendItem } from './edit';
import { hasInterpolation, type ComposeModel, type ComposeService } from './model';

export const rule: Rule<ComposeModel> = {
  id: 'compose/no-new-privileges-missing',
  format: 'compose',
  severity: 'info',
  summary: 'Service may gain privileges through setuid binaries (no-new-privileges not set)',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const service of model.services) {
      if (!definedHere(service) || decided(service)) continue;
      reports.push({
        range: ctx.range(service.nameSpan[0], service.nameSpan[1]),
        message: `"${service.name}" does not set no-new-privileges: a process in it can still become root through a setuid binary. Add security_opt: [no-new-privileges:true].`,
        fixes: fix(service, ctx),
      });
    }
    return reports;
  },
};

/** Set either way: `no-new-privileges[:true]`, or an explicit `:false` (a deliberate choice), or unknown (`${VAR}`). */
function decided(service: ComposeService): boolean {
  const opts = service.node!.get('security_opt')?.value;
  if (opts?.kind !== 'seq') return false;
  return opts.items.some((i) => i.kind === 'scalar' && (hasInterpolation(i.text) || /^no-new-privileges([:=].*)?$/.test(i.text.trim())));
}

function fix(service: ComposeService, ctx: RuleContext): Fix[] {
  const title = 'Add security_opt: no-new-privileges:true';
  const pair = service.node!.get('security_opt');
  if (!pair) {
    const e = appendEntry(ctx, service.node!, ['security_opt:', '  - no-new-privileges:true'], 'security_opt: ["no-new-privileges:true"]');
    return [{ title, edits: [e] }];
  }
  // A list shared through an anchor, or a value that is not a list, is left to the user.
  if (pair.merged || pair.value?.kind !== 'seq') return [];
  return [{ title, edits: [appendItem(ctx, pair.value, 'no-new-privileges:true', '"no-new-privileges:true"')] }];
}
