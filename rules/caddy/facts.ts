import type { Fix, RuleContext } from '../core/types';
import type { FileFacts, Listener, Place, ProxyFacts, RouteFacts, TargetFacts } from '../deployment/facts';
import { classifyAddress } from '../knowledge/services';
import { eolOf, indentUnit, insertBefore } from './edit';
import type { Source } from './imports';
import { parseAddress, type CaddyModel, type Directive, type ServerBlock } from './model';
import {
  authFor, describeMatcher, findMatcher, gatedByAccessCheck, lineSpan, matcherDefinition, matcherToken, pathsCovered,
  reachingPaths, scopeAbove, scopesBySite, upstreamsOf, type Placed, type Scope, type Upstream,
} from './sites';

/**
 * What a Caddyfile says about the deployment: one proxy per site (sites of imported files that are
 * not linted on their own included), with the addresses it listens on under Caddy's automatic
 * HTTPS, and for each `reverse_proxy` upstream the path, the target and the auth and rate limit in
 * effect (snippets and imported files followed). Every place is where the text is written.
 */
export function caddyFacts(model: CaddyModel, ctx: RuleContext): Omit<FileFacts, 'file' | 'format'> {
  const options = globalOptions(model);
  const proxies: ProxyFacts[] = [];
  for (const [site, own] of scopesBySite(model, ctx)) {
    if (site.kind !== 'site') continue;
    const source = own[0].siteSource;
    const items = own[0].items;
    const routes: RouteFacts[] = [];
    for (const scope of own) {
      for (const p of scope.items) {
        if (p.d.name.text !== 'reverse_proxy' || p.d.name.quote !== '') continue;
        for (const u of upstreamsOf(p.d, ctx.services)) routes.push(route(scope, p, u));
      }
    }
    const first = site.keys[0];
    const last = site.keys[site.keys.length - 1];
    proxies.push({
      server: 'caddy',
      names: [...new Set(site.keys.map((k) => parseAddress(k.text).host).filter((h) => h !== ''))],
      listeners: listeners(site, source, items, options),
      routes,
      place: { file: source.file, range: source.range(first.start, last.end) },
    });
  }
  return { proxies };
}

interface GlobalOptions {
  httpPort: number;
  httpsPort: number;
  defaultBind: string[];
  autoHttps: boolean;
}

function globalOptions(model: CaddyModel): GlobalOptions {
  const g = model.global?.directives ?? [];
  const arg = (name: string) => g.find((d) => d.name.text === name)?.args;
  const port = (name: string, fallback: number) => {
    const v = arg(name)?.[0]?.text;
    return v && /^\d+$/.test(v) ? Number(v) : fallback;
  };
  return {
    httpPort: port('http_port', 80),
    httpsPort: port('https_port', 443),
    defaultBind: (arg('default_bind') ?? []).map((t) => t.text),
    autoHttps: arg('auto_https')?.[0]?.text !== 'off',
  };
}

const placeOf = (source: Source, start: number, end: number): Place => ({ file: source.file, range: source.range(start, end) });
const linePlace = (p: Placed): Place => {
  const [start, end] = lineSpan(p.d);
  return placeOf(p.source, start, end);
};

