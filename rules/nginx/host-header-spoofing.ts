import type { Report, Rule } from '../core/types';
import { replaceArgs } from './edit';
import { named, type NginxModel } from './model';

/** Variables that carry whatever the client put in a header or the query string. */
const CLIENT_CONTROLLED = /^\$(http_host|arg_\w+|http_x_forwarded_host|http_x_host)$/i;

export const rule: Rule<NginxModel> = {
  id: 'nginx/host-header-spoofing',
  format: 'nginx',
  severity: 'warning',
  summary: 'proxy_set_header Host passes a client-controlled value ($http_host, $arg_…)',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const d of named(model, 'proxy_set_header')) {
      if (d.args.length !== 2 || d.args[0].value.toLowerCase() !== 'host') continue;
      const value = d.args[1];
      if (!CLIENT_CONTROLLED.test(value.value)) continue;
      reports.push({
        range: ctx.range(value.start, value.end),
        message: `Host is set from ${value.value}, which the client controls and nginx does not check against server_name: the upstream sees any host the client likes (cache poisoning, password-reset links to an attacker's domain). Use $host.`,
        fixes: [{ title: 'Use $host', edits: [replaceArgs(ctx, d, `${d.args[0].value} $host`)], preferred: true }],
      });
    }
    return reports;
  },
};
