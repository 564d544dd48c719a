import { shownPath } from '../core/bounds';
import type { Report, Rule } from '../core/types';
import { confDir, includePattern } from './includes';
import { named, type NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/include-outside-project',
  format: 'nginx',
  severity: 'info',
  summary: 'a relative include climbs out of the project: the file is not read',
  check(model, ctx) {
    // The edge is known only to an adapter (a CLI run, a workspace folder).
    if (!ctx.roots) return [];
    const reports: Report[] = [];
    const base = confDir(model.file || ctx.file, ctx.project);
    for (const d of named(model, 'include')) {
      const arg = d.args[0];
      // An absolute path names a file of the server (`/etc/nginx/mime.types`): looked up in the
      // project, and unknown like any include the project does not hold. Only a relative path
      // climbs out of the project.
      if (!arg || arg.value === '' || arg.value.startsWith('/') || includePattern(arg.value, base, ctx, ctx.project) !== undefined) continue;
      reports.push({
        range: ctx.range(arg.start, arg.end),
        message: `\`include ${shownPath(arg.value)}\` is outside the project: not read (what it adds is unknown; keep the file in the project to have it checked).`,
        fixes: [],
      });
    }
    return reports;
  },
};
