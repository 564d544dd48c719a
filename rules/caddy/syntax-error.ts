import type { Rule } from '../core/types';
import { resolve } from './imports';
import type { CaddyModel } from './model';

/** Every error is reported: the parser recovers, so each one is its own place to edit. */
const MAX_REPORTED = 50;

export const rule: Rule<CaddyModel> = {
  id: 'caddy/syntax-error',
  format: 'caddy',
  severity: 'error',
  summary: 'Caddyfile syntax that Caddy would refuse',
  check(model, ctx) {
    // The parse's own errors, then what following the imports shows (a cycle of imports).
    const errors = [...model.errors, ...resolve(model, ctx).errors];
    return errors.slice(0, MAX_REPORTED).map((e) => {
      let { start, end } = e;
      if (end <= start) end = Math.min(start + 1, ctx.text.length);
      if (end <= start) start = Math.max(0, end - 1);
      return { range: ctx.range(start, end), message: `Caddyfile syntax error: ${e.message}` };
    });
  },
};
