import { classifyAddress } from '../knowledge/services';
import type { Fix, Report, Rule, RuleContext } from '../core/types';
import { removePair, removeSeqItem } from './edit';
import type { ComposeModel, ComposeService, RSeq } from './model';
import { bindLoopbackFix, portRange, publishedPorts, type PublishedPort } from './ports';
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
          range: portRange(port, ctx),
          message,
          severity: info?.noAuth ? 'error' : undefined,
          fixes: fixes(model, service, port, ctx),
        });
      }
    }
    return reports;
  },
};

function fixes(model: ComposeModel, service: ComposeService, port: PublishedPort, ctx: RuleContext): Fix[] {
  const out: Fix[] = [];
  const bind = bindLoopbackFix(port, ctx);
  if (bind) out.push(bind);
  const portsPair = service.node?.get('ports');
  const clients = clientsOf(model, service);
  if (portsPair && !portsPair.merged && portsPair.value?.kind === 'seq' && clients.length) {
    const seq = portsPair.value as RSeq;
    const removal = seq.items.length === 1 ? removePair(ctx, portsPair) : removeSeqItem(ctx, seq, port.node);
    out.push({ title: `Remove the publication ("${clients[0].name}" reaches "${service.name}" over the compose network)`, edits: [removal] });
  }
  return out;
}
