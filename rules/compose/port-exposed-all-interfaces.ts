import { classifyAddress } from '../knowledge/services';
import type { Fix, Report, Rule, RuleContext } from '../core/types';
import { appendToMap, edit, removePair, removeSeqItem, replaceScalar } from './edit';
import type { ComposeModel, ComposeService, RSeq } from './model';
import { hostIpSpan, publishedPorts, type PublishedPort } from './ports';
import { clientsOf, identify } from './services';

const PUBLIC_PROXY_PORTS = new Set([80, 443]);

export const rule: Rule<ComposeModel> = {
  id: 'compose/port-exposed-all-interfaces',
  format: 'compose',
  severity: 'warning',
  summary: 'Published port listens on every interface and bypasses UFW',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const service of model.services) {
      const info = identify(service, ctx.services);
      for (const port of publishedPorts(service.node)) {
        if (!port.hostIpKnown || classifyAddress(port.hostIp) !== 'exposed') continue;
        const ports = port.targetPorts.length ? port.targetPorts : port.publishedPorts;
        if (info?.reverseProxy && ports.length && ports.every((p) => PUBLIC_PROXY_PORTS.has(p))) continue;
        const where = port.hostIp ? `on ${port.hostIp}` : 'with no host address';
        const what = `Port ${port.published || port.target} of "${service.name}"`;
        const message = info?.noAuth
          ? `${what} (${info.name}, which has no authentication) is published ${where}: anyone who can reach this host can use it. Docker's iptables rules bypass UFW.`
          : `${what} is published ${where}, so it listens on every interface; Docker's iptables rules bypass UFW.`;
        reports.push({
          range: reportRange(port, ctx),
          message,
          severity: info?.noAuth ? 'error' : undefined,
          fixes: fixes(model, service, port, ctx),
        });
      }
    }
    return reports;
  },
};

function reportRange(port: PublishedPort, ctx: RuleContext) {
  if (port.node.kind === 'map') {
    const pair = port.node.get('host_ip') ?? port.node.get('published') ?? port.node.get('target');
    if (pair) return ctx.range(pair.keySpan[0], pair.value?.span[1] ?? pair.keySpan[1]);
  }
  return ctx.range(port.node.span[0], port.node.span[1]);
}

function fixes(model: ComposeModel, service: ComposeService, port: PublishedPort, ctx: RuleContext): Fix[] {
  const out: Fix[] = [];
  const bind = bindToLoopback(port, ctx);
  if (bind) out.push({ title: 'Bind to 127.0.0.1 (reachable from this host only)', edits: [bind], preferred: true });
  const portsPair = service.node?.get('ports');
  const clients = clientsOf(model, service);
  if (portsPair && !portsPair.merged && portsPair.value?.kind === 'seq' && clients.length) {
    const seq = portsPair.value as RSeq;
    const removal = seq.items.length === 1 ? removePair(ctx, portsPair) : removeSeqItem(ctx, seq, port.node);
    out.push({ title: `Remove the publication ("${clients[0].name}" reaches "${service.name}" over the compose network)`, edits: [removal] });
  }
  return out;
}

function bindToLoopback(port: PublishedPort, ctx: RuleContext) {
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
