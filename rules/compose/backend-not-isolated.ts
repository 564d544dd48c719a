import type { Fix, Report, Rule, RuleContext, TextEdit } from '../core/types';
import { definedHere, runsOwnEntrypoint } from './definition';
import { appendEntry, appendItem } from './edit';
import { asBoolean, hasInterpolation, scalarText, type ComposeModel, type ComposeService } from './model';
import { publishedPorts } from './ports';
import { clientsOf, identify } from './services';

const NEW_NETWORK = 'backend';

export const rule: Rule<ComposeModel> = {
  id: 'compose/backend-not-isolated',
  format: 'compose',
  severity: 'info',
  summary: 'A service with no authentication is not on an internal network',
  check(model, ctx) {
    const reports: Report[] = [];
    const internal = internalNetworks(model);
    for (const service of model.services) {
      // A service built here is the project's own code; a well-known port alone does not make it that service.
      const info = service.node?.get('build') && !ctx.services.byImage(scalarText(service.node.get('image')?.value)) ? undefined : identify(service, ctx.services);
      // network_mode (host, none, service:…) replaces compose networks altogether.
      if (!definedHere(service) || !runsOwnEntrypoint(service) || !info?.noAuth || service.node!.get('network_mode')) continue;
      const nets = networksOf(service);
      if (!nets || nets.some((n) => internal.includes(n))) continue;
      reports.push({
        range: ctx.range(service.nameSpan[0], service.nameSpan[1]),
        message: `"${service.name}" (${info.name}, which has no authentication) is on no internal network: every container on its networks can use it and it can reach the internet. Keep it on an internal: true network shared only with its clients.`,
        fixes: fix(model, service, internal, ctx),
      });
    }
    return reports;
  },
};

/** Names of the top-level networks declared `internal: true`. */
function internalNetworks(model: ComposeModel): string[] {
  const nets = model.root?.get('networks')?.value;
  if (nets?.kind !== 'map') return [];
  return nets.pairs.filter((p) => p.value?.kind === 'map' && asBoolean(p.value.get('internal')?.value) === true).map((p) => p.key);
}

/** The networks a service joins (`default` when none is named); undefined when a name is unknown (`${VAR}`). */
function networksOf(service: ComposeService): string[] | undefined {
  const value = service.node?.get('networks')?.value;
  const names = value?.kind === 'seq' ? value.items.map((i) => scalarText(i) ?? '') : value?.kind === 'map' ? value.pairs.map((p) => p.key) : ['default'];
  return names.some((n) => hasInterpolation(n)) ? undefined : names;
}

/**
 * Declares (or reuses) an internal network, moves the service onto it alone and adds it to each
 * client's networks so they keep reaching the service. Offered only when the service publishes no
 * port (an internal network cannot publish) and reaches no other service itself.
 */
function fix(model: ComposeModel, service: ComposeService, internal: string[], ctx: RuleContext): Fix[] {
  const root = model.root!;
  if (service.node!.get('ports') || publishedPorts(service.node).length) return [];
  if (model.services.some((other) => other !== service && clientsOf(model, other).includes(service))) return [];
  const edits: TextEdit[] = [];
  let name = internal[0];
  let declare: TextEdit | undefined;
  if (!name) {
    name = NEW_NETWORK;
    const nets = root.get('networks');
    if (!nets) declare = appendEntry(ctx, root, ['networks:', `  ${name}:`, '    internal: true'], `networks: {${name}: {internal: true}}`);
    else if (nets.value?.kind === 'map' && !nets.merged && !nets.value.get(name)) declare = appendEntry(ctx, nets.value, [`${name}:`, '  internal: true'], `${name}: {internal: true}`);
    else return [];
  }
  const self = attach(service, name, true, ctx);
  if (self === null) return [];
  if (self) edits.push(self);
  const clients = clientsOf(model, service).filter((c) => !c.node!.get('network_mode'));
  for (const client of clients) {
    const e = attach(client, name, false, ctx);
    if (e === null) return [];
    if (e) edits.push(e);
  }
  // Same-offset inserts apply in list order: the top-level declaration comes last in the file.
  if (declare) edits.push(declare);
  const who = clients.length ? ` with ${clients.map((c) => `"${c.name}"`).join(', ')}` : '';
  return [{ title: `Move "${service.name}" to the internal network "${name}"${who}`, edits }];
}

/**
 * Adds `name` to a service's networks; undefined when already there, null when it cannot be done
 * safely (a merged or odd `networks:`). A service with no `networks:` is on `default`: the backend
 * leaves it (`alone`), a client keeps it.
 */
function attach(service: ComposeService, name: string, alone: boolean, ctx: RuleContext): TextEdit | undefined | null {
  const node = service.node!;
  const pair = node.get('networks');
  if (!pair) {
    const list = alone ? [name] : ['default', name];
    return appendEntry(ctx, node, ['networks:', ...list.map((n) => `  - ${n}`)], `networks: [${list.join(', ')}]`);
  }
  if (pair.merged) return null;
  const value = pair.value;
  if (value?.kind === 'seq') return value.items.some((i) => scalarText(i) === name) ? undefined : appendItem(ctx, value, name, name);
  if (value?.kind === 'map') return value.get(name) ? undefined : appendEntry(ctx, value, [`${name}: {}`], `${name}: {}`);
  return null;
}
