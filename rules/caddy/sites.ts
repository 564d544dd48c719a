import type { ServiceInfo, ServiceKnowledge } from '../knowledge/services';
import type { Token } from './lexer';
import { looksLikeFilePath, type CaddyModel, type Directive, type ServerBlock } from './model';

/**
 * What a site does, read from the model for the security rules: its directives with snippet
 * imports inlined, the matchers that gate each one, and where its proxies go. Imported files are
 * unknown: a scope that imports one is marked so rules do not report what it could change.
 */

/** Directives that authenticate or authorise requests (standard and common plugins). */
export const AUTH_DIRECTIVES: ReadonlySet<string> = new Set(['basic_auth', 'basicauth', 'forward_auth', 'authenticate', 'authorize', 'jwtauth', 'jwt', 'tailscale_auth', 'caddy_oidc', 'oauth', 'auth_portal']);

/** Blocks whose body is directives, reached under the directive's matcher. */
const NESTED = new Set(['handle', 'handle_path', 'route']);

export interface Placed {
  d: Directive;
  /** The outermost `import` (in the site itself) that brought this directive in from a snippet. */
  via?: Directive;
}

export interface Scope {
  site: ServerBlock;
  /** The enclosing handle/route/handle_path directives, outermost first. */
  chain: Placed[];
  items: Placed[];
  /** An imported file (not a snippet) contributes to this scope or an enclosing one. */
  unknown: boolean;
  /** The directives in this scope run in written order (`route`). */
  ordered: boolean;
  parent?: Scope;
}

/** The directives of a body with snippet imports inlined (cycles cut). */
export function inline(model: CaddyModel, ds: readonly Directive[], via?: Directive, seen: Set<string> = new Set()): { items: Placed[]; unknown: boolean } {
  const items: Placed[] = [];
  let unknown = false;
  for (const d of ds) {
    if (d.name.text === 'import' && d.name.quote === '') {
      const name = d.args[0]?.text ?? '';
      const snippet = model.snippetsByName.get(name);
      if (snippet && !seen.has(name)) {
        const inner = inline(model, snippet.directives, via ?? d, new Set([...seen, name]));
        items.push(...inner.items);
        unknown ||= inner.unknown;
      } else if (!snippet && (looksLikeFilePath(name) || name.includes('{') || model.importsFiles)) unknown = true;
      continue;
    }
    items.push({ d, via });
  }
  return { items, unknown };
}

// Derived from the model alone, so computed once per parse and shared by the rules (a memo, not state).
const scopeCache = new WeakMap<CaddyModel, Scope[]>();
const upstreamCache = new WeakMap<Directive, { services: ServiceKnowledge; upstreams: Upstream[] }>();

/** Every scope of every site (and named route, and fragment), outermost first. */
export function scopes(model: CaddyModel): Scope[] {
  let cached = scopeCache.get(model);
  if (!cached) scopeCache.set(model, (cached = computeScopes(model)));
  return cached;
}

function computeScopes(model: CaddyModel): Scope[] {
  const out: Scope[] = [];
  const visit = (site: ServerBlock, ds: readonly Directive[], chain: Placed[], unknownAbove: boolean, ordered: boolean, parent: Scope | undefined, via?: Directive) => {
    const { items, unknown } = inline(model, ds, via);
    const scope: Scope = { site, chain, items, unknown: unknown || unknownAbove, ordered, parent };
    out.push(scope);
    for (const p of items) {
      if (NESTED.has(p.d.name.text) && p.d.block) visit(site, p.d.block.directives, [...chain, p], scope.unknown, p.d.name.text === 'route', scope, p.via);
    }
  };
  // A named route runs inside whichever site invokes it, and a fragment inside whichever site
  // imports it: what those sites add (auth first of all) is unknown here.
  for (const b of model.blocks) if (b.kind === 'site' || b.kind === 'route' || b.kind === 'fragment') visit(b, b.directives, [], b.kind !== 'site', b.kind === 'route', undefined);
  return out;
}

// ---------------------------------------------------------------- matchers

