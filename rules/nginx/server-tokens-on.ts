import type { Report, Rule } from '../core/types';
import { replaceArgs } from './edit';
import { named, type NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/server-tokens-on',
  format: 'nginx',
  severity: 'info',
  summary: 'server_tokens shows the nginx version in headers and error pages',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const d of named(model, 'server_tokens')) {
      if (!d.args[0] || d.problem) continue;
      const value = d.args[0].value;
      if (value !== 'on' && value !== 'build') continue;
      reports.push({
        range: ctx.range(d.args[0].start, d.args[0].end),
        message: `server_tokens ${value} sends the exact nginx version in the Server header and on error pages, telling scanners which known bugs to try.`,
        fixes: [{ title: 'Set server_tokens off', edits: [replaceArgs(ctx, d, 'off')], preferred: true }],
      });
    }
    return reports;
  },
};
