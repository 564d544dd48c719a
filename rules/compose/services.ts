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

/** Host names a service's environment and command mention (`http://ollama:11434`, `redis:6379`). */
function mentionedHosts(values: string[]): Set<string> {
  const hosts = new Set<string>();
  for (const v of values) {
    for (const m of v.matchAll(/(?:^|[/@=\s,"'])([A-Za-z0-9][A-Za-z0-9_.-]*)(?=:\d|\/|$)/g)) hosts.add(m[1].toLowerCase());
  }
  return hosts;
}

// Built once per model, on first use: who talks to whom.
const clientIndex = new WeakMap<ComposeModel, Map<string, ComposeService[]>>();

function buildClientIndex(model: ComposeModel): Map<string, ComposeService[]> {
  const index = new Map<string, ComposeService[]>();
  const names = new Set(model.services.map((s) => s.name.toLowerCase()));
  for (const s of model.services) {
    if (!s.node) continue;
    const targets = new Set<string>();
    for (const d of scalars(s.node.get('depends_on')?.value)) targets.add(d.toLowerCase());
    for (const l of scalars(s.node.get('links')?.value)) targets.add(l.split(':')[0].toLowerCase());
    const values = [...environmentOf(s.node, model.text).map((e) => e.value ?? ''), ...scalars(s.node.get('command')?.value)];
    for (const h of mentionedHosts(values)) targets.add(h);
    for (const t of targets) {
      if (t === s.name.toLowerCase() || !names.has(t)) continue;
      if (!index.has(t)) index.set(t, []);
      index.get(t)!.push(s);
    }
  }
  return index;
}

/**
 * The other services that talk to `target` over the compose network: they depend on it, link to
 * it, or name it as a host (`http://ollama:11434`) in their environment or command.
 */
export function clientsOf(model: ComposeModel, target: ComposeService): ComposeService[] {
  let index = clientIndex.get(model);
  if (!index) clientIndex.set(model, (index = buildClientIndex(model)));
  return index.get(target.name.toLowerCase()) ?? [];
}
