import type { Report, Rule } from '../core/types';
import { didYouMean } from './directives';
import { resolve, shownPath } from './imports';
import { looksLikeFilePath, walk, type CaddyModel } from './model';

export const rule: Rule<CaddyModel> = {
  id: 'caddy/undefined-snippet',
  format: 'caddy',
  severity: 'error',
  summary: 'An import of a snippet this file does not define before the import',
  check(model, ctx) {
    // Snippets of the files this one imports (and of its importers) count; an import that cannot
    // be followed may define any name, and then an unknown name is not ours to judge.
    const res = resolve(model, ctx);
    if (res.unresolved) return [];
    const reports: Report[] = [];
    const names = [...res.snippets.keys()];
    for (const block of model.blocks) {
      walk(block.directives, (d) => {
        const arg = d.args[0];
        if (d.name.text !== 'import' || d.name.quote !== '' || !arg || arg.text === '' || arg.text.includes('{') || looksLikeFilePath(arg.text)) return;
        const snippet = res.snippets.get(arg.text);
        const range = ctx.range(arg.start, arg.end);
        if (snippet) {
          // Caddy learns snippets as it reads: one defined further down is not known yet here.
          const definedAt = snippet.source.root ? snippet.block.keys[0].start : snippet.via?.name.start ?? -1;
          if (definedAt > d.name.start && block.kind !== 'snippet') {
            const where = snippet.source.root ? '' : ` (in ${shownPath(snippet.source.file, ctx.file)}, imported on line ${snippet.via!.name.line})`;
            const move = snippet.source.root ? 'the snippet' : 'that import';
            reports.push({ range, message: `Snippet "${arg.text}" is defined further down${where}: Caddy only knows a snippet after its definition, so it looks for a file named "${arg.text}" instead. Move ${move} above its first import.` });
          }
          return;
        }
        // A file of that name next to this one is what Caddy imports.
        if (res.filesFor(res.patternFor(arg.text, res.root))) return;
        const suggestion = didYouMean(arg.text, names);
        reports.push({
          range,
          message: `No snippet "(${arg.text})" is defined in this file${res.project ? ' or the files it imports' : ''}, so Caddy looks for a file named "${arg.text}" and fails if there is none.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
          fixes: suggestion ? [{ title: `Import "${suggestion}"`, edits: [{ range, newText: suggestion }], preferred: true }] : [],
        });
      });
    }
    return reports;
  },
};
