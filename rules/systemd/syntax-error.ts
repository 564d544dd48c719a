import type { Fix, Report, Rule, RuleContext } from '../core/types';
import { edit, envAssignments } from './edit';
import { wordOffset, type Assignment, type SyntaxIssue, type SystemdModel } from './model';
import { SPECIFIERS } from './settings-table';
import { append } from '../core/arrays';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Settings whose `%` specifiers we check, and what systemd does with an unknown one. */
const RESOLVED: Record<string, string> = {
  Description: 'ignores the setting',
  WorkingDirectory: 'refuses to start the unit',
  Environment: 'ignores this assignment',
};
const EXEC = /^Exec(Start|StartPre|StartPost|Condition|Reload|Stop|StopPost)$/;

export const rule: Rule<SystemdModel> = {
  id: 'systemd/syntax-error',
  format: 'systemd',
  severity: 'error',
  summary: 'A line systemd cannot parse: a broken section header, a line with no `=`, a bad Environment= word or % specifier',
  check(model, ctx) {
    const reports: Report[] = model.issues.map((issue) => ({ range: ctx.range(issue.start, issue.end), message: issue.message, fixes: headerFixes(issue, model, ctx) }));
    for (const a of model.assignments) {
      if (a.section?.accepted) append(reports, specifiers(a, ctx));
      if (a.key !== 'Environment' || !a.section?.accepted) continue;
      // systemd drops the whole line when one word does not split, and each word that is no assignment.
      const broken = a.words.find((w) => w.error);
      if (broken) {
        reports.push({ range: ctx.range(broken.start, broken.end), message: `Environment= with ${broken.error}: systemd ignores the whole line` });
        continue;
      }
      const named = new Set(envAssignments(a).map((e) => e.word));
      for (const w of a.words) {
        const name = named.has(w) ? w.value.slice(0, w.value.indexOf('=')) : undefined;
        if (name !== undefined && ENV_NAME.test(name)) continue;
        const what = name === undefined ? 'has no `=`' : 'is not a valid variable name';
        reports.push({ range: ctx.range(w.start, w.end), message: `This Environment= word ${what}: systemd ignores it` });
      }
    }
    return reports;
  },
};

/** `%z`: a specifier systemd does not know. `%%` is a literal percent sign; a `%` at the end is kept. */
function specifiers(a: Assignment, ctx: RuleContext): Report[] {
  const effect = EXEC.test(a.key) ? 'refuses to start the unit' : RESOLVED[a.key];
  if (!effect || !a.value.includes('%')) return [];
  const reports: Report[] = [];
  for (const w of a.words) {
    for (let i = 0; i < w.value.length - 1; i++) {
      if (w.value[i] !== '%') continue;
      const c = w.value[++i];
      if (c === '%' || SPECIFIERS.includes(c)) continue;
      const at = wordOffset(w, i - 1);
      reports.push({ range: ctx.range(at, wordOffset(w, i) + 1), message: `Unknown specifier %${c} in ${a.key}=: systemd ${effect}. Write %% for a literal percent sign.` });
    }
  }
  return reports;
}

/** `[Service` gets its bracket; `[Service] # note` gets its note moved to a comment line above. */
function headerFixes(issue: SyntaxIssue, model: SystemdModel, ctx: RuleContext): Fix[] {
  if (issue.kind !== 'invalid-section-header') return [];
  const raw = ctx.text.slice(issue.start, issue.end);
  if (!/[\r\n]/.test(raw)) {
    const unclosed = /^\[([A-Za-z][A-Za-z0-9-]*)$/.exec(raw);
    if (unclosed) return [{ title: `Close the header: [${unclosed[1]}]`, edits: [edit(ctx, issue.end, issue.end, ']')], preferred: true }];
    const trailing = /^(\[[A-Za-z][A-Za-z0-9-]*\])[ \t]*(.+)$/.exec(raw);
    if (trailing) {
      const note = trailing[2].replace(/^[#;][ \t]*/, '');
      return [{ title: 'Move the text after the header to a comment line', edits: [edit(ctx, issue.start, issue.end, `# ${note}${model.eol}${trailing[1]}`)], preferred: true }];
    }
  }
  return [];
}
