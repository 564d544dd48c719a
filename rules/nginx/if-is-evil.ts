import type { Report, Rule } from '../core/types';
import { named, type Directive, type NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/if-is-evil',
  format: 'nginx',
  severity: 'warning',
  summary: '"if" in a location holds more than return or rewrite … last',
  check(model, ctx) {
    const reports: Report[] = [];
    // One finding per location: the trouble is the location's ifs together (only the last true
    // one's settings apply), and the cure is restructuring the location.
    const byLocation = new Map<Directive, Directive[]>();
    for (const d of named(model, 'if')) {
      const location = d.parent;
      if (location?.name !== 'location' || !d.block || leavesAtOnce(d)) continue;
      const unsafe = d.block.children.filter((c) => !isSafe(c));
      if (unsafe.length) byLocation.set(location, [...(byLocation.get(location) ?? []), ...unsafe]);
    }
    for (const [, unsafe] of byLocation) {
      const [first, ...others] = unsafe;
      const more = others.length ? ` (and ${others.length} more directive${others.length > 1 ? 's' : ''} in this location's ifs)` : '';
      reports.push({
        range: ctx.range(first.start, first.end),
        message:
          `"${first.name}" inside "if" in a location is unreliable ("if is evil")${more}: when the condition is true, nginx serves the request with the if block's own configuration, so settings of the location (try_files, other ifs' add_header…) silently stop applying. ` +
          'Inside "if" in a location use only return or rewrite … last; move the rest out, or pick values with map.',
        related: others.map((o) => ({ file: ctx.file, range: ctx.range(o.start, o.end), message: `"${o.name}" inside "if" in the same location` })),
      });
    }
    return reports;
  },
};

/**
 * An if that ends the request itself (`return 204;` after the CORS headers of a preflight) serves
 * only that response with its own settings, which is what they say: the location's rest never runs.
 * Not when a `break` stops the rewrite directives before the return is reached.
 */
function leavesAtOnce(d: Directive): boolean {
  const children = d.block?.children ?? [];
  const stops = children.some((c) => c.name === 'break' || (c.name === 'rewrite' && c.args[c.args.length - 1]?.value === 'break'));
  return !stops && children.some((c) => c.name === 'return' || (c.name === 'rewrite' && isSafe(c)));
}

/** What nginx's own advice calls safe inside if in a location: leaving it at once. */
function isSafe(d: Directive): boolean {
  if (d.name === 'return') return true;
  return d.name === 'rewrite' && d.args.length >= 3 && /^(last|redirect|permanent)$/.test(d.args[d.args.length - 1].value);
}
