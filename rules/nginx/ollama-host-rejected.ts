import { classifyAddress } from '../knowledge/services';
import type { Report, Rule } from '../core/types';
import { knownTargets, proxyHeaders } from './analysis';
import { setHeadersEdits } from './headers';
import type { NginxModel } from './model';

/** The Host values Ollama accepts when it listens on loopback (its allowed-hosts check). */
export function ollamaAcceptsHost(host: string): boolean {
  let h = host.toLowerCase();
  const v6 = /^\[([^\]]*)\]/.exec(h);
  if (v6) h = v6[1];
  else h = h.replace(/:\d+$/, '');
  if (h === '' || h === 'localhost') return true;
  if (/\.(localhost|local|internal)$/.test(h)) return true;
  const cls = classifyAddress(h);
  return cls === 'loopback' || cls === 'private' || (cls === 'exposed' && (h === '0.0.0.0' || h === '::'));
}

const CLIENT_HOST = /\$(host|http_host|server_name)\b/;

export const rule: Rule<NginxModel> = {
  id: 'nginx/ollama-host-rejected',
  format: 'nginx',
  severity: 'warning',
  summary: 'Ollama on loopback answers 403 to the client Host this proxy passes',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const t of knownTargets(model, ctx.services, (s) => s.name === 'Ollama', ctx)) {
      if (!t.loopback) continue;
      const headers = proxyHeaders(model, t, ctx);
      const host = headers.get('Host');
      let why: string | undefined;
      if (host) {
        const value = host.args[1]?.value ?? '';
        if (CLIENT_HOST.test(value)) why = `passes the client's Host (${value})`;
        else if (!value.includes('$') && !ollamaAcceptsHost(value)) why = `sends Host "${value}"`;
      } else if (t.upstream && !ollamaAcceptsHost(t.host)) {
        // nginx's default Host is $proxy_host: here the upstream's name.
        why = `sends the upstream's name "${t.host}" as Host (nginx's default $proxy_host)`;
      }
      if (!why) continue;
      const at = host && headers.local && headers.own(host) ? host : t.directive;
      const edits = setHeadersEdits(ctx, t, headers, [{ name: 'Host', value: 'localhost:11434' }]);
      reports.push({
        range: ctx.range(at.start, at.end),
        message: `Ollama listens on loopback here and answers 403 Forbidden to a Host that is not local; this proxy ${why}. Send Host localhost:11434.`,
        fixes: edits ? [{ title: 'Send Host localhost:11434', edits, preferred: true }] : [],
      });
    }
    return reports;
  },
};
