import type { Report, Rule } from '../core/types';
import type { NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/syntax-error',
  format: 'nginx',
  severity: 'error',
  summary: 'A configuration nginx -t would reject for its syntax',
  check(model, ctx) {
    const reports: Report[] = [];
    // A Jinja/Go template is not nginx until rendered: its first error is enough to say so.
    const template = /\{\{|\{%/.test(ctx.text);
    // nginx stops at the first error; past a hundred the rest of a garbage file is noise.
    for (const e of model.syntaxErrors.slice(0, template ? 1 : 100)) {
      const missingSemicolon = e.end === e.start && e.message.includes('Missing ";"');
      // A zero-width place is shown on the word before it.
      let start = e.start;
      if (e.end <= start) while (start > 0 && !/\s/.test(ctx.text[start - 1])) start--;
      const end = Math.max(e.end, start === e.end ? Math.min(e.end + 1, ctx.text.length) : e.end);
      reports.push({
        range: ctx.range(start, end),
        message: template ? `${e.message} (this file looks like a template: lint the rendered config)` : e.message,
        fixes: missingSemicolon && !template ? [{ title: 'Add ";"', edits: [{ range: ctx.range(e.end, e.end), newText: ';' }], preferred: true }] : [],
      });
    }
    for (const d of model.all) {
      if (d.problem?.kind === 'not-terminated') {
        reports.push({ range: ctx.range(d.nameWord.start, d.nameWord.end), message: `"${d.name}" is not a block: end it with ";" instead of "{"` });
      } else if (d.problem?.kind === 'no-block') {
        reports.push({ range: ctx.range(d.nameWord.start, d.nameWord.end), message: `"${d.name}" opens a block: it needs "{ … }"` });
      }
    }
    return reports;
  },
};
