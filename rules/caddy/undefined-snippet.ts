import type { Report, Rule } from '../core/types';
import { didYouMean } from './directives';
import { looksLikeFilePath, walk, type CaddyModel } from './model';

export const rule: Rule<CaddyModel> = {
  id: 'caddy/undefined-snippet',
  format: 'caddy',
  severity: 'error',
  summary: 'An import of a snippet this file does not define before the import',
  check(model, ctx) {
    // An imported file may define snippets of its own: then an unknown name is not ours to judge.
    if (model.importsFiles) return [];
    const reports: Report[] = [];
    const names = [...model.snippetsByName.keys()];
    for (const block of model.blocks) {
      walk(block.directives, (d) => {
        const arg = d.args[0];
        if (d.name.text !== 'import' || d.name.quote !== '' || !arg || arg.text === '' || arg.text.includes('{') || looksLikeFilePath(arg.text)) return;
        const snippet = model.snippetsByName.get(arg.text);
        const range = ctx.range(arg.start, arg.end);
        if (snippet) {
          // Caddy learns snippets as it reads: one defined further down is not known yet here.
          if (snippet.keys[0].start > d.name.start && block.kind !== 'snippet') {
            reports.push({ range, message: `Snippet "${arg.text}" is defined further down: Caddy only knows a snippet after its definition, so it looks for a file named "${arg.text}" instead. Move the snippet above its first import.` });
          }
          return;
        }
        const suggestion = didYouMean(arg.text, names);
        reports.push({
          range,
          message: `No snippet "(${arg.text})" is defined in this file, so Caddy looks for a file named "${arg.text}" and fails if there is none.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
          fixes: suggestion ? [{ title: `Import "${suggestion}"`, edits: [{ range, newText: suggestion }], preferred: true }] : [],
        });
      });
    }
    return reports;
  },
};
