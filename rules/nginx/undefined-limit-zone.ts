import type { Report, Rule } from '../core/types';
import { isUnknownInclude } from './analysis';
import { Ctx } from './directives';
import { named, type NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/undefined-limit-zone',
  format: 'nginx',
  severity: 'error',
  summary: 'limit_req or limit_conn names a zone that is never defined',
  check(model, ctx) {
    // Zones are defined in the http block: only a whole config with no unknown include shows them all.
    if (model.rootCtx !== Ctx.main || named(model, 'include').some(isUnknownInclude)) return [];
    const defined = { limit_req: new Set<string>(), limit_conn: new Set<string>() };
    for (const d of named(model, 'limit_req_zone', 'limit_conn_zone')) {
      for (const a of d.args) {
        const m = /^zone=([^:]+):/.exec(a.value);
        if (m) defined[d.name === 'limit_req_zone' ? 'limit_req' : 'limit_conn'].add(m[1]);
      }
    }
    const reports: Report[] = [];
    for (const d of named(model, 'limit_req', 'limit_conn')) {
      if (d.problem) continue;
      const arg = d.name === 'limit_req' ? d.args.find((a) => a.value.startsWith('zone=')) : d.args[0];
      if (!arg) continue;
      const name = d.name === 'limit_req' ? arg.value.slice(5) : arg.value;
      if (defined[d.name as keyof typeof defined].has(name)) continue;
      reports.push({
        range: ctx.range(arg.start, arg.end),
        message: `${d.name} uses zone "${name}", but no ${d.name}_zone defines it: nginx refuses to start ("zero size shared memory zone").`,
      });
    }
    return reports;
  },
};
