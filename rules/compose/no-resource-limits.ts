import type { Fix, Report, Rule, RuleContext } from '../core/types';
import { definedHere } from './definition';
import { appendEntry } from './edit';
import type { ComposeModel, ComposeService, RMap } from './model';
import { identify } from './services';

/** Model servers hold a model in memory; a cap below that kills them at load. Everything else gets a cap that stops a runaway. */
const MODEL_SERVERS = new Set(['Ollama', 'vLLM', 'llama.cpp server', 'LocalAI', 'text-generation-webui', 'ComfyUI']);
const MODEL_SERVER_MEMORY = '16g';
const DEFAULT_MEMORY = '2g';

export const rule: Rule<ComposeModel> = {
  id: 'compose/no-resource-limits',
  format: 'compose',
  severity: 'info',
  summary: 'Service has no memory or CPU limit',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const service of model.services) {
      if (!service.node || !definedHere(service) || limited(service.node)) continue;
      const memory = MODEL_SERVERS.has(identify(service, ctx.services)?.name ?? '') ? MODEL_SERVER_MEMORY : DEFAULT_MEMORY;
      reports.push({
        range: ctx.range(service.nameSpan[0], service.nameSpan[1]),
        message: `"${service.name}" has no memory or CPU limit: one runaway request or leak can take all of the host's memory and the other services with it.`,
        fixes: fix(service.node, memory, ctx),
      });
    }
    return reports;
  },
};

/** `deploy.resources.limits` with any entry, or the older `mem_limit` / `cpus` / `cpu_quota`. */
function limited(node: RMap): boolean {
  if (node.get('mem_limit') || node.get('cpus') || node.get('cpu_quota')) return true;
  const limits = child(child(child(node, 'deploy'), 'resources'), 'limits');
  return limits !== undefined && limits.pairs.length > 0;
}

function child(map: RMap | undefined, key: string): RMap | undefined {
  const v = map?.get(key)?.value;
  return v?.kind === 'map' ? v : undefined;
}

/** Inserts `memory:` at the deepest of deploy → resources → limits that exists; never edits a merged or non-map entry. */
function fix(service: RMap, memory: string, ctx: RuleContext): Fix[] {
  const path = ['deploy', 'resources', 'limits'];
  let map = service;
  let depth = 0;
  for (; depth < path.length; depth++) {
    const pair = map.get(path[depth]);
    if (!pair) break;
    if (pair.merged || pair.value?.kind !== 'map') return [];
    map = pair.value;
  }
  const rest = path.slice(depth);
  const block = [...rest.map((k, i) => `${'  '.repeat(i)}${k}:`), `${'  '.repeat(rest.length)}memory: ${memory}`];
  const flow = rest.reduceRight((inner, k) => `${k}: {${inner}}`, `memory: ${memory}`);
  return [{ title: `Limit memory to ${memory} (deploy.resources.limits)`, edits: [appendEntry(ctx, map, block, flow)] }];
}
