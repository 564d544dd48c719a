import { compareRanges } from '../core/text';
import type { Finding, Range, Severity } from '../core/types';
import { classifyAddress, ServiceKnowledge } from '../knowledge/services';
import type { EntryPoint, Exposure, Hop, Protections, WorstFinding } from './exposure-types';
import type { FileFacts, Listener, Place, ProxyFacts, RouteFacts } from './facts';
import { buildDeployment, coversContainer, describeReach, imagePorts, type Deployment, type Reach } from './model';

/**
 * The deployment's entry points: every listener reachable from other machines (proxy listeners,
 * published ports, unit listeners, host-network services), what each proxy route reaches, the
 * protections of each hop and the worst finding on the way. Deterministic: by place, then port.
 */
export function buildExposure(files: readonly FileFacts[], findings: readonly Finding[], knowledge?: ServiceKnowledge): Exposure {
  const d = buildDeployment(files, knowledge);
  const worstOn = worstFinder(findings);
  const entries: EntryPoint[] = [];

  // The published ports of a proxy's own container that lead to its sites: shown as the sites.
  const shownAsProxy = new Set<Listener>();
  for (const proxy of d.proxies) {
    const names = proxy.names.filter((n) => n);
    const hopsFor = (tls: boolean): Hop[] =>
      proxy.routes.map((route) => {
        const reaches = d.resolve(route, proxy);
        const service = reaches.map((r) => knownOf(r)).find((k) => k) ?? route.target.known;
        const places = [route.place, ...(route.auth ? [route.auth] : []), ...(route.rateLimit ? [route.rateLimit] : []), ...reaches.flatMap((r) => reachedPlaces(d, r))];
        const worst = worstOn(places);
        return {
          path: route.path,
          target: route.target.url,
          reaches: reaches.length ? [...new Set(reaches.map(describeReach))].join(', ') : unresolved(d, proxy, route),
          ...(service ? { service } : {}),
          protections: { tls, auth: !!route.auth, rateLimit: !!route.rateLimit },
          place: route.place,
          ...(worst ? { worst } : {}),
        };
      });
    for (const l of proxy.listeners) {
      if (!l.exposed) continue;
      const hops = hopsFor(l.tls);
      const worst = pick([worstOn([l.place, proxy.place]), ...hops.map((h) => h.worst)]);
      for (const way of waysIn(d, proxy, l, shownAsProxy)) {
        entries.push({
          ...where(way),
          kind: proxy.server,
          name: `${proxy.server} ${names.length ? names.join(' ') : '(any name)'}`,
          protections: {
            tls: l.tls,
            auth: hops.length > 0 && hops.every((h) => h.protections.auth === true),
            rateLimit: hops.length > 0 && hops.every((h) => h.protections.rateLimit),
          },
          place: l.place,
          hops,
          ...(worst ? { worst } : {}),
        });
      }
    }
  }

  // A proxy container's 80 and 443 (HTTP redirects, certificate challenges) go with its sites too.
  const homes = new Set(d.proxies.flatMap((p) => d.homesOf(p)));
  for (const s of d.services) {
    for (const p of s.ports) {
      if (!p.exposed || shownAsProxy.has(p) || (homes.has(s) && (p.containerPort === 80 || p.containerPort === 443))) continue;
      entries.push(direct(d, p, 'compose', `compose service ${s.name}`, s.known, [p.place, s.place], worstOn, s.authOff));
    }
    if (s.hostNetwork) {
      const ports = imagePorts(s, d.knowledge);
      for (const port of ports.length ? ports : [0]) {
        entries.push(direct(d, { address: '', port, exposed: true, place: s.place }, 'compose', `compose service ${s.name} (host network)`, s.known, [s.place], worstOn, s.authOff));
      }
    }
  }
  for (const u of d.units) {
    for (const l of u.listeners) if (l.exposed) entries.push(direct(d, l, 'systemd', u.name, u.known, [l.place, u.place], worstOn));
  }

  entries.sort((a, b) => comparePlaces(a.place, b.place) || a.port - b.port || a.name.localeCompare(b.name));
  return { entries };
}

/**
 * Where other machines reach a proxy's listener: the listener itself on the host; for a proxy in a
 * container, each port its container publishes to that listener (none: it is not reachable).
 */
function waysIn(d: Deployment, proxy: ProxyFacts, l: Listener, shown: Set<Listener>): Listener[] {
  const homes = d.homesOf(proxy);
  if (!homes.length || homes.some((h) => h.hostNetwork)) return [l];
  const published = homes.flatMap((h) => h.ports.filter((p) => p.exposed && p.protocol === 'tcp' && coversContainer(p, l.port)));
  for (const p of published) shown.add(p);
  return published.map((p) => ({ ...p, port: p.port + (l.port - p.containerPort), portEnd: undefined }));
}

