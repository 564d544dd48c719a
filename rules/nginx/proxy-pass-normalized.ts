import type { Fix, Report, Rule, RuleContext } from '../core/types';
import { locationMatch, scopeChain } from './analysis';
import { named, namedIn, type Directive, type NginxModel } from './model';

/** Variables that hold the path still encoded after `rewrite ^ $request_uri`. */
const RAW_PATH = /\$(uri\b|\{uri\}|\d|\{\d\})/;

export const rule: Rule<NginxModel> = {
  id: 'nginx/proxy-pass-normalized',
  format: 'nginx',
  severity: 'warning',
  summary: 'proxy_pass with a URI part sends the upstream a decoded, normalized path',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const d of named(model, 'proxy_pass')) {
      const url = d.args[0];
      const location = httpLocation(d);
      if (!url || !location || locationMatch(location)?.kind === 'exact') continue;
      // A bare variable may or may not carry a path: nothing to say.
      if (url.value.startsWith('$') && !url.value.includes('/')) continue;
      const { host, path } = splitUrl(url.value);
      if (keepsRequestUri(model, d)) {
        if (RAW_PATH.test(path || host)) continue;
        reports.push({
          range: ctx.range(url.start, url.end),
          message: '"rewrite ^ $request_uri" keeps the path encoded as the client sent it, but this proxy_pass does not use $1 (or $uri), so nginx encodes the path a second time (%2F reaches the upstream as %252F). Put $1 in the URI part: proxy_pass http://upstream/$1;',
        });
        continue;
      }
      if (!path) continue;
      reports.push({
        range: ctx.range(url.start, url.end),
        message: `With a URI part ("${path}") proxy_pass sends the decoded, normalized path: nginx turns %2F into "/" and resolves "../" before the upstream sees it, so encoded slashes and traversal sequences arrive changed and can slip past the upstream's own path checks. Leave the URI part out to pass the request URI as the client sent it, or use "rewrite ^ $request_uri;" with $1 in the URI part.`,
        fixes: rootFix(ctx, d, location, path),
      });
    }
    return reports;
  },
};

/** The location whose requests `d` proxies, when it is in one directly or through if/limit_except (not stream). */
function httpLocation(d: Directive): Directive | undefined {
  const p = d.parent;
  if (p?.name === 'location') return p;
  if ((p?.name === 'if' || p?.name === 'limit_except') && p.parent?.name === 'location') return p.parent;
  return undefined;
}

/** The host part and the URI part of a proxy_pass target (`http://unix:/run/x.sock:/uri`). */
function splitUrl(url: string): { host: string; path: string } {
  const scheme = url.indexOf('://');
  const rest = scheme >= 0 ? url.slice(scheme + 3) : url;
  if (/^unix:/i.test(rest)) {
    const colon = rest.indexOf(':', 5);
    return colon < 0 ? { host: rest, path: '' } : { host: rest.slice(0, colon), path: rest.slice(colon + 1) };
  }
  const slash = rest.indexOf('/');
  return slash < 0 ? { host: rest, path: '' } : { host: rest.slice(0, slash), path: rest.slice(slash) };
}

/** `rewrite ^ $request_uri;` in scope: the URI is the raw request URI from then on. */
function keepsRequestUri(model: NginxModel, d: Directive): boolean {
  return scopeChain(model, d).some((level) => namedIn(level, 'rewrite').some((x) => x.args[0]?.value === '^' && x.args[1]?.value === '$request_uri'));
}

/** In `location /`, `proxy_pass http://b/;` replaces "/" with "/": without the slash nginx passes the same path, unchanged. */
function rootFix(ctx: RuleContext, d: Directive, location: Directive, path: string): Fix[] {
  const m = locationMatch(location);
  const url = d.args[0];
  const slash = url.end - (url.quote ? 2 : 1);
  if (d.parent !== location || path !== '/' || !m || (m.kind !== 'prefix' && m.kind !== 'noregex') || m.uri !== '/' || ctx.text[slash] !== '/') return [];
  return [{ title: 'Pass the request URI unchanged (remove the trailing "/")', edits: [{ range: ctx.range(slash, slash + 1), newText: '' }], preferred: true }];
}
