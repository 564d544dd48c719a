import { DIRECTIVE_TABLE } from './directive-table';

/**
 * What nginx knows about each directive: where it may appear and how many arguments it takes,
 * from nginx's current documentation (see directive-table.ts), plus the few corrections below.
 */

/** Configuration contexts as bits, so a directive's allowed contexts are one mask. */
export const Ctx = {
  main: 1,
  events: 2,
  http: 4,
  server: 8,
  location: 16,
  /** `if` inside a server. */
  sif: 32,
  /** `if` inside a location. */
  lif: 64,
  limit_except: 128,
  upstream: 256,
  stream: 512,
  's.server': 1024,
  's.upstream': 2048,
  mail: 4096,
  'm.server': 8192,
  mgmt: 16384,
  acme_issuer: 32768,
  oidc_provider: 65536,
} as const;
export type CtxName = keyof typeof Ctx;
/** A body whose lines are data (map, geo, types…) or unknown: its entries are not checked. */
export const RAW = 0;
const ANY = 0x1ffff;

export interface DirectiveSpec {
  name: string;
  contexts: number;
  min: number;
  max: number;
  block: boolean;
  family: 'core' | 'http' | 'stream' | 'mail';
}

/** Where the docs' syntax line and nginx disagree on the count (checked against nginx itself). */
const ARG_OVERRIDES: Record<string, { min?: number; max?: number }> = {
  listen: { max: Infinity },
  if: { min: 1, max: Infinity },
  access_log: { max: Infinity },
  error_log: { max: Infinity },
  ssl_protocols: { min: 1, max: Infinity },
  proxy_ssl_protocols: { min: 1, max: Infinity },
  grpc_ssl_protocols: { min: 1, max: Infinity },
  uwsgi_ssl_protocols: { min: 1, max: Infinity },
  proxy_cache_path: { max: Infinity },
  fastcgi_cache_path: { max: Infinity },
  scgi_cache_path: { max: Infinity },
  uwsgi_cache_path: { max: Infinity },
  dav_access: { max: 3 },
  proxy_store_access: { max: 3 },
  fastcgi_store_access: { max: 3 },
  scgi_store_access: { max: 3 },
  uwsgi_store_access: { max: 3 },
  keepalive_disable: { max: 2 },
  proxy_cookie_flags: { max: 4 },
  userid_flags: { max: 3 },
  ssl_ocsp_cache: { min: 1 },
  ssl_session_cache: { min: 1 },
  stub_status: { max: 1 },
  uwsgi_pass: { max: 1 },
  // NGINX Plus's active health checks take any of their parameters.
  health_check: { max: Infinity },
};
/** Per family: the upstream `server` takes any number of parameters. */
const UPSTREAM_SERVER_MAX = Infinity;

const SPECS = new Map<string, DirectiveSpec[]>();
for (const line of DIRECTIVE_TABLE.split('\n')) {
  if (!line) continue;
  const [name, ctxs, min, max, block, family] = line.split(' ');
  let contexts = 0;
  for (const c of ctxs.split(',')) contexts |= c === 'any' ? ANY : (Ctx as Record<string, number>)[c] ?? 0;
  const o = ARG_OVERRIDES[name];
  const spec: DirectiveSpec = {
    name,
    contexts,
    min: o?.min ?? Number(min),
    max: o?.max ?? (max === '-1' ? Infinity : Number(max)),
    block: block === 'B',
    family: family as DirectiveSpec['family'],
  };
  if (name === 'server' && !spec.block) spec.max = UPSTREAM_SERVER_MAX;
  const list = SPECS.get(name);
  if (list) list.push(spec);
  else SPECS.set(name, [spec]);
}

export function specsOf(name: string): DirectiveSpec[] | undefined {
  return SPECS.get(name);
}

