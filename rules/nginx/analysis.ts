import type { RuleContext } from '../core/types';
import { compileRegex, type CompiledRegex } from '../core/nfa';
import { classifyAddress, type ServiceInfo, type ServiceKnowledge } from '../knowledge/services';
import { Ctx } from './directives';
import { isHarmlessInclude, resolution } from './includes';
import { namedIn, type Directive, type NginxModel } from './model';
import { append } from '../core/arrays';

/**
 * What the proxy rules ask of a config: nginx's inheritance (a level that sets a directive hides
 * the outer levels' values; array directives such as `proxy_set_header` are replaced, not merged),
 * where `proxy_pass` goes (upstream blocks resolved within the file) and which service that is.
 */

/** The directives of one configuration level: a block's children or the file's top level. */
export function levelOf(model: NginxModel, d: Directive | undefined): readonly Directive[] {
  return d ? d.block?.children ?? [] : model.root;
}

/**
 * The levels whose settings apply at `d`, innermost first (its own block, enclosing blocks, the
 * file). With the project (`ctx.project`), resolved includes stand for the directives of the files
 * they match, and a fragment's chain goes on into its includer's levels at the include.
 */
export function scopeChain(model: NginxModel, d: Directive, ctx?: RuleContext): Directive[][] {
  const r = resolution(model, ctx);
  const chain: Directive[][] = [];
  for (let p = d.parent; p; p = p.parent) chain.push(r ? r.level(p.block?.children ?? []) : p.block?.children ?? []);
  if (!r) {
    chain.push(model.root);
    return chain;
  }
  const outer = r.outer();
  // Included, the file's top level is the includer's level at the include (it holds the file's own directives).
  if (outer.levels.length) append(chain, outer.levels);
  else chain.push(r.level(model.root));
  return chain;
}

/** The directives named `name` at the innermost level of the chain that has any: nginx's inheritance. */
export function effective(model: NginxModel, d: Directive, name: string | string[], ctx?: RuleContext): Directive[] {
  return effectiveIn(scopeChain(model, d, ctx), name);
}

/** `effective` over a chain of levels already gathered. */
export function effectiveIn(chain: readonly (readonly Directive[])[], name: string | string[]): Directive[] {
  const names = Array.isArray(name) ? name : [name];
  for (const level of chain) {
    if (names.length === 1) {
      const found = namedIn(level, names[0]);
      if (found.length) return [...found];
      continue;
    }
    if (!names.some((n) => namedIn(level, n).length)) continue;
    return level.filter((x) => names.includes(x.name));
  }
  return [];
}

/**
 * Includes whose contents are not known: without the project every include but the well-known
 * stock snippets; with it, only those that match no file of the workspace (resolved ones are gone
 * from expanded levels).
 */
export function isUnknownInclude(d: Directive): boolean {
  return d.name === 'include' && !isHarmlessInclude(d);
}

/** Whether an included file could change what applies at `d` (an unknown include at any level of its chain). */
export function includeMayChange(model: NginxModel, d: Directive, ctx?: RuleContext): boolean {
  // With the project, an unknown include at the main level (Debian's modules-enabled) is no concern:
  // what main holds is not inherited by http, server or location.
  const chain = scopeChain(model, d, ctx);
  if (resolution(model, ctx)?.outer().topCtx === Ctx.main) chain.pop();
  return chain.some((level) => namedIn(level, 'include').some(isUnknownInclude));
}

/**
 * Whether the levels above the file are unknown: a fragment of server or location contents that
 * nothing known includes (with the project, the outermost includer decides).
 */
export function outerUnknown(model: NginxModel, ctx?: RuleContext): boolean {
  const top = resolution(model, ctx)?.outer().topCtx ?? model.rootCtx;
  return top !== Ctx.main && top !== Ctx.http;
}

/** The directive that makes the client authenticate in this chain of levels (auth_basic not off, auth_request, auth_jwt, deny all, a header check); undefined: none. */
export function authIn(chain: readonly (readonly Directive[])[]): Directive | undefined {
  return authFrom(
    (name) => effectiveIn(chain, name),
    () => {
      for (const level of chain) for (const x of namedIn(level, 'if')) if (isHeaderCheck(x)) return x;
      return undefined;
    },
  );
}

/** `authIn` over any way of looking up what is in effect (`effective` for a name or names, the innermost header check). */
export function authFrom(effective: (name: string | string[]) => readonly Directive[], headerCheck: () => Directive | undefined): Directive | undefined {
  for (const name of AUTH_DIRECTIVES) {
    const [setting] = effective(name);
    if (setting && setting.args[0]?.value !== 'off') return setting;
  }
  const denyAll = effective(['allow', 'deny']).find((a) => a.name === 'deny' && a.args[0]?.value === 'all');
  // `if ($http_authorization != "Bearer …") { return 401; }` and the like.
  return denyAll ?? headerCheck();
}

