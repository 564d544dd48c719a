import type { Fix, RuleContext } from '../core/types';
import type { FileFacts, Listener, Place, ProxyFacts, RouteFacts, TargetFacts } from '../deployment/facts';
import { classifyAddress } from '../knowledge/services';
import { AUTH_DIRECTIVES, authFrom, identify, isHeaderCheck, listens, parseUrl, proxyTargets, scopeChain, targetVia, type ProxyTarget } from './analysis';
import { Ctx } from './directives';
import { insertAtBlockStart } from './edit';
import { resolution } from './includes';
import { named, type Directive, type NginxModel } from './model';

/**
 * What an nginx config says about the deployment: one proxy per `server` block of the http side
 * written in this file, with its listeners and, for each `proxy_pass`/`grpc_pass` under it
 * (included snippets followed), the path, the target and the auth and rate limit in effect.
 */
export function nginxFacts(model: NginxModel, ctx: RuleContext): Omit<FileFacts, 'file' | 'format'> {
  const r = resolution(model, ctx);
  const expand = (list: readonly Directive[]) => (r ? r.level(list) : list);
  const place = (d: Directive, start = d.start, end = d.end): Place => (r ? r.placeOf(d, start, end) : { file: ctx.file, range: ctx.range(start, end) });
  const own = new Map(proxyTargets(model, ctx.services, ctx).map((t) => [t.directive, t]));
  const upstreams = new Map<string, Directive>(r ? r.upstreams() : []);
  for (const u of named(model, 'upstream')) if (u.block && u.ctx === Ctx.http && u.args[0] && !upstreams.has(u.args[0].value)) upstreams.set(u.args[0].value, u);

  const targetOf = (d: Directive, scope: Scope): ProxyTarget | undefined => {
    const mine = own.get(d);
    if (mine) return mine;
    let url = variable(scope, d.args[0]?.value ?? '');
    if (d.name === 'grpc_pass' && !/^[a-z]+:\/\//i.test(url)) url = `grpc://${url}`;
    const parsed = parseUrl(url);
    if (!parsed) return undefined;
    const base = { directive: d, url, ...parsed };
    const upstream = upstreams.get(parsed.host);
    const t = upstream ? targetVia(base, upstream) : { ...base, endpoints: [{ host: parsed.host.replace(/^\[|\]$/g, ''), port: parsed.port ?? defaultPort(parsed.scheme) }], loopback: classifyAddress(parsed.host) === 'loopback' };
    identify(t, ctx.services);
    return t;
  };

  const proxies: ProxyFacts[] = [];
  for (const server of named(model, 'server')) {
    if (!server.block || server.ctx !== Ctx.http) continue;
    const level = expand(server.block.children);
    let outside: Scope | undefined;
    for (const l of scopeChain(model, server, ctx).reverse()) outside = new Scope(l, outside);
    const routes: RouteFacts[] = [];
    const walk = (list: readonly Directive[], scope: Scope, path: string) => {
      for (const d of list) {
        if (d.block && !d.block.opaque && (d.name === 'location' || d.name === 'if' || d.name === 'limit_except')) {
          const inner = expand(d.block.children);
          walk(inner, new Scope(inner, scope), d.name === 'location' ? d.args.map((a) => a.value).join(' ') : path);
        } else if ((d.name === 'proxy_pass' || d.name === 'grpc_pass') && d.args[0]) {
          const t = targetOf(d, scope);
          if (!t) continue;
          const auth = authFrom((name) => scope.effective(name), () => scope.headerCheck);
          const [limit] = scope.effective('limit_req');
          routes.push({
            path,
            target: targetFacts(t, d.args[0].value),
            ...(auth ? { auth: place(auth) } : {}),
            ...(limit ? { rateLimit: place(limit) } : {}),
            place: place(d),
          });
        }
      }
    };
    walk(level, new Scope(level, outside), '');
    proxies.push({
      server: 'nginx',
      names: [...new Set(level.filter((d) => d.name === 'server_name').flatMap((d) => d.args.map((a) => a.value)).filter((n) => n !== ''))],
      listeners: listeners(server, level, place, ctx),
      routes,
      place: place(server, server.nameWord.start, server.nameWord.end),
    });
  }
  return { proxies };
}

/** The names the facts ask about, and how they group (allow and deny are one list). */
const WATCHED = new Map<string, string>([...AUTH_DIRECTIVES.map((n): [string, string] => [n, n]), ['allow', 'allow,deny'], ['deny', 'allow,deny'], ['limit_req', 'limit_req'], ['set', 'set']]);

/**
 * One level's settings over its parent's, as nginx inherits them (a level with any of a name hides
 * the outer ones): each level read once, however many proxies sit below it.
 */
class Scope {
  private readonly own = new Map<string, Directive[]>();
  readonly headerCheck: Directive | undefined;

  constructor(level: readonly Directive[], readonly parent: Scope | undefined) {
    let check: Directive | undefined;
    for (const d of level) {
      const key = WATCHED.get(d.name);
      if (key) this.own.set(key, [...(this.own.get(key) ?? []), d]);
      else if (!check && isHeaderCheck(d)) check = d;
    }
    this.headerCheck = check ?? parent?.headerCheck;
  }

  /** This level's own directives of a watched name. */
  ownOf(name: string): readonly Directive[] {
    return this.own.get(name) ?? [];
  }

  effective(name: string | string[]): readonly Directive[] {
    const key = Array.isArray(name) ? [...name].sort().join(',') : name;
    return this.own.get(key) ?? this.parent?.effective(name) ?? [];
  }
}

function defaultPort(scheme: string): number | undefined {
  return scheme === 'https' ? 443 : scheme === 'http' ? 80 : undefined;
}

/** `proxy_pass $backend` with `set $backend …;` in scope. */
function variable(scope: Scope, value: string): string {
  const m = /^\$(\w+)$/.exec(value);
  if (!m) return value;
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const set = s.ownOf('set').find((x) => x.args[0]?.value === `$${m[1]}`);
    if (set?.args[1]) return set.args[1].value;
  }
  return value;
}