export interface MatcherInfo {
  /** Path patterns the matcher restricts to; undefined = any path. */
  paths?: string[];
  /** It checks who is asking: a header (Authorization, API key), a query secret, a client address. */
  access: boolean;
  /** The same, negated at the top (`not remote_ip …`): matching it means the client is NOT allowed. */
  deniesOthers: boolean;
  /** It has conditions we do not model (method, host, expression …). */
  other: boolean;
}

const ACCESS_MATCHERS = new Set(['header', 'header_regexp', 'remote_ip', 'client_ip', 'query']);

/** The matcher token of a directive: its first argument when that is `*`, a path or `@name`. */
export function matcherToken(d: Directive): Token | undefined {
  const a = d.args[0];
  if (!a || a.quote !== '') return undefined;
  return a.text === '*' || a.text.startsWith('/') || a.text.startsWith('@') ? a : undefined;
}

/** Named matcher definitions visible from a scope: its own, then the enclosing ones. */
export function findMatcher(scope: Scope, name: string): Directive | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const def = s.items.find((p) => p.d.name.text === name);
    if (def) return def.d;
  }
  return undefined;
}

export function describeMatcher(scope: Scope, d: Directive): MatcherInfo | undefined {
  const m = matcherToken(d);
  if (!m || m.text === '*') return undefined;
  if (m.text.startsWith('/')) return { paths: [m.text], access: false, deniesOthers: false, other: false };
  const def = findMatcher(scope, m.text);
  if (!def) return { access: false, deniesOthers: false, other: true };
  return matcherDefinition(def);
}

export function matcherDefinition(def: Directive): MatcherInfo {
  const info: MatcherInfo = { access: false, deniesOthers: false, other: false };
  const lines: { name: string; args: Token[] }[] = def.block
    ? def.block.directives.map((x) => ({ name: x.name.text, args: x.args, block: x.block }))
    : def.args.length
      ? [{ name: def.args[0].quote === '' ? def.args[0].text : 'expression', args: def.args.slice(1) }]
      : [];
  for (const l of lines) {
    if (l.name === 'path') info.paths = [...(info.paths ?? []), ...l.args.map((a) => a.text)];
    else if (ACCESS_MATCHERS.has(l.name)) info.access = true;
    else if (l.name === 'not') {
      const inner = l.args[0]?.text;
      if (inner && ACCESS_MATCHERS.has(inner)) info.deniesOthers = true;
      else info.other = true;
    } else if (l.name === 'expression' && l.args.some((a) => /header|remote_ip|client_ip|query/.test(a.text))) info.access = true;
    else info.other = true;
  }
  if (!def.block) {
    // `@name not remote_ip …` on one line
    const first = def.args[0]?.text;
    if (first === 'not' && ACCESS_MATCHERS.has(def.args[1]?.text ?? '')) {
      info.other = false;
      info.deniesOthers = true;
    }
  }
  return info;
}

/** Whether every path of `inner` is among the paths `outer` matches (`/api/*` covers `/api/x`). */
export function pathsCovered(inner: string[] | undefined, outer: string[] | undefined): boolean {
  if (!outer) return true;
  if (!inner) return false;
  return inner.every((p) => outer.some((q) => patternCovers(q, p)));
}

function patternCovers(outer: string, inner: string): boolean {
  if (outer === '*' || outer === '/*') return true;
  if (outer === inner) return true;
  if (outer.endsWith('*') && !outer.slice(0, -1).includes('*')) return inner.startsWith(outer.slice(0, -1));
  return false;
}

/** Whether a path pattern matches a concrete request path. */
export function pathMatches(pattern: string, path: string): boolean {
  if (pattern === '*') return true;
  // Caddy's path matcher: case-insensitive, `*` matches any run of characters.
  const parts = pattern.toLowerCase().split('*');
  const p = path.toLowerCase();
  if (parts.length === 1) return p === parts[0];
  if (!p.startsWith(parts[0])) return false;
  let at = parts[0].length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = p.indexOf(parts[i], at);
    if (found < 0) return false;
    at = found + parts[i].length;
  }
  const last = parts[parts.length - 1];
  return p.length - last.length >= at && p.endsWith(last);
}