export const AUTH_DIRECTIVES = ['auth_basic', 'auth_request', 'auth_jwt', 'auth_oidc'];

export function isHeaderCheck(d: Directive): boolean {
  if (d.name !== 'if' || !d.block) return false;
  const condition = d.args.map((a) => a.value).join(' ');
  if (!/\$(http_|cookie_|arg_|ssl_client_verify|remote_user)/.test(condition)) return false;
  return d.block.children.some((c) => c.name === 'return' && /^(401|403|404|444)$/.test(c.args[0]?.value ?? ''));
}

/** Whether `setting` sits at the very level of `location` (its own or through an include there) but is written in another file. */
export function foreignAtLevel(model: NginxModel, location: Directive | undefined, setting: Directive | undefined, ctx?: RuleContext): boolean {
  const r = resolution(model, ctx);
  if (!r || !location?.block || !setting || r.isOwn(setting)) return false;
  return r.level(location.block.children).includes(setting);
}

/** The nearest enclosing `name` block, in this file or, for a fragment, its includer's. */
export function enclosingAcross(model: NginxModel, d: Directive, name: string, ctx?: RuleContext): Directive | undefined {
  const own = enclosing(d, name);
  if (own) return own;
  return resolution(model, ctx)?.outer().owners.find((o) => o.name === name);
}

export function enclosing(d: Directive, name: string): Directive | undefined {
  for (let p = d.parent; p; p = p.parent) if (p.name === name) return p;
  return undefined;
}

export interface Endpoint {
  host: string;
  port?: number;
}

export interface ProxyTarget {
  /** The `proxy_pass` directive. */
  directive: Directive;
  url: string;
  scheme: string;
  /** The host part as written: a name, an address or an upstream's name. */
  host: string;
  port?: number;
  /** The URI part (`/` in `http://127.0.0.1:11434/`), if any. */
  uri?: string;
  upstream?: Directive;
  endpoints: Endpoint[];
  service?: ServiceInfo;
  identifiedBy?: ServiceKnowledge;
  /** Every endpoint is on a loopback address. */
  loopback: boolean;
}

const URL_RE = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?]*)(?::([^/?]*))?([/?].*)?$/i;

export function parseUrl(url: string): { scheme: string; host: string; port?: number; uri?: string } | undefined {
  const m = URL_RE.exec(url);
  if (!m) return undefined;
  const port = m[3] && /^\d+$/.test(m[3]) ? Number(m[3]) : undefined;
  return { scheme: m[1].toLowerCase(), host: m[2], port, uri: m[4] };
}

/** A `set $var value;` in scope resolves `proxy_pass $var`. */
function resolveVariable(model: NginxModel, d: Directive, url: string): string {
  const m = /^\$(\w+)$/.exec(url);
  if (!m) return url;
  for (const level of scopeChain(model, d)) {
    const set = level.find((x) => x.name === 'set' && x.args[0]?.value === `$${m[1]}`);
    if (set?.args[1]) return set.args[1].value;
  }
  return url;
}

export function endpointOf(address: string): Endpoint {
  const v6 = /^\[([^\]]*)\](?::(\d+))?$/.exec(address);
  if (v6) return { host: v6[1], port: v6[2] ? Number(v6[2]) : undefined };
  const i = address.lastIndexOf(':');
  if (i > 0 && /^\d+$/.test(address.slice(i + 1))) return { host: address.slice(0, i), port: Number(address.slice(i + 1)) };
  return { host: address };
}

export function isLoopbackHost(host: string): boolean {
  return classifyAddress(host) === 'loopback';
}

