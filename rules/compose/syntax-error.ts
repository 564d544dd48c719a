import type { Rule } from '../core/types';
import type { ComposeModel } from './model';

export const rule: Rule<ComposeModel> = {
  id: 'compose/syntax-error',
  format: 'compose',
  severity: 'error',
  summary: 'YAML that docker compose would reject',
  check(model, ctx) {
    // The first error is the one to fix; the ones after it are usually its echoes.
    const first = model.syntaxErrors[0];
    if (!first) return [];
    let [start, end] = first.span;
    if (end <= start) end = Math.min(start + 1, ctx.text.length);
    if (end <= start) start = Math.max(0, end - 1);
    return [{ range: ctx.range(start, end), message: `YAML syntax error: ${first.message}` }];
  },
};