/** Directives of third-party modules people commonly build in: not nginx's, but not typos either. */
const THIRD_PARTY = /^(more_(set|clear)(_input)?_headers|lua_\w+|\w+_by_lua(_block|_file)?|brotli\w*|vhost_traffic_status\w*|geoip2|pagespeed|passenger_\w+|modsecurity\w*|headers_more\w*|echo\w*|set_by_lua\w*|njs\w*|fancyindex\w*|upload_progress\w*|track_uploads|report_uploads|sticky|check|check_http_\w+|zstd\w*|auth_pam\w*|auth_ldap\w*|ldap_server|dav_ext_\w+|security_headers|realip_\w+|ssl_ct\w*|push_stream_\w+|rtmp|nchan_\w+|testcookie\w*|naxsi\w*|DeniedUrl|BasicRule|MainRule|CheckRule|LearningMode|SecRulesEnabled|SecRulesDisabled|LibInjection\w*)$/;

export function isThirdParty(name: string): boolean {
  return THIRD_PARTY.test(name);
}

/** The context a block directive opens inside `parent`; RAW for data bodies and unknown blocks. */
export function childContext(name: string, parent: number): number {
  switch (name) {
    case 'http':
      return Ctx.http;
    case 'events':
      return Ctx.events;
    case 'stream':
      return Ctx.stream;
    case 'mail':
      return Ctx.mail;
    case 'server':
      return parent === Ctx.http ? Ctx.server : parent === Ctx.stream ? Ctx['s.server'] : parent === Ctx.mail ? Ctx['m.server'] : RAW;
    case 'location':
      return Ctx.location;
    case 'if':
      return parent === Ctx.server ? Ctx.sif : parent === Ctx.location ? Ctx.lif : RAW;
    case 'limit_except':
      return Ctx.limit_except;
    case 'upstream':
      return parent === Ctx.stream ? Ctx['s.upstream'] : Ctx.upstream;
    case 'mgmt':
      return Ctx.mgmt;
    case 'acme_issuer':
      return Ctx.acme_issuer;
    case 'oidc_provider':
      return Ctx.oidc_provider;
    default:
      return RAW;
  }
}

/** The spec that applies in `ctx`, if any. */
export function specIn(specs: readonly DirectiveSpec[], ctx: number): DirectiveSpec | undefined {
  return specs.find((s) => (s.contexts & ctx) !== 0);
}

export function contextName(ctx: number): string {
  switch (ctx) {
    case Ctx.main:
      return 'the main context';
    case Ctx.sif:
      return '"if" in a server';
    case Ctx.lif:
      return '"if" in a location';
    case Ctx['s.server']:
      return 'a stream "server"';
    case Ctx['s.upstream']:
      return 'a stream "upstream"';
    case Ctx['m.server']:
      return 'a mail "server"';
    default: {
      const name = (Object.keys(Ctx) as CtxName[]).find((k) => Ctx[k] === ctx);
      return name ? `"${name}"` : 'this block';
    }
  }
}

/** Names of the contexts in a mask, for messages. */
export function contextNames(mask: number): string[] {
  if (mask === ANY) return ['any context'];
  return (Object.keys(Ctx) as CtxName[]).filter((k) => mask & Ctx[k]).map((k) => (k === 'main' ? 'main' : k === 'sif' || k === 'lif' ? `if` : k.replace(/^[sm]\./, '')));
}

let allNames: string[] | undefined;

/** The known directive closest to a misspelt name (edit distance ≤ 2, or ≤ 1 for short names). */
export function didYouMean(name: string, ctx: number): string | undefined {
  allNames ??= [...SPECS.keys()];
  const limit = name.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of allNames) {
    if (Math.abs(candidate.length - name.length) > limit) continue;
    const d = distance(name.toLowerCase(), candidate, limit);
    if (d > limit) continue;
    // Prefer a candidate allowed where the typo is.
    const allowed = ctx === RAW || SPECS.get(candidate)!.some((s) => s.contexts & ctx);
    const score = d * 2 + (allowed ? 0 : 1);
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}

/** Damerau-Levenshtein (optimal string alignment) distance, giving up past `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (a === b) return 0;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      row.push(v);
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}