/** Every `proxy_pass` of the file's http side, with where it goes; computed once per parse. */
export function resolveProxies(model: NginxModel): ProxyTarget[] {
  const upstreams = new Map<string, Directive>();
  const passes: Directive[] = [];
  for (const d of model.all) {
    if (d.name === 'upstream' && d.block && d.ctx === Ctx.http && d.args[0]) upstreams.set(d.args[0].value, d);
    else if (d.name === 'proxy_pass' && d.args[0] && d.ctx & (Ctx.location | Ctx.lif | Ctx.limit_except)) passes.push(d);
  }
  const out: ProxyTarget[] = [];
  for (const d of passes) {
    const url = resolveVariable(model, d, d.args[0].value);
    const parsed = parseUrl(url);
    if (!parsed) continue;
    const upstream = upstreams.get(parsed.host);
    const endpoints: Endpoint[] = upstream
      ? childrenArgs(upstream, 'server').map((a) => endpointOf(a))
      : [{ host: parsed.host.replace(/^\[|\]$/g, ''), port: parsed.port ?? (parsed.scheme === 'https' ? 443 : 80) }];
    out.push({
      directive: d,
      url,
      scheme: parsed.scheme,
      host: parsed.host,
      port: parsed.port,
      uri: parsed.uri,
      upstream,
      endpoints,
      loopback: endpoints.length > 0 && endpoints.every((e) => isLoopbackHost(e.host)),
    });
  }
  return out;
}

/** Which known service a target is: by upstream or host name, else by a distinctive port. */
export function identify(t: ProxyTarget, services: ServiceKnowledge): ServiceInfo | undefined {
  if (t.identifiedBy === services) return t.service;
  let service = services.byHostname(t.host);
  for (const e of t.endpoints) service ??= services.byHostname(e.host) ?? services.byPort(e.port);
  // Remembered per knowledge table: every proxy rule asks the same question of the same parse.
  t.identifiedBy = services;
  t.service = service;
  return service;
}

/** The proxy targets with the service each one is; with the project, upstream blocks of other files resolve too. */
export function proxyTargets(model: NginxModel, services: ServiceKnowledge, ctx?: RuleContext): ProxyTarget[] {
  const targets = acrossFiles(model, ctx);
  for (const t of targets) identify(t, services);
  return targets;
}

const crossTargets = new WeakMap<object, ProxyTarget[]>();

function acrossFiles(model: NginxModel, ctx: RuleContext | undefined): ProxyTarget[] {
  const r = resolution(model, ctx);
  if (!r) return model.proxies;
  let out = crossTargets.get(r);
  if (!out) {
    const upstreams = r.upstreams();
    out = model.proxies.map((t) => {
      const upstream = t.upstream ? undefined : upstreams.get(t.host);
      return upstream ? targetVia(t, upstream) : t;
    });
    crossTargets.set(r, out);
  }
  return out;
}

/** A target whose host names an upstream block (possibly of another file). */
export function targetVia(t: Omit<ProxyTarget, 'upstream' | 'endpoints' | 'loopback' | 'service' | 'identifiedBy'>, upstream: Directive): ProxyTarget {
  const endpoints = childrenArgs(upstream, 'server').map((a) => endpointOf(a));
  return { directive: t.directive, url: t.url, scheme: t.scheme, host: t.host, port: t.port, uri: t.uri, upstream, endpoints, loopback: endpoints.length > 0 && endpoints.every((e) => isLoopbackHost(e.host)) };
}

function childrenArgs(block: Directive, name: string): string[] {
  return namedIn(block.block?.children, name).filter((c) => c.args[0]).map((c) => c.args[0].value);
}

/** The `listen` addresses of a server block; none written means nginx's default `*:80`. */
export function listens(server: Directive, level: readonly Directive[] = server.block?.children ?? []): { directive?: Directive; address: string; port: number; ssl: boolean }[] {
  const ls = namedIn(level, 'listen').filter((c) => c.args[0]);
  if (!ls.length) return [{ address: '', port: 80, ssl: false }];
  return ls.map((l) => {
    const spec = l.args[0].value;
    let address = '';
    let port = 80;
    if (/^\d+$/.test(spec)) port = Number(spec);
    else if (spec.startsWith('unix:')) address = 'unix';
    else {
      const e = endpointOf(spec);
      address = e.host === '*' ? '' : e.host;
      port = e.port ?? 80;
    }
    return { directive: l, address, port, ssl: l.args.slice(1).some((a) => a.value === 'ssl' || a.value === 'quic') };
  });
}

/** nginx time values (`90`, `90s`, `5m`, `1h30m`, `500ms`) in seconds; undefined when not a literal. */
export function parseTime(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value);
  const re = /(\d+)(ms|y|M|w|d|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000 };
  for (const m of value.matchAll(re)) {
    total += Number(m[1]) * units[m[2]];
    consumed += m[0].length;
  }
  return consumed === value.length && consumed > 0 ? total : undefined;
}

/** The location a `proxy_pass` serves, and the directive in it after which settings for it go. */
export function holder(target: ProxyTarget): { location?: Directive; anchor: Directive } {
  let anchor = target.directive;
  while (anchor.parent && anchor.parent.name !== 'location') anchor = anchor.parent;
  return { location: anchor.parent, anchor };
}

