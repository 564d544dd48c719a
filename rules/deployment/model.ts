import { classifyAddress, ServiceKnowledge } from '../knowledge/services';
import type { ComposeServiceFacts, FileFacts, Listener, Place, ProxyFacts, RouteFacts, UnitFacts } from './facts';
import { append } from '../core/arrays';

/**
 * The deployment as one picture, from every file's facts: the compose services, the systemd units
 * (drop-ins merged under their unit's name), the proxies, and where each proxy route really goes.
 */

export type PublishedPort = ComposeServiceFacts['ports'][number];

/** What a proxy route's endpoint reaches. */
export type Reach =
  | {
      kind: 'compose';
      service: ComposeServiceFacts;
      /** The port inside the container the route ends at. */
      containerPort: number;
      /** The published port the route goes through (`localhost:PORT`); absent for a Docker DNS name. */
      via?: PublishedPort;
    }
  | { kind: 'unit'; unit: UnitFacts; port: number; via: Listener };

/** A way in that skips the proxy: a listener reachable from other machines. */
export interface DirectPath {
  listener: Listener;
  /** How it is opened, for messages: `published on every interface`, `network_mode: host`. */
  how: string;
}

export interface Deployment {
  services: ComposeServiceFacts[];
  units: UnitFacts[];
  proxies: ProxyFacts[];
  knowledge: ServiceKnowledge;
  /** The services a route's target reaches (every endpoint of an `upstream`), given the proxy it is in. */
  resolve(route: RouteFacts, proxy: ProxyFacts): Reach[];
  /** The ways to the same process and port that do not go through any proxy. */
  directPaths(reach: Reach): DirectPath[];
  /** The compose services the proxy itself runs in (an nginx or Caddy image in the file's project); none on the host. */
  homesOf(proxy: ProxyFacts): ComposeServiceFacts[];
}

const BUILTIN = new ServiceKnowledge();
const memo = new WeakMap<readonly FileFacts[], Deployment>();

/** The deployment of these files; the same object for the same array (and knowledge). */
export function buildDeployment(files: readonly FileFacts[], knowledge: ServiceKnowledge = BUILTIN): Deployment {
  const hit = memo.get(files);
  if (hit && hit.knowledge === knowledge) return hit;
  const d = build(files, knowledge);
  memo.set(files, d);
  return d;
}

