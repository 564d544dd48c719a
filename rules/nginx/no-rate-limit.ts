import type { Report, Rule } from '../core/types';
import { effective, knownTargets, outerUnknown } from './analysis';
import type { NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/no-rate-limit',
  format: 'nginx',
  severity: 'info',
  summary: 'A known service proxied with no limit_req in effect',
  check(model, ctx) {
    if (outerUnknown(model, ctx)) return [];
    const reports: Report[] = [];
    for (const t of knownTargets(model, ctx.services, (s) => s.noAuth || s.streaming, ctx)) {
      if (effective(model, t.directive, 'limit_req', ctx).length) continue;
      reports.push({
        range: ctx.range(t.directive.start, t.directive.end),
        message: `No limit_req applies to this proxy to ${t.service!.name}: one client can queue unlimited requests${t.service!.streaming ? ' and keep the GPU busy' : ''}. Define a limit_req_zone in http and add limit_req here.`,
      });
    }
    return reports;
  },
};