/** The targets the proxy rules look at: a known service, where the enclosing levels are known. */
export function knownTargets(model: NginxModel, services: ServiceKnowledge, need: (s: ServiceInfo) => boolean | undefined, ctx?: RuleContext): ProxyTarget[] {
  return proxyTargets(model, services, ctx).filter((t) => t.service && need(t.service) && !includeMayChange(model, t.directive, ctx));
}

export interface HeaderSetting {
  /** The `proxy_set_header` directives in effect (one level's, as nginx inherits them). */
  all: Directive[];
  /** Whether they are the location's own. */
  local: boolean;
  /** Some are at the location's level through an include of another file (the fix cannot copy or edit them here). */
  foreignHere: boolean;
  /** A header directive's text, wherever it is written. */
  text(d: Directive): string;
  /** Whether a header directive is written in the linted file. */
  own(d: Directive): boolean;
  get(name: string): Directive | undefined;
}

export function proxyHeaders(model: NginxModel, target: ProxyTarget, ctx?: RuleContext): HeaderSetting {
  const all = effective(model, target.directive, 'proxy_set_header', ctx);
  const { location } = holder(target);
  return {
    all,
    local: all.length > 0 && all[0].parent === location,
    foreignHere: all.some((h) => foreignAtLevel(model, location, h, ctx)),
    text: (d) => resolution(model, ctx)?.textOf(d) ?? model.text.slice(d.start, d.end),
    own: (d) => resolution(model, ctx)?.isOwn(d) ?? true,
    get: (name) => all.find((h) => h.args[0]?.value.toLowerCase() === name.toLowerCase()),
  };
}

export interface LocationMatch {
  kind: 'exact' | 'prefix' | 'noregex' | 'regex' | 'regex-i' | 'named';
  uri: string;
}

/** A location's modifier and URI, separate (`~ ^/x`) or attached (`=/x`). */
export function locationMatch(d: Directive): LocationMatch | undefined {
  const [a, b] = d.args.map((x) => x.value);
  if (a === undefined) return undefined;
  const kinds: Record<string, LocationMatch['kind']> = { '=': 'exact', '^~': 'noregex', '~': 'regex', '~*': 'regex-i' };
  if (b !== undefined) return kinds[a] ? { kind: kinds[a], uri: b } : undefined;
  if (a.startsWith('@')) return { kind: 'named', uri: a };
  for (const m of ['^~', '~*', '=', '~']) if (a.startsWith(m) && a.length > m.length) return { kind: kinds[m], uri: a.slice(m.length) };
  return { kind: 'prefix', uri: a };
}

/** Each regex location's matcher, compiled once; null when the matcher cannot represent it. */
const compiled = new WeakMap<Directive, CompiledRegex | null>();

/**
 * Whether a regex location matches `path`: never through JavaScript's backtracking RegExp (a
 * user's `^(.*)(.*)…X$` would hang the linter), but the linear matcher; undefined when unknown.
 */
function regexMatches(l: Directive, m: LocationMatch, path: string): boolean | undefined {
  let re = compiled.get(l);
  if (re === undefined) {
    re = compileRegex(m.uri, m.kind === 'regex-i') ?? null;
    compiled.set(l, re);
  }
  return re ? re.test(path) : undefined;
}

/**
 * A level's locations indexed for `findLocation`: exact and prefix locations by URI, regex locations
 * by the literal text they must start with (`^/api/…`), and the answers already given. Without it,
 * every question scans every location (and tests every regex): quadratic with 1k sibling locations.
 */
interface LocationIndex {
  exact: Map<string, Directive>;
  prefix: Map<string, Directive>;
  regexes: { l: Directive; m: LocationMatch }[];
  /** Regex indexes by required literal start (lower-cased for `~*`); `free`: regexes without one. */
  byStart: Map<string, number[]>;
  free: number[];
  /** The distinct lengths of prefix URIs and of required starts, longest first: the only cuts of a path worth looking up. */
  prefixLengths: number[];
  startLengths: number[];
  answers: Map<string, { location?: Directive; final: boolean; unknown?: boolean }>;
}

const locationIndexes = new WeakMap<readonly Directive[], LocationIndex>();

const lowerAscii = (s: string) => s.replace(/[A-Z]+/g, (c) => c.toLowerCase());

/**
 * The literal text every match of an anchored regex starts with: `^/api/v1` → "/api/v1"; "" when
 * unsure (no `^`, an alternation anywhere, a quantifier on the last literal, non-ASCII).
 */