/** `tcp/127.0.0.1` → `127.0.0.1`; every interface → ''; a Unix socket → undefined. */
function bindAddress(text: string): string | undefined {
  if (/^(unix|unixgram|unixpacket|fd|fdgram)\//.test(text)) return undefined;
  let a = text.replace(/^(tcp|tcp4|tcp6|udp|udp4|udp6|ip|ip4|ip6)\//, '');
  const v6 = /^\[([^\]]*)\](?::\d*)?$/.exec(a);
  if (v6) a = v6[1];
  else if ((a.match(/:/g) ?? []).length === 1) a = a.slice(0, a.indexOf(':'));
  return a === '0.0.0.0' || a === '::' || a === '*' ? '' : a;
}

function listeners(site: ServerBlock, source: Source, items: readonly Placed[], options: GlobalOptions): (Listener & { tls: boolean })[] {
  const binds = items.filter((p) => p.d.name.text === 'bind' && p.d.name.quote === '');
  const bindArgs = binds.flatMap((p) => p.d.args.map((t) => t.text));
  const addresses = (bindArgs.length ? bindArgs : options.defaultBind).map(bindAddress).filter((a): a is string => a !== undefined);
  const tlsDirective = items.some((p) => p.d.name.text === 'tls');
  const out: (Listener & { tls: boolean })[] = [];
  for (const key of site.keys) {
    const { scheme, host, port } = parseAddress(key.text);
    if (port !== undefined && !/^\d+$/.test(port)) continue; // `:{$PORT}`: unknown
    const plainScheme = scheme === 'http';
    const number = port !== undefined ? Number(port) : plainScheme ? options.httpPort : options.httpsPort;
    // Automatic HTTPS: a site with a host (or `https://`, or a `tls` directive) gets TLS, except on the HTTP port.
    const tls = !plainScheme && number !== options.httpPort && (scheme === 'https' || tlsDirective || (options.autoHttps && host !== ''));
    const place = placeOf(source, key.start, key.end);
    for (const address of addresses.length ? addresses : ['']) {
      const exposed = classifyAddress(address) === 'exposed';
      const fix = exposed ? bindLoopback(site, source, binds) : undefined;
      out.push({ address, port: number, exposed, place, tls, ...(fix ? { bindLoopback: fix } : {}) });
    }
  }
  return out;
}

/** `bind 127.0.0.1` for the site: its own `bind` rewritten, or one added at the top of its block. */
function bindLoopback(site: ServerBlock, source: Source, binds: readonly Placed[]): Fix | undefined {
  const title = 'Listen on 127.0.0.1 only (bind 127.0.0.1)';
  if (binds.length) {
    // A bind brought in by an import is shared with other sites: not ours to rewrite.
    const own = binds.filter((p) => p.source === source && !p.via && p.d.args.length);
    if (own.length !== binds.length) return undefined;
    return {
      title,
      edits: own.map((p) => {
        const [first, last] = [p.d.args[0], p.d.args[p.d.args.length - 1]];
        return { file: source.file, range: source.range(first.start, last.end), newText: '127.0.0.1' };
      }),
    };
  }
  const firstDirective = site.directives[0];
  if (firstDirective) return { title, edits: [{ ...insertBefore(source, firstDirective, ['bind 127.0.0.1']), file: source.file }] };
  const eol = eolOf(source.text);
  if (site.open && site.close) {
    return { title, edits: [{ file: source.file, range: source.range(site.open.end, site.close.start), newText: `${eol}${indentUnit(source.text)}bind 127.0.0.1${eol}` }] };
  }
  return undefined;
}

function route(scope: Scope, p: Placed, u: Upstream): RouteFacts {
  const auth = authPlace(scope, p);
  const limit = rateLimitOf(scope, p);
  return {
    path: routePath(scope, p.d),
    target: target(u),
    ...(auth ? { auth } : {}),
    ...(limit ? { rateLimit: linePlace(limit) } : {}),
    place: placeOf(p.source, u.token.start, u.token.end),
  };
}

function target(u: Upstream): TargetFacts {
  const scheme = u.scheme === undefined || u.scheme === 'http' || u.scheme === 'h2c' ? 'http' : u.scheme === 'https' ? 'https' : 'other';
  const port = u.port ?? (scheme === 'https' ? 443 : scheme === 'http' ? 80 : undefined);
  // `:8080` dials the local machine.
  const host = u.host === '' ? 'localhost' : u.host;
  return {
    url: u.token.text,
    scheme,
    endpoints: [port === undefined ? { host } : { host, port }],
    ...(u.service ? { known: u.service.name } : {}),
  };
}

/** The path a proxy answers: its own matcher, else the innermost enclosing handle's; `*` for every path. */
function routePath(scope: Scope, d: Directive): string {
  const own = matcherPath(scope, d);
  if (own) return own;
  for (let i = scope.chain.length - 1; i >= 0; i--) {
    const p = matcherPath(scopeAbove(scope, scope.chain.length - i), scope.chain[i].d);
    if (p) return p;
  }
  return '*';
}

/** `/api/*`, or `@name` resolved to its paths when it matches on paths alone. */
function matcherPath(scope: Scope, d: Directive): string | undefined {
  const m = matcherToken(d);
  if (!m || m.text === '*') return undefined;
  if (m.text.startsWith('/')) return m.text;
  const def = findMatcher(scope, m.text);
  const info = def && matcherDefinition(def);
  return info?.paths && !info.other && !info.access && !info.deniesOthers ? info.paths.join(' ') : m.text;
}

function authPlace(scope: Scope, p: Placed): Place | undefined {
  const verdict = authFor(scope, p);
  if (verdict.covered && verdict.by) return linePlace(verdict.by);
  if (!gatedByAccessCheck(scope, p.d)) return undefined;
  // A matcher that checks who is asking (an API key header, a client address) gates it: its definition.
  const gates = [{ s: scope, d: p.d }, ...scope.chain.map((c, i) => ({ s: scopeAbove(scope, scope.chain.length - i), d: c.d })).reverse()];
  for (const { s, d } of gates) {
    const m = matcherToken(d);
    if (!m?.text.startsWith('@') || !describeMatcher(s, d)?.access) continue;
    for (let x: Scope | undefined = s; x; x = x.parent) {
      const def = x.items.find((i) => i.d.name.text === m.text);
      if (def) return linePlace(def);
    }
  }
  return undefined;
}

/** A `rate_limit` in effect for the proxy: in its scope or an enclosing one, on paths that cover its own. */
function rateLimitOf(scope: Scope, p: Placed): Placed | undefined {
  const paths = reachingPaths(scope, p.d);
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    for (const item of s.items) {
      if (item.d.name.text === 'rate_limit' && pathsCovered(paths, describeMatcher(s, item.d)?.paths)) return item;
    }
  }
  return undefined;
}
