import type { Fix, Range, RuleContext, TextEdit } from '../core/types';
import { appendToMap, edit, replaceScalar } from './edit';
import { hasInterpolation, scalarText, splitOutsideBraces, type RMap, type RNode, type RScalar, type Span } from './model';

/** A published port of a service, from the short (`"127.0.0.1:8080:80/tcp"`) or long syntax. */
export interface PublishedPort {
  node: RNode;
  syntax: 'short' | 'long';
  /** Host address as written; '' when none is given (Docker then binds every interface). */
  hostIp: string;
  /** Undefined when the value is interpolated and so unknown until run time. */
  hostIpKnown: boolean;
  /** Host port or range as written ('' = a random port). */
  published: string;
  /** Container port or range as written. */
  target: string;
  protocol: string;
  /** Container ports, expanded from a range (empty if unknown). */
  targetPorts: number[];
  publishedPorts: number[];
}

function expand(range: string): number[] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(range.trim());
  if (!m) return [];
  const lo = Number(m[1]);
  const hi = m[2] ? Number(m[2]) : lo;
  if (hi < lo || hi - lo > 1000) return [lo];
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/** Splits the short syntax `[[IP:]HOST:]CONTAINER[/PROTO]`, IPv6 in brackets or bare. */
export function parseShortPort(spec: string): Omit<PublishedPort, 'node' | 'syntax'> | undefined {
  let s = spec.trim();
  let protocol = 'tcp';
  const slash = s.lastIndexOf('/');
  if (slash >= 0) {
    protocol = s.slice(slash + 1);
    s = s.slice(0, slash);
  }
  let hostIp = '';
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0 || s[close + 1] !== ':') return undefined;
    hostIp = s.slice(0, close + 1);
    s = s.slice(close + 2);
    const parts = s.split(':');
    if (parts.length !== 2) return undefined;
    return finish(hostIp, parts[0], parts[1], protocol);
  }
  // `${VAR}` may contain `:-`; split outside of braces only.
  const parts = splitOutsideBraces(s);
  if (parts.length === 1) return finish('', '', parts[0], protocol);
  if (parts.length === 2) return finish('', parts[0], parts[1], protocol);
  const target = parts.pop()!;
  const published = parts.pop()!;
  return finish(parts.join(':'), published, target, protocol);
}

function finish(hostIp: string, published: string, target: string, protocol: string) {
  return {
    hostIp,
    hostIpKnown: !hasInterpolation(hostIp),
    published,
    target,
    protocol,
    targetPorts: expand(target),
    publishedPorts: expand(published),
  };
}

/** Every published port of a service; `expose:` is not publishing and is ignored. */
export function publishedPorts(service: RMap | undefined): PublishedPort[] {
  const ports = service?.get('ports')?.value;
  if (ports?.kind !== 'seq') return [];
  const out: PublishedPort[] = [];
  for (const item of ports.items) {
    if (item.kind === 'scalar') {
      const parsed = parseShortPort(item.text);
      if (parsed) out.push({ ...parsed, node: item, syntax: 'short' });
    } else if (item.kind === 'map') {
      const target = scalarText(item.get('target')?.value) ?? '';
      const hostIpNode = item.get('host_ip')?.value;
      const hostIp = scalarText(hostIpNode) ?? '';
      const published = scalarText(item.get('published')?.value) ?? '';
      out.push({
        node: item,
        syntax: 'long',
        hostIp,
        hostIpKnown: !hasInterpolation(hostIp),
        published,
        target,
        protocol: scalarText(item.get('protocol')?.value) ?? 'tcp',
        targetPorts: expand(target),
        publishedPorts: expand(published),
      });
    }
  }
  return out;
}

/** The span of the host address inside a short-syntax scalar, for replacing it in place. */
export function hostIpSpan(scalar: RScalar, text: string): Span | undefined {
  const contentStart = scalar.style === 'plain' ? scalar.span[0] : scalar.span[0] + 1;
  if (text.slice(contentStart, contentStart + scalar.text.length) !== scalar.text) return undefined;
  const parsed = parseShortPort(scalar.text);
  if (!parsed?.hostIp) return undefined;
  const lead = scalar.text.length - scalar.text.trimStart().length;
  return [contentStart + lead, contentStart + lead + parsed.hostIp.length];
}

/** Where a published port is reported: the short-syntax entry, or the long syntax's address (else port) line. */
export function portRange(port: PublishedPort, ctx: RuleContext): Range {
  if (port.node.kind === 'map') {
    const pair = port.node.get('host_ip') ?? port.node.get('published') ?? port.node.get('target');
    if (pair) return ctx.range(pair.keySpan[0], pair.value?.span[1] ?? pair.keySpan[1]);
  }
  return ctx.range(port.node.span[0], port.node.span[1]);
}

/**
 * The fix that keeps a published port on 127.0.0.1, host port kept: shared by
 * `compose/port-exposed-all-interfaces` and the deployment facts (`Listener.bindLoopback`).
 */
export function bindLoopbackFix(port: PublishedPort, ctx: RuleContext): Fix | undefined {
  const bind = bindToLoopback(port, ctx);
  return bind && { title: 'Bind to 127.0.0.1 (reachable from this host only)', edits: [bind], preferred: true };
}

function bindToLoopback(port: PublishedPort, ctx: RuleContext): TextEdit | undefined {
  const node = port.node;
  if (node.kind === 'scalar') {
    const span = hostIpSpan(node, ctx.text);
    if (span) return edit(ctx, span[0], span[1], '127.0.0.1');
    const spec = node.text.trim();
    // `"6379"` alone publishes a random host port: keep that, on loopback.
    return replaceScalar(ctx, node, port.published === '' && !spec.includes(':') ? `127.0.0.1::${spec}` : `127.0.0.1:${spec}`);
  }
  if (node.kind === 'map') {
    const hostIp = node.get('host_ip');
    if (hostIp?.value?.kind === 'scalar') return replaceScalar(ctx, hostIp.value, '127.0.0.1');
    return appendToMap(ctx, node, ['host_ip: 127.0.0.1']);
  }
  return undefined;
}
