import type { Fix, Report, Rule } from '../core/types';
import type { Source } from './imports';
import { insertBefore } from './edit';
import { walk, type CaddyModel, type Directive } from './model';
import { anchorOf, authFor, editAnchor, gatedByAccessCheck, lineSpan, onePerPlace, proxies, related, upstreamsOf, writtenAt } from './sites';

export const rule: Rule<CaddyModel> = {
  id: 'caddy/proxy-without-auth',
  format: 'caddy',
  severity: 'warning',
  summary: 'A site proxies a service that has no authentication of its own, with no auth in front',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const { scope, p } of proxies(model, ctx)) {
      const upstream = upstreamsOf(p.d, ctx.services).find((u) => u.service?.noAuth);
      // What an imported file brings (an auth snippet, a matcher) is unknown: say nothing then.
      if (!upstream || scope.unknown || gatedByAccessCheck(scope, p.d)) continue;
      const verdict = authFor(scope, p);
      if (verdict.covered) continue;
      const service = upstream.service!.name;
      const what = `reverse_proxy to ${service} (${upstream.token.text})${writtenAt(p, ctx.file)}, which has no authentication of its own`;
      const message = verdict.partial
        ? `${what}: ${verdict.partial.name.text} here only covers ${verdict.partialPaths}, so requests to other paths reach ${service} with no authentication.`
        : `${what}, with no basic_auth or forward_auth in effect: anyone who can reach this site can use it.`;
      const at = anchorOf(p);
      const [start, end] = lineSpan(at);
      reports.push({ range: ctx.range(start, end), message, fixes: [insertAuth(model, editAnchor(p))], ...related(p) });
    }
    return onePerPlace(reports, ctx.file);
  },
};

/** Above the proxy (or the import that brings it), in the site's body, whichever file that is. */
function insertAuth(model: CaddyModel, at: { d: Directive; source: Source }): Fix {
  const name = usesOldName(model) ? 'basicauth' : 'basic_auth';
  return {
    title: `Require a login: insert ${name} with {$AUTH_USER} {$AUTH_HASH}`,
    edits: [{ ...insertBefore(at.source, at.d, [`${name} {`, '\t{$AUTH_USER} {$AUTH_HASH}', '}']), ...(at.source.root ? {} : { file: at.source.file }) }],
    preferred: true,
  };
}

// Asked once per report: remembered per model, a walk of the whole file each time is quadratic.
const usesOldNameMemo = new WeakMap<CaddyModel, boolean>();

/** A file that still writes `basicauth` is for a Caddy older than 2.8, which knows only that name. */
function usesOldName(model: CaddyModel): boolean {
  const known = usesOldNameMemo.get(model);
  if (known !== undefined) return known;
  let old = false;
  for (const b of model.blocks) walk(b.directives, (d) => (old ||= d.name.text === 'basicauth'));
  usesOldNameMemo.set(model, old);
  return old;
}
