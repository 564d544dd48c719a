import type { Report, Rule } from '../core/types';
import { isUnknownInclude } from './analysis';
import { Ctx } from './directives';
import { resolution } from './includes';
import { named, type NginxModel } from './model';

type ZoneUse = 'limit_req' | 'limit_conn';

export const rule: Rule<NginxModel> = {
  id: 'nginx/undefined-limit-zone',
  format: 'nginx',
  severity: 'error',
  summary: 'limit_req or limit_conn names a zone that is never defined',
  check(model, ctx) {
    // Zones are defined in the http block: only the whole include tree, every include known, shows them all.
    const r = resolution(model, ctx);
    let models: NginxModel[];
    if (r) {
      const tree = r.tree();
      if (!tree.complete) return [];
      models = tree.sources.map((s) => s.model);
    } else {
      if (model.rootCtx !== Ctx.main || named(model, 'include').some(isUnknownInclude)) return [];
      models = [model];
    }
    const defined = { limit_req: new Set<string>(), limit_conn: new Set<string>() };
    for (const m of models) {
      for (const d of named(m, 'limit_req_zone', 'limit_conn_zone')) {
        for (const a of d.args) {
          const zone = /^zone=([^:]+):/.exec(a.value);
          if (zone) defined[d.name === 'limit_req_zone' ? 'limit_req' : 'limit_conn'].add(zone[1]);
        }
      }
    }
    const reports: Report[] = [];
    for (const d of named(model, 'limit_req', 'limit_conn')) {
      if (d.problem) continue;
      const arg = d.name === 'limit_req' ? d.args.find((a) => a.value.startsWith('zone=')) : d.args[0];
      if (!arg) continue;
      const name = d.name === 'limit_req' ? arg.value.slice(5) : arg.value;
      if (defined[d.name as ZoneUse].has(name)) continue;
      reports.push({
        range: ctx.range(arg.start, arg.end),
        message: `${d.name} uses zone "${name}", but no ${d.name}_zone defines it: nginx refuses to start ("zero size shared memory zone").`,
      });
    }
    return reports;
  },
};
