import type { Fix, Report, Rule, RuleContext } from '../core/types';
import { insertBefore } from './edit';
import { walk, type CaddyModel, type Directive } from './model';
import { AUTH_DIRECTIVES, describeMatcher, gatedByAccessCheck, lineSpan, pathsCovered, proxies, reachingPaths, upstreamsOf, type Placed, type Scope } from './sites';

export const rule: Rule<CaddyModel> = {
  id: 'caddy/proxy-without-auth',
  format: 'caddy',
  severity: 'warning',
  summary: 'A site proxies a service that has no authentication of its own, with no auth in front',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const { scope, p } of proxies(model)) {
      const upstream = upstreamsOf(p.d, ctx.services).find((u) => u.service?.noAuth);
      // What an imported file brings (an auth snippet, a matcher) is unknown: say nothing then.
      if (!upstream || scope.unknown || gatedByAccessCheck(scope, p.d)) continue;
      const verdict = authFor(scope, p);
      if (verdict.covered) continue;
      const service = upstream.service!.name;
      const what = `reverse_proxy to ${service} (${upstream.token.text}), which has no authentication of its own`;
      const message = verdict.partial
        ? `${what}: ${verdict.partial.name.text} here only covers ${verdict.partialPaths}, so requests to other paths reach ${service} with no authentication.`
        : `${what}, with no basic_auth or forward_auth in effect: anyone who can reach this site can use it.`;
      const at = p.via ?? p.d;
      const [start, end] = lineSpan(at);
      reports.push({ range: ctx.range(start, end), message, fixes: [insertAuth(model, ctx, at)] });
    }
    return reports;
  },
};

interface Verdict {
  covered: boolean;
  partial?: Directive;
  partialPaths?: string;
}

/** Auth in effect for a proxy: in its own scope or an enclosing one (before it, inside a `route`). */
function authFor(scope: Scope, p: Placed): Verdict {
  const paths = reachingPaths(scope, p.d);
  let anchor: Placed = p;
  let partial: Verdict | undefined;
  for (let s: Scope | undefined = scope, depth = scope.chain.length; s; s = s.parent, depth--) {
    const limit = s.ordered ? s.items.indexOf(anchor) : s.items.length;
    for (const item of s.items.slice(0, limit < 0 ? s.items.length : limit)) {
      const name = item.d.name.text;
      const m = describeMatcher(s, item.d);
      if (AUTH_DIRECTIVES.has(name)) {
        if (pathsCovered(paths, m?.paths)) return { covered: true };
        partial ??= { covered: false, partial: item.d, partialPaths: m!.paths!.join(' ') };
      } else if ((name === 'respond' || name === 'abort' || name === 'error') && m?.deniesOthers && pathsCovered(paths, m.paths)) {
        // `respond @outsiders 403` where @outsiders is `not remote_ip …`: only listed clients pass.
        return { covered: true };
      }
    }
    if (depth > 0) anchor = scope.chain[depth - 1];
  }
  return partial ?? { covered: false };
}

function insertAuth(model: CaddyModel, ctx: RuleContext, before: Directive): Fix {
  const name = usesOldName(model) ? 'basicauth' : 'basic_auth';
  return {
    title: `Require a login: insert ${name} with {$AUTH_USER} {$AUTH_HASH}`,
    edits: [insertBefore(ctx, before, [`${name} {`, '\t{$AUTH_USER} {$AUTH_HASH}', '}'])],
    preferred: true,
  };
}

/** A file that still writes `basicauth` is for a Caddy older than 2.8, which knows only that name. */
function usesOldName(model: CaddyModel): boolean {
  let old = false;
  for (const b of model.blocks) walk(b.directives, (d) => (old ||= d.name.text === 'basicauth'));
  return old;
}
