import type { Report, Rule, RuleContext, TextEdit } from '../core/types';
import { edit, replaceScalar, scalarReplacement } from './edit';
import { environmentOf, hasInterpolation, type ComposeModel, type ComposeService, type EnvEntry } from './model';

export const rule: Rule<ComposeModel> = {
  id: 'compose/openwebui-auth-disabled',
  format: 'compose',
  severity: 'error',
  summary: "Open WebUI's login is turned off (WEBUI_AUTH not true)",
  check(model, ctx) {
    const reports: Report[] = [];
    for (const service of model.services) {
      for (const entry of authOffEntries(service, ctx.text)) {
        const node = entry.node!;
        const start = entry.form === 'list' ? node.span[0] : entry.nameSpan[0];
        reports.push({
          range: ctx.range(start, node.span[1]),
          message: `WEBUI_AUTH=${entry.value} turns off Open WebUI's login in "${service.name}": anyone who reaches it is an admin, can use every model and read every chat.`,
          fixes: [{ title: 'Set WEBUI_AUTH to True', edits: [setTrue(ctx, entry)], preferred: true }],
        });
      }
    }
    return reports;
  },
};

/** The `WEBUI_AUTH` entries that turn the login off (also the deployment facts' `authOff`). */
export function authOffEntries(service: ComposeService, text: string): EnvEntry[] {
  // Open WebUI reads `WEBUI_AUTH.lower() == "true"`: every other literal, empty included, disables auth.
  return environmentOf(service.node, text).filter((e) => e.name === 'WEBUI_AUTH' && e.node && e.value !== undefined && !hasInterpolation(e.value) && e.value.toLowerCase() !== 'true');
}

function setTrue(ctx: RuleContext, entry: EnvEntry): TextEdit {
  const node = entry.node!;
  // Map form: a plain True would be a YAML boolean, which compose rejects as an environment value.
  if (entry.form === 'map') return replaceScalar(ctx, node, 'True');
  const [start, end] = entry.valueSpan!;
  const exact = start !== node.span[0] || end !== node.span[1];
  return exact ? edit(ctx, start, end, 'True') : edit(ctx, node.span[0], node.span[1], scalarReplacement(node, `${entry.name}=True`));
}