/**
 * The paths that reach a directive: the innermost path restriction along its chain and its own.
 * `upstream`: the paths as the upstream sees them — behind handle_path, whose prefix is stripped,
 * any path can reach it.
 */
export function reachingPaths(scope: Scope, d: Directive, upstream = false): string[] | undefined {
  const own = describeMatcher(scope, d)?.paths;
  if (own) return own;
  for (let i = scope.chain.length - 1; i >= 0; i--) {
    const c = scope.chain[i].d;
    // Under handle_path the inner paths are relative to a stripped prefix: keep the outer one.
    const parentScope = scopeAbove(scope, scope.chain.length - i);
    const paths = describeMatcher(parentScope, c)?.paths;
    // handle_path strips its prefix: behind it, any upstream path can be reached.
    if (paths) return upstream && c.name.text === 'handle_path' ? undefined : paths;
  }
  return undefined;
}

function scopeAbove(scope: Scope, levels: number): Scope {
  let s = scope;
  for (let i = 0; i < levels && s.parent; i++) s = s.parent;
  return s;
}

/** Whether a directive is gated by a matcher that checks who is asking (on it or an enclosing block). */
export function gatedByAccessCheck(scope: Scope, d: Directive): boolean {
  if (describeMatcher(scope, d)?.access) return true;
  for (let i = scope.chain.length - 1; i >= 0; i--) {
    if (describeMatcher(scopeAbove(scope, scope.chain.length - i), scope.chain[i].d)?.access) return true;
  }
  return false;
}

// ---------------------------------------------------------------- upstreams

export interface Upstream {
  token: Token;
  scheme?: string;
  host: string;
  port?: number;
  service?: ServiceInfo;
}

export function parseUpstream(token: Token, services: ServiceKnowledge): Upstream | undefined {
  const text = token.text;
  if (text.includes('{') || text.startsWith('unix/')) return undefined;
  const m = /^(?:([a-z0-9+.-]+):\/\/)?(\[[^\]]*\]|[^:/]*)(?::(\d+))?(\/.*)?$/i.exec(text);
  if (!m) return undefined;
  const scheme = m[1]?.toLowerCase();
  const host = m[2].replace(/^\[|\]$/g, '');
  const port = m[3] !== undefined ? Number(m[3]) : scheme === 'https' ? 443 : scheme === 'http' ? 80 : undefined;
  // A port says which service it is only on an address, not behind another name (`admin:9100`).
  const byAddress = host === '' || host === 'localhost' || host === 'host.docker.internal' || /^[\d.]+$|:/.test(host);
  const service = services.byHostname(host) ?? (byAddress ? services.byPort(port) : undefined);
  return { token, scheme, host, port, service };
}

/** The upstreams of a `reverse_proxy`: its arguments after the matcher and its `to` lines. */
export function upstreamsOf(d: Directive, services: ServiceKnowledge): Upstream[] {
  const cached = upstreamCache.get(d);
  if (cached?.services === services) return cached.upstreams;
  const upstreams = computeUpstreams(d, services);
  upstreamCache.set(d, { services, upstreams });
  return upstreams;
}

function computeUpstreams(d: Directive, services: ServiceKnowledge): Upstream[] {
  const args = matcherToken(d) ? d.args.slice(1) : d.args;
  const tos = (d.block?.directives ?? []).filter((s) => s.name.text === 'to').flatMap((s) => s.args);
  return [...args, ...tos].map((t) => parseUpstream(t, services)).filter((u): u is Upstream => u !== undefined);
}

export function isOllama(u: Upstream): boolean {
  return u.service?.name === 'Ollama';
}

/** `reverse_proxy` directives in every scope. */
export function proxies(model: CaddyModel): { scope: Scope; p: Placed }[] {
  const out: { scope: Scope; p: Placed }[] = [];
  for (const scope of scopes(model)) for (const p of scope.items) if (p.d.name.text === 'reverse_proxy' && p.d.name.quote === '') out.push({ scope, p });
  return out;
}

/** The range of a directive's own line: its name through its last argument (the block left out). */
export function lineSpan(d: Directive): [number, number] {
  const last = d.args[d.args.length - 1] ?? d.name;
  return [d.name.start, last.end];
}