function requiredStart(uri: string): string {
  if (!uri.startsWith('^') || topLevelAlternation(uri)) return '';
  let i = 1;
  while (i < uri.length && !'\\.^$|?*+()[]{}'.includes(uri[i]) && uri.charCodeAt(i) < 128) i++;
  let lit = uri.slice(1, i);
  if (i < uri.length && '?*+{'.includes(uri[i])) lit = lit.slice(0, -1);
  if (i < uri.length && uri.charCodeAt(i) >= 128) return '';
  return lit;
}

/** A `|` outside every group and class: `^/a|/b` need not start with "/a" (`^/a/(x|y)` must). */
function topLevelAlternation(uri: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < uri.length; i++) {
    const c = uri[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

function locationIndex(locations: readonly Directive[]): LocationIndex {
  let index = locationIndexes.get(locations);
  if (index) return index;
  index = { exact: new Map(), prefix: new Map(), regexes: [], byStart: new Map(), free: [], prefixLengths: [], startLengths: [], answers: new Map() };
  for (const l of namedIn(locations, 'location')) {
    if (!l.block) continue;
    const m = locationMatch(l);
    if (!m) continue;
    // The first of equal URIs wins, as in the scan this replaces.
    if (m.kind === 'exact' && !index.exact.has(m.uri)) index.exact.set(m.uri, l);
    if ((m.kind === 'prefix' || m.kind === 'noregex') && !index.prefix.has(m.uri)) index.prefix.set(m.uri, l);
    if (m.kind === 'regex' || m.kind === 'regex-i') {
      const n = index.regexes.push({ l, m }) - 1;
      // One the matcher cannot read is always a candidate: it makes the answer unknown, as before.
      const start = regexMatches(l, m, '') === undefined ? '' : requiredStart(m.uri);
      const key = m.kind === 'regex-i' ? lowerAscii(start) : start;
      if (!key) index.free.push(n);
      else {
        const list = index.byStart.get(key);
        if (list) list.push(n);
        else index.byStart.set(key, [n]);
      }
    }
  }
  const lengths = (keys: Iterable<string>) => [...new Set([...keys].map((k) => k.length))].sort((a, b) => b - a);
  index.prefixLengths = lengths(index.prefix.keys());
  index.startLengths = lengths(index.byStart.keys());
  locationIndexes.set(locations, index);
  return index;
}

/** The location nginx picks for `path` among `locations` (exact, longest prefix, ^~, nested, then regexes in order). */
export function findLocation(locations: readonly Directive[], path: string, depth = 0): { location?: Directive; final: boolean; unknown?: boolean } {
  if (depth > 64) return { final: false };
  const index = locationIndex(locations);
  const known = index.answers.get(path);
  if (known) return known;
  const answer = pickLocation(index, path, depth);
  index.answers.set(path, answer);
  return answer;
}

function pickLocation(index: LocationIndex, path: string, depth: number): { location?: Directive; final: boolean; unknown?: boolean } {
  const exact = index.exact.get(path);
  if (exact) return { location: exact, final: true };
  // The longest prefix: the path's own prefixes, longest first.
  let best: Directive | undefined;
  for (const k of index.prefixLengths) {
    if (k > path.length) continue;
    best = index.prefix.get(path.slice(0, k));
    if (best) break;
  }
  let inner: { location?: Directive; final: boolean; unknown?: boolean } | undefined;
  if (best) {
    inner = findLocation(best.block!.children, path, depth + 1);
    if (inner.final) return inner;
    if (locationMatch(best)!.kind === 'noregex') return { location: inner.location ?? best, final: true };
  }
  // Regexes in file order, but only those that can match: no required start, or one the path has.
  if (index.regexes.length) {
    const candidates = [...index.free];
    const lower = lowerAscii(path);
    for (const k of index.startLengths) {
      if (k > path.length) continue;
      for (const n of index.byStart.get(path.slice(0, k)) ?? []) candidates.push(n);
      if (lower !== path) for (const n of index.byStart.get(lower.slice(0, k)) ?? []) candidates.push(n);
    }
    candidates.sort((a, b) => a - b);
    let previous = -1;
    for (const n of candidates) {
      if (n === previous) continue;
      previous = n;
      const { l, m } = index.regexes[n];
      const matches = regexMatches(l, m, path);
      // A regex the matcher cannot read may or may not take the path: nobody knows which location wins.
      if (matches === undefined) return { final: true, unknown: true };
      if (matches) {
        const nested = findLocation(l.block!.children, path, depth + 1);
        return { location: nested.final || nested.location ? nested.location : l, final: true, unknown: nested.unknown };
      }
    }
  }
  return { location: inner?.location ?? best, final: false };
}
