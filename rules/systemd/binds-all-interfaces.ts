import { classifyAddress } from '../knowledge/services';
import type { Report, Rule, RuleContext } from '../core/types';
import { isWildcard } from './address';
import { addressOf, listenSettings, loopbackFix, valueSpan, type ListenSetting } from './listeners';
import type { SystemdModel } from './model';

export const rule: Rule<SystemdModel> = {
  id: 'systemd/binds-all-interfaces',
  format: 'systemd',
  severity: 'warning',
  summary: 'A service told to listen on every interface (OLLAMA_HOST=0.0.0.0, --host 0.0.0.0)',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const s of listenSettings(model)) {
      const r = s.barePort !== undefined ? barePort(s, ctx) : check(s, ctx);
      if (r) reports.push(r);
    }
    return reports;
  },
};

/** `ListenStream=11434` listens on every interface (IPv6 and IPv4); `0.0.0.0:11434` and `[::]:11434` too. */
function barePort(s: ListenSetting, ctx: RuleContext): Report {
  const fix = loopbackFix(s, ctx);
  return {
    range: ctx.range(...valueSpan(s)),
    message: `${s.what}=${s.word.value} is a bare port: systemd listens on it on every interface (IPv6 and IPv4), reachable from any network this host is on.`,
    fixes: fix ? [fix] : [],
  };
}

function check(s: ListenSetting, ctx: RuleContext): Report | undefined {
  const address = addressOf(s);
  if (!address) return undefined;
  const wildcard = isWildcard(address.host);
  if (!wildcard && !(s.bindOnly && classifyAddress(address.host) === 'exposed')) return undefined;
  const ollama = s.what === 'OLLAMA_HOST';
  const on = address.host ? `on ${address.host}` : 'with no host address';
  let message = `${s.what} listens ${on}: every interface, reachable from any network this host is on (UFW does not stop what you open here by mistake).`;
  if (ollama) message = `OLLAMA_HOST ${on} makes Ollama, which has no authentication, listen on every interface: anyone who reaches this host can run, pull and delete models.`;
  if (ollama && address.scheme === 'http' && !address.port) message += ' With http:// and no port it also listens on port 80, not 11434.';
  const fix = loopbackFix(s, ctx);
  return { range: ctx.range(...valueSpan(s)), message, fixes: fix ? [fix] : [] };
}
