import type { Report, Rule } from '../core/types';
import { named, type Directive, type NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/return-bypasses-allow-deny',
  format: 'nginx',
  severity: 'warning',
  summary: 'return runs before allow/deny in the same location, so the access rules never apply',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const d of named(model, 'return')) {
      if (d.problem) continue;
      // Refusing (return 403, 404, 444) is what the access rules would do anyway.
      if (/^[45]\d\d$/.test(d.args[0]?.value ?? '')) continue;
      // return runs in the rewrite phase, before the access phase that allow/deny belong to.
      const location = enclosingLocation(d);
      const level = location ? location.block!.children : undefined;
      if (!level?.some((x) => x.name === 'allow' || x.name === 'deny')) continue;
      reports.push({
        range: ctx.range(d.start, d.end),
        message: '"return" answers in the rewrite phase, before allow/deny are checked: every client gets this response, whatever the access rules say.',
      });
    }
    return reports;
  },
};

function enclosingLocation(d: Directive): Directive | undefined {
  for (let p = d.parent; p; p = p.parent) {
    if (p.name === 'location') return p;
    if (p.name !== 'if') return undefined;
  }
  return undefined;
}
