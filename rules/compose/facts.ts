import { folderOf } from '../core/paths';
import type { RuleContext } from '../core/types';
import type { ComposeServiceFacts, FileFacts } from '../deployment/facts';
import { classifyAddress } from '../knowledge/services';
import { hasInterpolation, scalarText, type ComposeModel, type ComposeService } from './model';
import { bindLoopbackFix, portRange, publishedPorts } from './ports';
import { authOffEntries } from './openwebui-auth-disabled';
import { identify } from './services';

/** What a compose file says about the deployment: its services, their published ports and networks. */
export function composeFacts(model: ComposeModel, ctx: RuleContext): Omit<FileFacts, 'file' | 'format'> {
  const project = folderOf(ctx.file);
  const services: ComposeServiceFacts[] = [];
  for (const service of model.services) {
    if (!service.node) continue;
    const image = scalarText(service.node.get('image')?.value);
    const known = identify(service, ctx.services)?.name;
    const mode = scalarText(service.node.get('network_mode')?.value)?.trim();
    const aliases = aliasesOf(service);
    const off = authOffEntries(service, ctx.text)[0]?.node;
    services.push({
      name: service.name,
      project,
      ...(image ? { image } : {}),
      ...(known ? { known } : {}),
      ports: portsOf(service, ctx),
      // `network_mode` (host, none, service:…) replaces compose networks altogether.
      networks: mode ? [] : networksOf(service),
      hostNetwork: mode === 'host',
      ...(aliases.length ? { aliases } : {}),
      ...(off ? { authOff: { file: ctx.file, range: ctx.range(off.span[0], off.span[1]) } } : {}),
      place: { file: ctx.file, range: ctx.range(service.nameSpan[0], service.nameSpan[1]) },
    });
  }
  return { services };
}

function portsOf(service: ComposeService, ctx: RuleContext): ComposeServiceFacts['ports'] {
  const out: ComposeServiceFacts['ports'] = [];
  for (const p of publishedPorts(service.node)) {
    const containerPort = p.targetPorts[0];
    // An interpolated port or address is unknown until run time: no fact rather than a guess.
    const random = p.published.trim() === '';
    if (containerPort === undefined || !p.hostIpKnown || (!random && !p.publishedPorts.length)) continue;
    const exposed = classifyAddress(p.hostIp) === 'exposed';
    const fix = exposed ? bindLoopbackFix(p, ctx) : undefined;
    const first = random ? 0 : p.publishedPorts[0];
    const last = random ? 0 : p.publishedPorts[p.publishedPorts.length - 1];
    out.push({
      address: isEveryInterface(p.hostIp) ? '' : p.hostIp,
      // 0: Docker picks a free host port at run time.
      port: first,
      ...(last !== first ? { portEnd: last } : {}),
      exposed,
      place: { file: ctx.file, range: portRange(p, ctx) },
      ...(fix ? { bindLoopback: { ...fix, edits: fix.edits.map((e) => ({ ...e, file: ctx.file })) } } : {}),
      containerPort,
      protocol: p.protocol.toLowerCase() === 'udp' ? 'udp' : 'tcp',
    });
  }
  return out;
}

function isEveryInterface(address: string): boolean {
  const a = address.trim().replace(/^\[(.*)\]$/, '$1');
  return a === '' || a === '0.0.0.0' || a === '::' || a === '*';
}

/** The networks a service joins (`default` when none is named); names still interpolated are left out. */
function networksOf(service: ComposeService): string[] {
  const value = service.node?.get('networks')?.value;
  const names = value?.kind === 'seq' ? value.items.map((i) => scalarText(i) ?? '') : value?.kind === 'map' ? value.pairs.map((p) => p.key) : ['default'];
  return names.filter((n) => n && !hasInterpolation(n));
}

/** Other names Docker's DNS answers for the service: `container_name` and network `aliases`. */
function aliasesOf(service: ComposeService): string[] {
  const node = service.node!;
  const out = [scalarText(node.get('container_name')?.value)];
  const nets = node.get('networks')?.value;
  if (nets?.kind === 'map') {
    for (const p of nets.pairs) {
      const aliases = p.value?.kind === 'map' ? p.value.get('aliases')?.value : undefined;
      if (aliases?.kind === 'seq') for (const a of aliases.items) out.push(scalarText(a));
    }
  }
  return [...new Set(out.filter((a): a is string => !!a && !hasInterpolation(a)))];
}
