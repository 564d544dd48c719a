import { quotedName } from '../secrets/redact';
import type { Report, Rule, RuleContext } from '../core/types';
import { specsOf } from './directives';
import type { Directive, NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/wrong-argument-count',
  format: 'nginx',
  severity: 'error',
  summary: 'A directive with more or fewer arguments than nginx accepts',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const d of model.all) {
      if (d.problem?.kind !== 'args') continue;
      const { min, max } = d.problem.spec;
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      const plural = min === max && min === 1 ? 'argument' : 'arguments';
      const found = `"${d.name}" takes ${expected} ${plural}, found ${d.args.length}`;
      const lost = d.args.length > max ? missingSemicolon(d, ctx) : undefined;
      if (lost) {
        reports.push({
          range: ctx.range(lost.start, lost.end),
          // The word is the file's: cut, escaped and masked like any name quoted from a file.
          message: `Missing ";" after "${quotedName(ctx.text.slice(lost.start, lost.end), false)}": the next line is read as more arguments (${found})`,
          fixes: [{ title: 'Add ";"', edits: [{ range: ctx.range(lost.end, lost.end), newText: ';' }], preferred: true }],
        });
        continue;
      }
      const range = d.args.length > max ? ctx.range(d.args[max].start, d.args[d.args.length - 1].end) : ctx.range(d.nameWord.start, d.nameWord.end);
      reports.push({ range, message: found });
    }
    return reports;
  },
};

/** The word a `;` was forgotten after: the last one on its line when the next line starts with a directive. */
function missingSemicolon(d: Directive, ctx: RuleContext) {
  const words = [d.nameWord, ...d.args];
  for (let k = 1; k < words.length; k++) {
    const between = ctx.text.slice(words[k - 1].end, words[k].start);
    if (/[\r\n]/.test(between) && specsOf(words[k].value) && k - 1 <= (d.problem?.kind === 'args' ? d.problem.spec.max : 0)) return words[k - 1];
  }
  return undefined;
}