function build(files: readonly FileFacts[], knowledge: ServiceKnowledge): Deployment {
  const sorted = [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const services = sorted.flatMap((f) => f.services ?? []);
  const proxies = sorted.flatMap((f) => f.proxies ?? []);
  const units = mergeUnits(sorted.flatMap((f) => f.units ?? []));
  const homes = new Map<ProxyFacts, ComposeServiceFacts[]>();
  const proxyImages = services.filter((s) => s.known === 'Caddy' || s.known === 'nginx');

  const homesOf = (proxy: ProxyFacts) => {
    let h = homes.get(proxy);
    if (!h) {
      const image = proxy.server === 'caddy' ? 'Caddy' : 'nginx';
      // The nearest compose project around the config is the one that mounts it; outer ones hold other stacks.
      const around = proxyImages.filter((s) => s.known === image && within(proxy.place.file, s.project));
      const nearest = Math.max(-1, ...around.map((s) => s.project.length));
      h = around.filter((s) => s.project.length === nearest);
      homes.set(proxy, h);
    }
    return h;
  };

  // Host listeners by port (ranges and host-network services apart, they are few), services by DNS name.
  type HostListener = { address: string; reach: (port: number) => Reach };
  const byPort = new Map<number, HostListener[]>();
  const ranged: (HostListener & { from: number; to: number })[] = [];
  const add = (l: Listener, h: HostListener) => {
    if (l.port === 0) return;
    if (l.portEnd !== undefined) ranged.push({ ...h, from: l.port, to: l.portEnd });
    else if (byPort.has(l.port)) byPort.get(l.port)!.push(h);
    else byPort.set(l.port, [h]);
  };
  const hostNetwork = services.filter((s) => s.hostNetwork);
  for (const s of services) {
    for (const p of s.ports) {
      if (p.protocol === 'tcp') add(p, { address: p.address, reach: (port) => ({ kind: 'compose', service: s, containerPort: p.containerPort + (port - p.port), via: p }) });
    }
  }
  for (const u of units) for (const l of u.listeners) add(l, { address: l.address, reach: (port) => ({ kind: 'unit', unit: u, port, via: l }) });
  const named = new Map<string, ComposeServiceFacts[]>();
  for (const s of services) {
    for (const n of new Set([s.name, ...(s.aliases ?? [])].map((x) => x.toLowerCase()))) {
      if (named.has(n)) named.get(n)!.push(s);
      else named.set(n, [s]);
    }
  }

  /** Listeners of this host on `port` that an address reaches (`matches` says which addresses). */
  const onHost = (port: number, matches: (address: string) => boolean): Reach[] => {
    const out: Reach[] = [];
    for (const h of byPort.get(port) ?? []) if (matches(h.address)) out.push(h.reach(port));
    for (const h of ranged) if (port >= h.from && port <= h.to && matches(h.address)) out.push(h.reach(port));
    for (const s of hostNetwork) if (imagePorts(s, knowledge).includes(port) && matches('')) out.push({ kind: 'compose', service: s, containerPort: port });
    return out;
  };

  const byName = (name: string, port: number, proxy: ProxyFacts): Reach[] => {
    const candidates = named.get(name) ?? [];
    const h = homesOf(proxy);
    // In compose, the proxy resolves names on its own networks only; on the host, the project around it first.
    const nearby = candidates.filter((s) => within(proxy.place.file, s.project));
    const reachable = h.length ? candidates.filter((s) => h.some((home) => home.project === s.project && home.networks.some((n) => s.networks.includes(n)))) : nearby.length ? nearby : candidates;
    return reachable.map((service) => ({ kind: 'compose' as const, service, containerPort: port }));
  };

  const resolved = new Map<RouteFacts, Reach[]>();
  const resolve = (route: RouteFacts, proxy: ProxyFacts): Reach[] => {
    const known = resolved.get(route);
    if (known) return known;
    const out: Reach[] = [];
    const inContainer = homesOf(proxy).length > 0 && !homesOf(proxy).some((s) => s.hostNetwork);
    for (const e of route.target.endpoints) {
      const host = e.host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
      const port = e.port ?? (route.target.scheme === 'https' ? 443 : 80);
      const kind = classifyAddress(host);
      if (kind === 'loopback') {
        // A proxy in a container reaching `localhost` reaches its own container, not the host.
        if (!inContainer) append(out, onHost(port, (a) => a === '' || classifyAddress(a) === 'loopback'));
      } else if (host === 'host.docker.internal' || host === 'host-gateway' || host === '172.17.0.1') {
        // The host as a container sees it (Docker's default bridge gateway): what listens on every interface.
        append(out, onHost(port, (a) => a === ''));
      } else if (kind !== 'unknown') {
        append(out, onHost(port, (a) => a.replace(/^\[(.*)\]$/, '$1').toLowerCase() === host));
      } else {
        append(out, byName(host, port, proxy));
      }
    }
    resolved.set(route, out);
    return out;
  };

  const directPaths = (reach: Reach): DirectPath[] => {
    const out: DirectPath[] = [];
    if (reach.kind === 'unit') {
      for (const l of reach.unit.listeners) if (l.exposed && covers(l, reach.port)) out.push({ listener: l, how: `listens on ${l.address || 'every interface'}` });
      return out;
    }
    const s = reach.service;
    for (const p of s.ports) {
      if (!p.exposed || p.protocol !== 'tcp' || !coversContainer(p, reach.containerPort)) continue;
      out.push({ listener: p, how: p.address ? `publishes it on ${p.address}` : 'publishes it on every interface' });
    }
    if (s.hostNetwork && (imagePorts(s, knowledge).includes(reach.containerPort) || !imagePorts(s, knowledge).length)) {
      out.push({ listener: { address: '', port: reach.containerPort, exposed: true, place: s.place }, how: 'runs it with network_mode: host' });
    }
    return out;
  };

  return { services, units, proxies, knowledge, resolve, directPaths, homesOf };
}

const UNIT_NAME = /\.(service|socket|target|device|mount|automount|swap|timer|path|slice|scope)$/;

/**
 * A unit and its drop-ins are one unit: the listeners of all, placed at the unit file when there
 * is one. A drop-in whose unit has no name (`override.conf` alone) stays on its own.
 */
function mergeUnits(units: UnitFacts[]): UnitFacts[] {
  const byName = new Map<string, UnitFacts>();
  for (const u of units) {
    const key = UNIT_NAME.test(u.name) ? u.name : `\0${u.place.file}`;
    const seen = byName.get(key);
    if (!seen) {
      byName.set(key, { ...u, listeners: [...u.listeners] });
      continue;
    }
    const main = baseName(u.place.file) === u.name;
    byName.set(key, {
      name: u.name,
      ...((seen.known ?? u.known) ? { known: seen.known ?? u.known } : {}),
      listeners: [...seen.listeners, ...u.listeners],
      place: main ? u.place : seen.place,
    });
  }
  return [...byName.values()];
}

/** The ports a host-network service listens on: its image's, from the knowledge table. */
export function imagePorts(s: ComposeServiceFacts, knowledge: ServiceKnowledge): number[] {
  const info = knowledge.byImage(s.image) ?? knowledge.all.find((k) => k.name === s.known);
  return info?.ports ?? [];
}

function covers(l: Listener, port: number): boolean {
  return l.port !== 0 && port >= l.port && port <= (l.portEnd ?? l.port);
}

/** The published port forwards to this container port. */
export function coversContainer(p: PublishedPort, port: number): boolean {
  return port >= p.containerPort && port <= p.containerPort + ((p.portEnd ?? p.port) - p.port);
}

function within(file: string, folder: string): boolean {
  return file.startsWith(folder.endsWith('/') ? folder : folder + '/');
}

export function baseName(p: string): string {
  return p.replace(/\\/g, '/').split('/').pop() ?? p;
}

/** `Caddyfile:3`: a place as messages name it (base name and 1-based line). */
export function shortPlace(place: Place): string {
  return `${baseName(place.file)}:${place.range.start.line + 1}`;
}

/** How a reach reads in messages and the overview: `compose service ollama (Ollama)`, `ollama.service`. */
export function describeReach(r: Reach): string {
  if (r.kind === 'unit') return `${r.unit.name}${r.unit.known ? ` (${r.unit.known})` : ''}`;
  return `compose service ${r.service.name}${r.service.known ? ` (${r.service.known})` : ''}`;
}