function targetFacts(t: ProxyTarget, written: string): TargetFacts {
  const scheme = t.scheme === 'http' || t.scheme === 'https' ? t.scheme : 'other';
  return {
    url: written,
    scheme,
    endpoints: t.endpoints.map((e) => {
      const port = e.port ?? defaultPort(t.scheme);
      return port === undefined ? { host: e.host } : { host: e.host, port };
    }),
    ...(t.upstream ? { upstream: t.host } : {}),
    ...(t.service ? { known: t.service.name } : {}),
  };
}

const EVERY_INTERFACE = new Set(['', '*', '0.0.0.0', '::', '[::]']);

function listeners(server: Directive, level: readonly Directive[], place: (d: Directive, s?: number, e?: number) => Place, ctx: RuleContext): (Listener & { tls: boolean })[] {
  const out: (Listener & { tls: boolean })[] = [];
  for (const l of listens(server, level)) {
    if (l.address === 'unix') continue;
    const address = EVERY_INTERFACE.has(l.address) ? '' : l.address;
    const exposed = classifyAddress(address) === 'exposed';
    const at = l.directive ? place(l.directive) : place(server, server.nameWord.start, server.nameWord.end);
    out.push({ address, port: l.port, exposed, place: at, tls: l.ssl, ...(exposed ? { bindLoopback: bindLoopback(server, l, place, ctx) } : {}) });
  }
  return out;
}

/** The fix that keeps a listener on loopback, port kept (IPv6 stays IPv6, so two listens stay distinct). */
function bindLoopback(server: Directive, l: { directive?: Directive; address: string; port: number }, place: (d: Directive, s?: number, e?: number) => Place, ctx: RuleContext): Fix {
  const v6 = l.address.includes(':');
  const address = `${v6 ? '[::1]' : '127.0.0.1'}:${l.port}`;
  const title = `Listen on ${address} only`;
  if (!l.directive) {
    const edit = insertAtBlockStart(ctx, server, [`listen ${address};`]);
    return { title, edits: [{ ...edit, file: ctx.file }] };
  }
  const arg = l.directive.args[0];
  const where = place(l.directive, arg.start, arg.end);
  return { title, edits: [{ file: where.file, range: where.range, newText: address }] };
}
