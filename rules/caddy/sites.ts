import type { Report } from '../core/types';
import type { ServiceInfo, ServiceKnowledge } from '../knowledge/services';
import type { Token } from './lexer';
import { resolve, shownPath, type Resolution, type Source } from './imports';
import type { CaddyModel, Directive, ServerBlock } from './model';
import { append } from '../core/arrays';
import { MAX_NESTING } from '../core/limits';

/**
 * What a site does, read from the model for the security rules: its directives with snippet and
 * file imports inlined (files through `ctx.project`), the matchers that gate each one, and where its
 * proxies go. An import that cannot be followed is unknown: a scope holding one is marked so rules
 * do not report what it could change.
 */

/** Directives that authenticate or authorise requests (standard and common plugins). */
export const AUTH_DIRECTIVES: ReadonlySet<string> = new Set(['basic_auth', 'basicauth', 'forward_auth', 'authenticate', 'authorize', 'jwtauth', 'jwt', 'tailscale_auth', 'caddy_oidc', 'oauth', 'auth_portal']);

/** Blocks whose body is directives, reached under the directive's matcher. */
const NESTED = new Set(['handle', 'handle_path', 'route']);

export interface Placed {
  d: Directive;
  /** The outermost `import` of the site's body that brought this directive in from a snippet or another file. */
  via?: Directive;
  /** The file the directive is written in. */
  source: Source;
  /** The file `via ?? d` is written in: the site's body, where an edit above it goes. */
  home: Source;
  /** For a site of an imported file: the import of the linted file that brings the site in. */
  outer?: Directive;
}

/** How a directive was reached: the outermost import of the site's body, and of the linted file. */
interface Reach {
  via?: Directive;
  home?: Source;
  outer?: Directive;
}

export interface Scope {
  site: ServerBlock;
  /** The file the site is written in. */
  siteSource: Source;
  /** The enclosing handle/route/handle_path directives, outermost first. */
  chain: Placed[];
  items: Placed[];
  /** An import that could not be followed contributes to this scope or an enclosing one. */
  unknown: boolean;
  /** The directives in this scope run in written order (`route`). */
  ordered: boolean;
  parent?: Scope;
  /** For a site of an imported file: the import of the linted file that brings the site in. */
  outer?: Directive;
}

/** Where a directive is reported: itself, or the import of the linted file that brings it in. */
export function anchorOf(p: Placed): Directive {
  return p.outer ?? p.via ?? p.d;
}

/** Where lines inserted above a directive go: above it or the import that brings it, in the site's body. */
export function editAnchor(p: Placed): { d: Directive; source: Source } {
  return { d: p.via ?? p.d, source: p.home };
}

const reachOf = (p: Placed): Reach => ({ via: p.via, home: p.home, outer: p.outer });

/**
 * The directives of a body with imports inlined: snippets (with `{args[N]}` filled), and files
 * through the resolution (fragments spliced where the import stands). Cycles are cut here and
 * reported by the resolution; an import that cannot be followed makes the body unknown.
 */
export function inline(res: Resolution, ds: readonly Directive[], source: Source, up: Reach = {}, seen: Set<string> = new Set(), args?: readonly string[]): { items: Placed[]; unknown: boolean } {
  const items: Placed[] = [];
  let unknown = false;
  for (const raw of ds) {
    const down: Reach = up.via ? up : { via: raw, home: source, outer: up.outer };
    if (raw.name.text === 'import' && raw.name.quote === '') {
      const d = args ? withArgs(raw, args) : raw;
      const name = d.args[0]?.text ?? '';
      const importArgs = d.args.slice(1).map((a) => a.text);
      // Imports expanded inside imports MAX_NESTING deep: the rest is unknown (bounds the recursion).
      if (seen.size >= MAX_NESTING) {
        unknown = true;
        continue;
      }
      const snippet = res.snippets.get(name);
      if (snippet) {
        const key = `s:${name}`;
        if (seen.has(key)) continue;
        // `seen` holds the imports being expanded, outermost first: a cycle is cut where it closes.
        seen.add(key);
        const inner = inline(res, snippet.block.directives, snippet.source, down, seen, importArgs);
        seen.delete(key);
        append(items, inner.items);
        unknown ||= inner.unknown;
        continue;
      }
      const imported = res.bodyImport(name, source);
      if (imported === 'unknown') unknown = true;
      else if (imported !== 'missing') {
        for (const f of imported.files) {
          const body = bodyOf(f.model);
          // A file of sites imported into a body, or a cycle (reported by the resolution): unknown.
          if (seen.has(`f:${f.file}`) || f.root || !body) {
            unknown = true;
            continue;
          }
          seen.add(`f:${f.file}`);
          const inner = inline(res, body, f, down, seen, importArgs);
          seen.delete(`f:${f.file}`);
          append(items, inner.items);
          unknown ||= inner.unknown;
        }
      }
      continue;
    }
    items.push({ d: args ? withArgs(raw, args) : raw, via: up.via, source, home: up.via ? up.home! : source, outer: up.outer });
  }
  return { items, unknown };
}

