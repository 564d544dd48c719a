import { classifyAddress } from '../knowledge/services';
import type { Report, Rule } from '../core/types';
import type { CaddyModel } from './model';

export const rule: Rule<CaddyModel> = {
  id: 'caddy/admin-api-exposed',
  format: 'caddy',
  severity: 'error',
  summary: 'The admin API listens on a non-loopback address',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const d of model.global?.directives ?? []) {
      const addr = d.args[0];
      if (d.name.text !== 'admin' || !addr || addr.text === 'off' || addr.text.startsWith('unix/') || addr.text.includes('{')) continue;
      const { host, port } = splitHostPort(addr.text.replace(/^tcp\//, ''));
      if (classifyAddress(host) !== 'exposed') continue;
      const range = ctx.range(addr.start, addr.end);
      reports.push({
        range,
        message: `The admin API on "${addr.text}" answers on every interface or a public address: anyone who reaches it can replace Caddy's whole configuration (and read it). Keep it on localhost.`,
        fixes: [{ title: `Bind the admin API to localhost:${port || '2019'}`, edits: [{ range, newText: `localhost:${port || '2019'}` }], preferred: true }],
      });
    }
    return reports;
  },
};

function splitHostPort(s: string): { host: string; port: string } {
  const v6 = /^\[([^\]]*)\](?::(\d*))?$/.exec(s);
  if (v6) return { host: v6[1], port: v6[2] ?? '' };
  const colon = s.lastIndexOf(':');
  return colon >= 0 ? { host: s.slice(0, colon), port: s.slice(colon + 1) } : { host: s, port: '' };
}
