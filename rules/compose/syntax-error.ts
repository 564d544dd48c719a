import type { Rule } from '../core/types';
import type { ComposeModel } from './model';

const WORD = /[A-Za-z0-9_.-]/;

export const rule: Rule<ComposeModel> = {
  id: 'compose/syntax-error',
  format: 'compose',
  severity: 'error',
  summary: 'YAML that docker compose would reject',
  check(model, ctx) {
    // The first error is the one to fix; the ones after it are usually its echoes.
    const first = model.syntaxErrors[0];
    if (!first) return [];
    const text = ctx.text;
    let [start, end] = first.span;
    if (start >= text.trimEnd().length) {
      // Found only at the end of the file (an unclosed quote or bracket): point at the last line
      // written, where the unclosed construct is, rather than at an empty spot past it.
      end = text.trimEnd().length;
      start = Math.max(text.lastIndexOf('\n', end - 1) + 1, 0);
      while (start < end && /[ \t]/.test(text[start])) start++;
    }
    // yaml marks some errors by their first character only: widen that to the word (a duplicate key's name).
    if (end === start + 1 && WORD.test(text[start])) while (end < text.length && WORD.test(text[end])) end++;
    if (end <= start) end = Math.min(start + 1, text.length);
    if (end <= start) start = Math.max(0, end - 1);
    return [{ range: ctx.range(start, end), message: `YAML syntax error: ${first.message}` }];
  },
};
