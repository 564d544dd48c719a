import type { ServiceInfo, ServiceKnowledge } from '../knowledge/services';
import { environmentOf, scalarText, type ComposeModel, type ComposeService, type RNode } from './model';
import { publishedPorts } from './ports';

/** What a compose service is, by its image or, for a built image, by the ports it serves. */
export function identify(service: ComposeService, knowledge: ServiceKnowledge): ServiceInfo | undefined {
  const image = scalarText(service.node?.get('image')?.value);
  const byImage = knowledge.byImage(image);
  if (byImage) return byImage;
  for (const p of publishedPorts(service.node)) {
    for (const port of p.targetPorts) {
      const byPort = knowledge.byPort(port);
      if (byPort) return byPort;
    }
  }
  return undefined;
}

function scalars(node: RNode | undefined, out: string[] = []): string[] {
  if (!node) return out;
  if (node.kind === 'scalar') out.push(node.text);
  else if (node.kind === 'seq') for (const i of node.items) scalars(i, out);
  else for (const p of node.pairs) {
    out.push(p.key);
    scalars(p.value, out);
  }
  return out;
}

/**
 * The other services that talk to `target` over the compose network: they depend on it, link to
 * it, or name it as a host (`http://ollama:11434`) in their environment or command.
 */
export function clientsOf(model: ComposeModel, target: ComposeService): ComposeService[] {
  const name = target.name;
  const hostRef = new RegExp(`(^|[/@=\\s,"'])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(:\\d+|/|$)`, 'i');
  return model.services.filter((s) => {
    if (s === target || !s.node) return false;
    const deps = s.node.get('depends_on')?.value;
    if (scalars(deps).includes(name)) return true;
    if (scalars(s.node.get('links')?.value).some((l) => l.split(':')[0] === name)) return true;
    const values = [...environmentOf(s.node, model.text).map((e) => e.value ?? ''), ...scalars(s.node.get('command')?.value)];
    return values.some((v) => hostRef.test(v));
  });
}