/** An entry point that is the service itself: a published port, a unit's listener, a host-network service. */
function direct(d: Deployment, l: Listener, kind: 'compose' | 'systemd', name: string, service: string | undefined, places: Place[], worstOn: (p: Place[]) => WorstFinding | undefined, authOff?: Place): EntryPoint {
  const info = service ? d.knowledge.all.find((k) => k.name === service) : undefined;
  const protections: Protections = { tls: false, auth: authOff ? false : info ? !info.noAuth : 'unknown', rateLimit: false };
  if (authOff) places = [...places, authOff];
  const worst = worstOn(places);
  return { ...where(l), kind, name, ...(service ? { service } : {}), protections, place: l.place, hops: [], ...(worst ? { worst } : {}) };
}

function where(l: Listener): Pick<EntryPoint, 'address' | 'port' | 'portEnd'> {
  const host = l.address === '' ? '*' : l.address.includes(':') && !l.address.startsWith('[') ? `[${l.address}]` : l.address;
  const port = l.port === 0 ? '?' : l.portEnd !== undefined ? `${l.port}-${l.portEnd}` : `${l.port}`;
  return { address: `${host}:${port}`, port: l.port, ...(l.portEnd !== undefined ? { portEnd: l.portEnd } : {}) };
}

function knownOf(r: Reach): string | undefined {
  return r.kind === 'unit' ? r.unit.known : r.service.known;
}

/** Where the reached service is written: its key or unit, the listener the route goes through, its direct ways in. */
function reachedPlaces(d: Deployment, r: Reach): Place[] {
  const direct = d.directPaths(r).map((x) => x.listener.place);
  if (r.kind === 'unit') return [r.unit.place, r.via.place, ...direct];
  return [r.service.place, ...(r.via ? [r.via.place] : []), ...(r.service.authOff ? [r.service.authOff] : []), ...direct];
}

/** What an unresolved target reaches: a containerized proxy's `localhost` is its own container; else the target as written. */
function unresolved(d: Deployment, proxy: ProxyFacts, route: RouteFacts): string {
  const homes = d.homesOf(proxy);
  const loopback = route.target.endpoints.length > 0 && route.target.endpoints.every((e) => classifyAddress(e.host) === 'loopback');
  if (loopback && homes.length && !homes.some((h) => h.hostNetwork)) return `its own container (compose service ${homes.map((h) => h.name).join(', ')}), not the host`;
  return route.target.url;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };
/** Among equals a cross-file finding first: it is about the whole path, not one file. */
const crossFile = (f: { rule: string }) => (f.rule.startsWith('deployment/') ? 0 : 1);

function pick(candidates: (WorstFinding | undefined)[]): WorstFinding | undefined {
  let best: WorstFinding | undefined;
  for (const c of candidates) if (c && (!best || RANK[c.severity] < RANK[best.severity] || (RANK[c.severity] === RANK[best.severity] && crossFile(c) < crossFile(best)))) best = c;
  return best;
}

/** The most severe finding touching any of the places; among equals a cross-file one, then the first place given. */
function worstFinder(findings: readonly Finding[]): (places: Place[]) => WorstFinding | undefined {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!byFile.has(f.file)) byFile.set(f.file, []);
    byFile.get(f.file)!.push(f);
  }
  for (const list of byFile.values()) list.sort((a, b) => RANK[a.severity] - RANK[b.severity] || crossFile(a) - crossFile(b) || compareRanges(a.range, b.range) || a.rule.localeCompare(b.rule));
  return (places) => {
    let best: Finding | undefined;
    for (const p of places) {
      const f = byFile.get(p.file)?.find((x) => overlaps(x.range, p.range));
      if (f && (!best || RANK[f.severity] < RANK[best.severity] || (RANK[f.severity] === RANK[best.severity] && crossFile(f) < crossFile(best)))) best = f;
    }
    return best && { rule: best.rule, severity: best.severity, message: best.message, place: { file: best.file, range: best.range } };
  };
}

const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character < y.character);
const same = (x: Range['start'], y: Range['start']) => x.line === y.line && x.character === y.character;

/** Ranges share a character, or an empty one sits inside the other. */
function overlaps(a: Range, b: Range): boolean {
  const empty = (r: Range) => same(r.start, r.end);
  if (empty(a)) return !before(a.start, b.start) && !before(b.end, a.start);
  if (empty(b)) return !before(b.start, a.start) && !before(a.end, b.start);
  return before(a.start, b.end) && before(b.start, a.end);
}

function comparePlaces(a: Place, b: Place): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || compareRanges(a.range, b.range);
}