/** The directives a file brings into a body: a fragment's, or a file of imports only. */
function bodyOf(model: CaddyModel): readonly Directive[] | undefined {
  if (model.fragment) return model.blocks[0]?.directives ?? [];
  if (model.blocks.every((b) => b.kind === 'import')) return model.blocks.map((b) => b.importDirective!);
  return undefined;
}

const ARGS = /\{args(?:\[(\d+)\]|\.(\d+))\}/g;
const VARIADIC = /^\{args\[(\d*):(\d*)\]\}$/;

/** A directive as an import with arguments makes it: `{args[N]}` filled, `{args[i:j]}` spread (Caddy's snippet arguments). */
export function withArgs(d: Directive, args: readonly string[], parent?: Directive): Directive {
  const fill = (t: Token): Token[] => {
    if (!t.text.includes('{args')) return [t];
    const v = VARIADIC.exec(t.text);
    if (v) {
      const from = v[1] ? Number(v[1]) : 0;
      const to = v[2] ? Number(v[2]) : args.length;
      return args.slice(from, to).map((text) => ({ ...t, text }));
    }
    return [{ ...t, text: t.text.replace(ARGS, (_, a, b) => args[Number(a ?? b)] ?? '') }];
  };
  if (!mentionsArgs(d)) return parent ? { ...d, parent } : d;
  const copy: Directive = { name: fill(d.name)[0] ?? d.name, args: d.args.flatMap(fill), trailing: d.trailing, parent: parent ?? d.parent };
  if (d.block) copy.block = { ...d.block, directives: d.block.directives.map((x) => withArgs(x, args, copy)) };
  return copy;
}

const argsMemo = new WeakMap<Directive, boolean>();

function mentionsArgs(d: Directive): boolean {
  let m = argsMemo.get(d);
  if (m === undefined) {
    m = d.name.text.includes('{args') || d.args.some((a) => a.text.includes('{args')) || (d.block?.directives ?? []).some(mentionsArgs);
    argsMemo.set(d, m);
  }
  return m;
}

/** Every scope of every site (and named route, and fragment), outermost first, imports followed. */
export function scopes(model: CaddyModel, ctx: ResolveContext): Scope[] {
  const res = resolve(model, ctx);
  let cached = res.memo.get('scopes') as Scope[] | undefined;
  if (!cached) res.memo.set('scopes', (cached = computeScopes(res)));
  return cached;
}

type ResolveContext = Parameters<typeof resolve>[1];

