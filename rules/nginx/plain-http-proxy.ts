import type { Fix, Report, Rule } from '../core/types';
import { enclosing, knownTargets, listens } from './analysis';
import { indentUnit, insertAfter, insertAtBlockStart } from './edit';
import type { Directive, NginxModel } from './model';

const REDIRECT = 'return 301 https://$host$request_uri;';

export const rule: Rule<NginxModel> = {
  id: 'nginx/plain-http-proxy',
  format: 'nginx',
  severity: 'warning',
  summary: 'A plain-HTTP server proxies a sensitive service instead of redirecting to HTTPS',
  check(model, ctx) {
    const reports: Report[] = [];
    const seen = new Set<Directive>();
    const hasTlsServer = model.all.some((d) => d.name === 'server' && d.block && listens(d).some((l) => l.ssl));
    for (const t of knownTargets(model, ctx.services, (s) => !s.reverseProxy, ctx)) {
      const server = enclosing(t.directive, 'server');
      if (!server || seen.has(server) || redirects(server)) continue;
      const plain = listens(server).filter((l) => !l.ssl && l.address !== 'unix' && !/^(127\.|localhost$|::1$)/.test(l.address));
      if (!plain.length) continue;
      seen.add(server);
      const mixed = listens(server).some((l) => l.ssl);
      const first = plain[0].directive;
      const children = server.block!.children;
      const lastHead = [...children].reverse().find((c) => c.name === 'listen' || c.name === 'server_name');
      const fixes: Fix[] = [];
      if (mixed) {
        const lines = ['if ($scheme = http) {', `${indentUnit(ctx.text, server)}${REDIRECT}`, '}'];
        fixes.push({ title: 'Redirect plain HTTP to HTTPS', edits: [lastHead ? insertAfter(ctx, lastHead, lines) : insertAtBlockStart(ctx, server, lines)], preferred: true });
      } else {
        fixes.push({ title: 'Redirect to HTTPS (return 301)', edits: [lastHead ? insertAfter(ctx, lastHead, [REDIRECT]) : insertAtBlockStart(ctx, server, [REDIRECT])], preferred: hasTlsServer });
      }
      const where = first ? `listens on plain HTTP (${first.args[0].value})` : 'listens on plain HTTP (port 80, no listen given)';
      reports.push({
        range: first ? ctx.range(first.start, first.end) : ctx.range(server.nameWord.start, server.nameWord.end),
        message: `This server ${where} and proxies ${t.service!.name}: prompts, answers, passwords and API keys cross the network in clear text. Redirect to HTTPS instead.`,
        fixes,
      });
    }
    return reports;
  },
};

/** A server that already sends plain-HTTP clients to HTTPS (`return 301 https://…`, or inside `if ($scheme = http)`). */
function redirects(server: Directive): boolean {
  const isRedirect = (d: Directive) => d.name === 'return' && /^30[1278]$/.test(d.args[0]?.value ?? '') && /^https:/.test(d.args[1]?.value ?? '');
  return server.block!.children.some((c) => isRedirect(c) || (c.name === 'if' && /\$(scheme|https)\b/.test(c.args.map((a) => a.value).join(' ')) && !!c.block?.children.some(isRedirect)));
}
