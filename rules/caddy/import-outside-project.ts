import type { Report, Rule } from '../core/types';
import { shownPath } from '../core/bounds';
import { importPattern } from './imports';
import { walk, type CaddyModel } from './model';
import { folderOf } from '../core/paths';

export const rule: Rule<CaddyModel> = {
  id: 'caddy/import-outside-project',
  format: 'caddy',
  severity: 'info',
  summary: 'a relative import climbs out of the project: the file is not read',
  check(model, ctx) {
    // The edge is known only to an adapter (a CLI run, a workspace folder).
    if (!ctx.roots) return [];
    const reports: Report[] = [];
    const dir = folderOf(ctx.file);
    const seen = new Set<number>();
    for (const b of model.blocks) {
      walk(b.directives, (d) => {
        const arg = d.args[0];
        if (d.name.text !== 'import' || d.name.quote !== '' || !arg || arg.text === '' || arg.text.includes('{') || model.snippetsByName.has(arg.text)) return;
        // An absolute path names a file of the server (`/etc/caddy/…`): looked up in the project,
        // and unknown like any import the project does not hold. Only a relative path climbs out.
        if (seen.has(arg.start) || arg.text.startsWith('/') || importPattern(arg.text, dir, ctx, ctx.project) !== undefined) return;
        seen.add(arg.start);
        reports.push({
          range: ctx.range(arg.start, arg.end),
          message: `\`import ${shownPath(arg.text)}\` is outside the project: not read (what it adds is unknown; keep the file in the project to have it checked).`,
          fixes: [],
        });
      });
    }
    return reports;
  },
};
