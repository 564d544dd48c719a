import type { Report, Rule } from '../core/types';
import { replaceArgs } from './edit';
import { named, type NginxModel } from './model';

const WEAK = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);
const DIRECTIVES = new Set(['ssl_protocols', 'proxy_ssl_protocols', 'grpc_ssl_protocols', 'uwsgi_ssl_protocols', 'zone_sync_ssl_protocols']);

export const rule: Rule<NginxModel> = {
  id: 'nginx/weak-tls-protocols',
  format: 'nginx',
  severity: 'warning',
  summary: 'SSLv2, SSLv3, TLS 1.0 or TLS 1.1 enabled',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const d of named(model, ...DIRECTIVES)) {
      const weak = d.args.filter((a) => WEAK.has(a.value));
      if (!weak.length) continue;
      reports.push({
        range: ctx.range(weak[0].start, weak[weak.length - 1].end),
        message: `${d.name} enables ${weak.map((w) => w.value).join(', ')}: broken or deprecated protocols (RFC 8996) that let an attacker downgrade and read the traffic. Use TLSv1.2 and TLSv1.3.`,
        fixes: [{ title: 'Use TLSv1.2 TLSv1.3', edits: [replaceArgs(ctx, d, 'TLSv1.2 TLSv1.3')], preferred: true }],
      });
    }
    return reports;
  },
};
