import { shownPath } from '../core/bounds';
import type { Report, Rule } from '../core/types';
import { confDir, includePattern } from './includes';
import { named, type NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/include-outside-project',
  format: 'nginx',
  severity: 'info',
  summary: 'an include names a file outside the project, which is not read',
  check(model, ctx) {
    // The edge is known only to an adapter (a CLI run, a workspace folder).
    if (!ctx.roots) return [];
    const reports: Report[] = [];
    const base = confDir(model.file || ctx.file, ctx.project);
    for (const d of named(model, 'include')) {
      const arg = d.args[0];
      if (!arg || arg.value === '' || includePattern(arg.value, base, ctx, ctx.project) !== undefined) continue;
      reports.push({
        range: ctx.range(arg.start, arg.end),
        message: `\`include ${shownPath(arg.value)}\` is outside the project: not read (what it adds is unknown; keep the file in the project, e.g. under etc/nginx/, to have it checked).`,
        fixes: [],
      });
    }
    return reports;
  },
};
