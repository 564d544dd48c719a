import type { Report, Rule } from '../core/types';
import { Ctx } from './directives';
import { named, type NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/access-log-off',
  format: 'nginx',
  severity: 'info',
  summary: 'access_log off where requests to a proxied service should leave a trace',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const d of named(model, 'access_log')) {
      if (d.args[0]?.value !== 'off' || d.problem) continue;
      // Static files, health checks and favicons are routinely left out of the log.
      const parent = d.parent;
      const level = parent ? parent.name : model.rootCtx === Ctx.main ? 'main' : model.rootCtx === Ctx.http ? 'http' : model.rootCtx === Ctx.server ? 'server' : 'location';
      const proxies = (parent ? parent.block!.children : model.root).some((c) => /_pass$/.test(c.name));
      if (level !== 'http' && level !== 'server' && !(level === 'location' && proxies)) continue;
      const where = level;
      reports.push({
        range: ctx.range(d.start, d.end),
        message: `access_log off ${where === 'location' ? 'in a proxying location' : `at the ${where} level`}: requests to the services behind it leave no trace, so abuse of an exposed API cannot be seen or investigated.`,
      });
    }
    return reports;
  },
};
