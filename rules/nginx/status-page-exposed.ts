import type { Report, Rule } from '../core/types';
import { enclosingAcross, includeMayChange, listens, outerUnknown } from './analysis';
import { insertAfter } from './edit';
import { named, type NginxModel } from './model';
import { authInEffect } from './proxy-without-auth';

/** Directives that turn a location into a status or management page. */
const STATUS = new Set(['stub_status', 'api', 'status', 'vhost_traffic_status_display']);

export const rule: Rule<NginxModel> = {
  id: 'nginx/status-page-exposed',
  format: 'nginx',
  severity: 'warning',
  summary: 'A status page (stub_status, api) with no access control',
  check(model, ctx) {
    if (outerUnknown(model, ctx)) return [];
    const reports: Report[] = [];
    for (const d of named(model, ...STATUS)) {
      if (d.parent?.name !== 'location' || d.problem) continue;
      if (authInEffect(model, d, ctx) || includeMayChange(model, d, ctx)) continue;
      const server = enclosingAcross(model, d, 'server', ctx);
      if (server && listens(server).every((l) => l.address === 'unix' || /^(127\.|localhost$|::1$)/.test(l.address))) continue;
      const writable = d.name === 'api' && d.args.some((a) => a.value === 'write=on');
      reports.push({
        range: ctx.range(d.start, d.end),
        message: `${d.name} answers anyone who reaches this server${writable ? ', and write=on lets them change upstreams and zones' : ''}: connection counts and server internals for reconnaissance. Allow only trusted addresses.`,
        fixes: [{ title: 'Allow only 127.0.0.1 (allow …; deny all;)', edits: [insertAfter(ctx, d, ['allow 127.0.0.1;', 'deny all;'])], preferred: true }],
      });
    }
    return reports;
  },
};
