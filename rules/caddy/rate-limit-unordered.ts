import type { Report, Rule, RuleContext, TextEdit } from '../core/types';
import { eolOf, indentUnit } from './edit';
import { resolve } from './imports';
import { walk, type CaddyModel, type Directive } from './model';

export const rule: Rule<CaddyModel> = {
  id: 'caddy/rate-limit-unordered',
  format: 'caddy',
  severity: 'error',
  summary: 'A rate_limit Caddy refuses (no order) or orders after authentication',
  check(model, ctx) {
    const reports: Report[] = [];
    const res = resolve(model, ctx);
    const orders = (model.global?.directives ?? []).filter(isRateLimitOrder);
    // A file imported by others runs under their global options: an order there counts.
    const inherited = res.importers.some((s) => (s.model.global?.directives ?? []).some(isRateLimitOrder));
    const oldName = usesBasicauth(model);
    for (const o of orders) {
      const [pos, target] = [o.args[1], o.args[2]];
      if (!pos || !target) continue;
      if (pos.text === 'after' && (target.text === 'basic_auth' || target.text === 'basicauth' || target.text === 'forward_auth')) {
        const range = ctx.range(pos.start, pos.end);
        reports.push({
          range: ctx.range(o.name.start, target.end),
          message: `rate_limit is ordered after ${target.text}: failed logins are never limited, so passwords can be guessed at full speed.`,
          fixes: [{ title: `Run rate_limit before ${target.text}`, edits: [{ range, newText: 'before' }], preferred: true }],
        });
      } else if (target.text === 'basicauth' && !oldName) {
        const range = ctx.range(target.start, target.end);
        reports.push({
          range,
          message: 'Caddy 2.8 and later know this handler only as basic_auth: "order rate_limit … basicauth" fails with "directive \'basicauth\' not found".',
          fixes: [{ title: 'Order relative to basic_auth', edits: [{ range, newText: 'basic_auth' }], preferred: true }],
        });
      }
    }
    // An import that cannot be followed may hold the order (or the rate_limit is in a route there).
    if (orders.length || inherited || res.unresolved) return reports;
    for (const block of model.blocks) {
      if (block.kind !== 'site' && block.kind !== 'fragment') continue;
      forEachUnrouted(block.directives, (d) => {
        const range = ctx.range(d.name.start, d.name.end);
        reports.push({
          range,
          message: 'rate_limit is a plugin directive with no place in Caddy\'s directive order: Caddy before 2.8 (and caddy-ratelimit builds that do not register one) refuses it outside a route block. Add "order rate_limit before basic_auth" to the global options.',
          fixes: [{ title: `Add "order rate_limit before ${oldName ? 'basicauth' : 'basic_auth'}" to the global options`, edits: [addOrder(model, ctx, oldName ? 'basicauth' : 'basic_auth')], preferred: true }],
        });
      });
    }
    return reports;
  },
};

const isRateLimitOrder = (d: Directive) => d.name.text === 'order' && d.args[0]?.text === 'rate_limit';

/** rate_limit directives outside any `route` (where order would not matter). */
function forEachUnrouted(ds: readonly Directive[], visit: (d: Directive) => void) {
  for (const d of ds) {
    if (d.name.text === 'rate_limit') visit(d);
    else if (d.name.text !== 'route' && d.block && (d.name.text === 'handle' || d.name.text === 'handle_path' || d.name.text === 'handle_errors')) forEachUnrouted(d.block.directives, visit);
  }
}

// Asked once per report: remembered per model, a walk of the whole file each time is quadratic.
const usesBasicauthMemo = new WeakMap<CaddyModel, boolean>();

function usesBasicauth(model: CaddyModel): boolean {
  const known = usesBasicauthMemo.get(model);
  if (known !== undefined) return known;
  let old = false;
  for (const b of model.blocks) if (b.kind !== 'global') walk(b.directives, (d) => (old ||= d.name.text === 'basicauth'));
  usesBasicauthMemo.set(model, old);
  return old;
}

function addOrder(model: CaddyModel, ctx: RuleContext, target: string): TextEdit {
  const eol = eolOf(ctx.text);
  const unit = indentUnit(ctx.text);
  const line = `order rate_limit before ${target}`;
  const g = model.global;
  if (g?.open) return { range: ctx.range(g.open.end, g.open.end), newText: `${eol}${unit}${line}` };
  const first = model.tokens[0];
  let at = first ? first.start : 0;
  while (at > 0 && ctx.text[at - 1] !== '\n') at--;
  return { range: ctx.range(at, at), newText: `{${eol}${unit}${line}${eol}}${eol}${eol}` };
}
