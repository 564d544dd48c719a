import type { RuleContext } from '../core/types';
import type { FileFacts, Listener, UnitFacts } from '../deployment/facts';
import { classifyAddress, type ServiceInfo } from '../knowledge/services';
import { isWildcard } from './address';
import { addressOf, listenSettings, loopbackFix, valueSpan, type ListenSetting } from './listeners';
import type { SystemdModel } from './model';

/** What a unit or drop-in says about the deployment: the unit, what it is, where it listens. */
export function systemdFacts(model: SystemdModel, ctx: RuleContext): Omit<FileFacts, 'file' | 'format'> {
  const settings = listenSettings(model);
  const info = knownService(model, settings, ctx);
  const listeners: Listener[] = [];
  for (const s of settings) {
    const l = listener(s, info, ctx);
    if (l) listeners.push(l);
  }
  const first = model.sections[0] ?? model.assignments[0];
  const name = model.unitName ?? baseName(model.file);
  const unit: UnitFacts = {
    name,
    ...(info ? { known: info.name } : {}),
    listeners,
    place: { file: ctx.file, range: first ? ctx.range(first.start, first.end) : ctx.range(0, 0) },
  };
  return { units: [unit] };
}

function listener(s: ListenSetting, info: ServiceInfo | undefined, ctx: RuleContext): Listener | undefined {
  let host = '';
  let port = s.barePort;
  if (port === undefined) {
    const address = addressOf(s);
    if (!address) return undefined;
    // `DB_HOST=db.internal` names where a client connects; only a wildcard makes it a listener.
    if (!s.bindOnly && !isWildcard(address.host)) return undefined;
    host = isWildcard(address.host) ? '' : address.host;
    port = address.port ? Number(address.port) : defaultPort(address.scheme, s, info);
  }
  if (port === undefined) return undefined;
  const exposed = host === '' || classifyAddress(host) === 'exposed';
  const fix = exposed ? loopbackFix(s, ctx) : undefined;
  return {
    address: host,
    port,
    exposed,
    place: { file: ctx.file, range: ctx.range(...valueSpan(s)) },
    ...(fix ? { bindLoopback: { ...fix, edits: fix.edits.map((e) => ({ ...e, file: ctx.file })) } } : {}),
  };
}

/** A host with no port: the scheme's port (`http://0.0.0.0` is port 80, even for Ollama), a `--port` flag, or the service's own. */
function defaultPort(scheme: string | undefined, s: ListenSetting, info: ServiceInfo | undefined): number | undefined {
  if (scheme === 'http') return 80;
  if (scheme === 'https') return 443;
  return s.portFlag ?? info?.ports?.[0];
}

/** The service the unit runs: by the unit's name (`ollama.service`), an `OLLAMA_*` variable, or the program of `ExecStart=`. */
function knownService(model: SystemdModel, settings: ListenSetting[], ctx: RuleContext): ServiceInfo | undefined {
  const knowledge = ctx.services;
  const stem = model.unitName?.replace(/@?\.[a-z]+$/, '');
  const byName = knowledge.byHostname(stem);
  if (byName) return byName;
  for (const s of settings) {
    const prefix = /^([A-Z0-9]+)_/i.exec(s.what)?.[1];
    // Only a variable that must be a listen address says what listens (`REDIS_HOST` may be a client's).
    const byVar = s.kind === 'env' && s.bindOnly ? knowledge.byHostname(prefix) : undefined;
    if (byVar) return byVar;
  }
  for (const a of model.assignments) {
    if (a.key !== 'ExecStart' || !a.section?.accepted || !a.words.length) continue;
    // `ExecStart=-/usr/bin/ollama serve`: the prefixes `-@:+!` are not part of the path.
    const program = a.words[0].value.replace(/^[-@:+!]+/, '');
    const byProgram = knowledge.byHostname(baseName(program));
    if (byProgram) return byProgram;
  }
  return undefined;
}

function baseName(p: string): string {
  return p.replace(/\\/g, '/').split('/').pop() ?? p;
}
