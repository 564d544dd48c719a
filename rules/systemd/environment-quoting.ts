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
        reports.push({
          range: ctx.range(env.word.start, env.word.end),
          message: `One quoted string holds several assignments: systemd sets ${env.name} to everything after its "=", and never sets ${names.join(', ')}. Quote each assignment on its own.`,
          fixes: fixable ? [{ title: 'Split into one quoted string per assignment', edits: [edit(ctx, env.word.start, env.word.end, split)], preferred: true }] : [],
        });
      }
    }
    return reports;
  },
};