function computeScopes(res: Resolution): Scope[] {
  const out: Scope[] = [];
  const visit = (site: ServerBlock, siteSource: Source, ds: readonly Directive[], source: Source, chain: Placed[], unknownAbove: boolean, ordered: boolean, parent: Scope | undefined, up: Reach = {}) => {
    const { items, unknown } = inline(res, ds, source, up);
    const scope: Scope = { site, siteSource, chain, items, unknown: unknown || unknownAbove, ordered, parent, ...(up.outer ? { outer: up.outer } : {}) };
    out.push(scope);
    for (const p of items) {
      // Snippets nesting routes inside routes through imports: cut (as unknown) where the chain of
      // scopes reaches the parser's nesting limit, so the recursion stays bounded.
      if (chain.length >= MAX_NESTING) {
        scope.unknown = true;
        break;
      }
      if (NESTED.has(p.d.name.text) && p.d.block) visit(site, siteSource, p.d.block.directives, p.source, [...chain, p], scope.unknown, p.d.name.text === 'route', scope, reachOf(p));
    }
  };
  // A named route runs inside whichever site invokes it, and a fragment inside whichever site
  // imports it: what those sites add (auth first of all) is unknown here.
  const root = res.root;
  for (const b of root.model.blocks) if (b.kind === 'site' || b.kind === 'route' || b.kind === 'fragment') visit(b, root, b.directives, root, [], b.kind !== 'site', b.kind === 'route', undefined);
  // Sites of imported files nobody lints on their own: reported at the import that brings them.
  for (const s of res.importedSites) visit(s.block, s.source, s.block.directives, s.source, [], false, false, undefined, { outer: s.via });
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

export function scopeAbove(scope: Scope, levels: number): Scope {
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

// Derived from a directive alone, so computed once and shared by the rules (a memo, not state).
const upstreamCache = new WeakMap<Directive, { services: ServiceKnowledge; upstreams: Upstream[] }>();

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

/** The subdirectives of a placed directive's block, imports inlined (`header_up` lines from a snippet or a file). */
export function blockItems(model: CaddyModel, ctx: ResolveContext, p: Placed): { items: Placed[]; unknown: boolean } {
  return p.d.block ? inline(resolve(model, ctx), p.d.block.directives, p.source, reachOf(p)) : { items: [], unknown: false };
}

/** `reverse_proxy` directives in every scope. */
export function proxies(model: CaddyModel, ctx: ResolveContext): { scope: Scope; p: Placed }[] {
  const res = resolve(model, ctx);
  let out = res.memo.get('proxies') as { scope: Scope; p: Placed }[] | undefined;
  if (out) return out;
  out = [];
  for (const scope of scopes(model, ctx)) for (const p of scope.items) if (p.d.name.text === 'reverse_proxy' && p.d.name.quote === '') out.push({ scope, p });
  res.memo.set('proxies', out);
  return out;
}

/** The scopes of each site (and named route, and fragment), outermost first. */
export function scopesBySite(model: CaddyModel, ctx: ResolveContext): Map<ServerBlock, Scope[]> {
  const res = resolve(model, ctx);
  let out = res.memo.get('bySite') as Map<ServerBlock, Scope[]> | undefined;
  if (out) return out;
  out = new Map();
  for (const s of scopes(model, ctx)) {
    const list = out.get(s.site);
    if (list) list.push(s);
    else out.set(s.site, [s]);
  }
  res.memo.set('bySite', out);
  return out;
}

/** ` (in /path/file:line)` for a directive written in another file than the linted one. */
export function writtenAt(p: Placed, linted: string): string {
  // Shown relative to the linted file's folder, as its imports are written.
  return p.source.root ? '' : ` (in ${shownPath(p.source.file, linted)}:${p.d.name.line})`;
}

/** A link to where a directive brought in from another file is written. */
export function related(p: Placed): Pick<Report, 'related'> {
  if (p.source.root) return {};
  const [start, end] = lineSpan(p.d);
  return { related: [{ file: p.source.file, range: p.source.range(start, end), message: `${p.d.name.text} written here` }] };
}

/**
 * Reports that meet at one place of the linted file (the sites of `import sites/*.caddy` are all
 * reported at that import): one report there that names every place and offers each one's fix,
 * instead of the first alone (the engine keeps one report per rule and range).
 */
export function onePerPlace(reports: Report[], linted: string): Report[] {
  const out: Report[] = [];
  const byRange = new Map<string, { report: Report; more: string[] }>();
  for (const r of reports) {
    const key = JSON.stringify(r.range);
    const first = byRange.get(key);
    const place = r.related?.[0];
    if (!first) {
      const copy = { ...r };
      byRange.set(key, { report: copy, more: [] });
      out.push(copy);
    } else if (place && !first.report.related?.some((x) => JSON.stringify(x) === JSON.stringify(place))) {
      const where = `${shownPath(place.file, linted)}:${place.range.start.line + 1}`;
      first.more.push(where);
      first.report.related = [...(first.report.related ?? []), ...r.related!];
      first.report.fixes = [...(first.report.fixes ?? []), ...(r.fixes ?? []).map((f) => ({ ...f, title: `${f.title} (${where})`, preferred: false }))];
    }
  }
  for (const { report, more } of byRange.values()) {
    if (more.length) report.message += ` The same holds through this import at ${more.join(', ')}.`;
  }
  return out;
}

export interface AuthVerdict {
  covered: boolean;
  /** What authenticates: an auth directive, or a `respond`/`abort` for clients not allowed. */
  by?: Placed;
  partial?: Directive;
  partialPaths?: string;
}

/** Auth in effect for a proxy: in its own scope or an enclosing one (before it, inside a `route`). */
export function authFor(scope: Scope, p: Placed): AuthVerdict {
  const paths = reachingPaths(scope, p.d);
  let anchor: Placed = p;
  let partial: AuthVerdict | undefined;
  for (let s: Scope | undefined = scope, depth = scope.chain.length; s; s = s.parent, depth--) {
    const at = s.ordered ? s.items.indexOf(anchor) : -1;
    const limit = at < 0 ? s.items.length : at;
    for (let i = 0; i < limit; i++) {
      const item = s.items[i];
      const name = item.d.name.text;
      const m = describeMatcher(s, item.d);
      if (AUTH_DIRECTIVES.has(name)) {
        if (pathsCovered(paths, m?.paths)) return { covered: true, by: item };
        partial ??= { covered: false, partial: item.d, partialPaths: m!.paths!.join(' ') };
      } else if ((name === 'respond' || name === 'abort' || name === 'error') && m?.deniesOthers && pathsCovered(paths, m.paths)) {
        // `respond @outsiders 403` where @outsiders is `not remote_ip …`: only listed clients pass.
        return { covered: true, by: item };
      }
    }
    if (depth > 0) anchor = scope.chain[depth - 1];
  }
  return partial ?? { covered: false };
}

/** The range of a directive's own line: its name through its last argument (the block left out). */
export function lineSpan(d: Directive): [number, number] {
  const last = d.args[d.args.length - 1] ?? d.name;
  return [d.name.start, last.end];
}
