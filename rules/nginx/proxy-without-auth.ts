import type { Report, Rule } from '../core/types';
import type { RuleContext } from '../core/types';
import { authIn, enclosingAcross, holder, knownTargets, listens, outerUnknown, scopeChain, type ProxyTarget } from './analysis';
import { insertAfter } from './edit';
import type { Directive, NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/proxy-without-auth',
  format: 'nginx',
  severity: 'warning',
  summary: 'A service with no authentication of its own proxied with no auth in front',
  check(model, ctx) {
    // A fragment of server or location contents: the server around it may authenticate.
    if (outerUnknown(model, ctx)) return [];
    const reports: Report[] = [];
    for (const t of knownTargets(model, ctx.services, (s) => s.noAuth, ctx)) {
      if (authInEffect(model, t.directive, ctx) || internalOnly(model, t, ctx)) continue;
      const { location, anchor } = holder(t);
      reports.push({
        range: ctx.range(t.directive.start, t.directive.end),
        message: `${t.service!.name} has no authentication of its own, and nothing in front of it here asks for any (no auth_basic, auth_request, auth_jwt, "deny all" or header check in effect): anyone who reaches this server can use it.`,
        fixes: location
          ? [
              { title: 'Allow only this host and private networks (allow …; deny all;)', edits: [insertAfter(ctx, anchor, ['allow 127.0.0.1;', 'allow 10.0.0.0/8;', 'allow 172.16.0.0/12;', 'allow 192.168.0.0/16;', 'deny all;'])] },
              { title: 'Require a password (auth_basic; create /etc/nginx/.htpasswd)', edits: [insertAfter(ctx, anchor, ['auth_basic "Restricted";', 'auth_basic_user_file /etc/nginx/.htpasswd;'])] },
            ]
          : [],
      });
    }
    return reports;
  },
};

/** Whether any of nginx's ways of asking the client who it is applies at directive `d` (included files understood with the project). */
export function authInEffect(model: NginxModel, d: Directive, ctx?: RuleContext): boolean {
  return !!authIn(scopeChain(model, d, ctx));
}

/** A location marked `internal`, or a server that only listens on loopback, is not reachable from outside. */
function internalOnly(model: NginxModel, t: ProxyTarget, ctx: RuleContext): boolean {
  const location = enclosingAcross(model, t.directive, 'location', ctx);
  if (location?.block?.children.some((c) => c.name === 'internal')) return true;
  if (location?.args[0]?.value.startsWith('@')) return false;
  const server = enclosingAcross(model, t.directive, 'server', ctx);
  return !!server && listens(server).every((l) => l.address === 'unix' || /^(127\.|localhost$|\[?::1\]?$)/.test(l.address));
}
