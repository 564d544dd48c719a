import type { Report, Rule } from '../core/types';
import { edit, envAssignments } from './edit';
import type { SystemdModel } from './model';

/** Blanks followed by what looks like another assignment (`… B=2`). */
const ANOTHER = /\s+(?=[A-Z_][A-Z0-9_]*=)/;

export const rule: Rule<SystemdModel> = {
  id: 'systemd/environment-quoting',
  format: 'systemd',
  severity: 'warning',
  summary: 'One quoted Environment= string holding several assignments ("A=1 B=2" sets A to "1 B=2")',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const a of model.assignments) {
      if (a.key !== 'Environment' || !a.section?.accepted) continue;
      for (const env of envAssignments(a)) {
        const raw = ctx.text.slice(env.word.start, env.word.end);
        // The quote opens before the name: `"A=1 B=2"`, the form the mistake takes.
        if (!/^["']/.test(raw) || !ANOTHER.test(env.value)) continue;
        const parts = env.word.value.split(ANOTHER);
        const names = parts.slice(1).map((p) => p.slice(0, p.indexOf('=')));
        const q = raw[0];
        // systemd resolves backslash escapes inside both kinds of quotes.
        const split = parts.map((p) => q + p.replace(q === '"' ? /[\\"]/g : /[\\']/g, '\\$&') + q).join(' ');
        // Control characters came from escapes we would have to re-create; leave those to the user.
        const fixable = !/[\x00-\x1f\x7f]/.test(env.word.value);
        // Only quotes are inserted (at each blank between assignments): the edit never copies a
        // value, which may be a key, into JSON or SARIF output. The whole rewrite only when the
        // blanks cannot be found in the text as written.
        const cuts = separators(raw, q);
        const edits = cuts && cuts.length === parts.length - 1 ? cuts.map(([s, e]) => edit(ctx, env.word.start + s, env.word.start + e, `${q} ${q}`)) : [edit(ctx, env.word.start, env.word.end, split)];
        reports.push({
          range: ctx.range(env.word.start, env.word.end),
          message: `One quoted string holds several assignments: systemd sets ${env.name} to everything after its "=", and never sets ${names.join(', ')}. Quote each assignment on its own.`,
          fixes: fixable ? [{ title: 'Split into one quoted string per assignment', edits, preferred: true }] : [],
        });
      }
    }
    return reports;
  },
};

const NAME = /[A-Z_][A-Z0-9_]*=/y;

/**
 * The blank runs (offsets into `raw`) inside the opening quote that are followed by `NAME=`, as
 * ANOTHER finds them in the decoded value; escapes are skipped, the closing quote ends the scan.
 */
function separators(raw: string, q: string): [number, number][] | undefined {
  const out: [number, number][] = [];
  for (let i = 1; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === q) return out;
    if (!/\s/.test(c)) continue;
    let j = i;
    while (j < raw.length && /\s/.test(raw[j])) j++;
    NAME.lastIndex = j;
    if (NAME.test(raw)) out.push([i, j]);
    i = j - 1;
  }
  return undefined;
}
