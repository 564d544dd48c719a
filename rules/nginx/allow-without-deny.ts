import type { Report, Rule } from '../core/types';
import { isUnknownInclude } from './analysis';
import { insertAfter } from './edit';
import type { NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/allow-without-deny',
  format: 'nginx',
  severity: 'warning',
  summary: 'allow with no "deny all" after it: everyone else is allowed too',
  check(model, ctx) {
    const reports: Report[] = [];
    const levels = [model.root, ...model.all.filter((d) => d.block && !d.block.opaque).map((d) => d.block!.children)];
    for (const level of levels) {
      if (!level.some((d) => d.name === 'allow')) continue;
      const allows = level.filter((d) => d.name === 'allow' && !d.problem);
      if (!allows.length || allows.some((a) => a.args[0]?.value === 'all')) continue;
      if (level.some((d) => d.name === 'deny' && d.args[0]?.value === 'all') || level.some(isUnknownInclude)) continue;
      const last = allows[allows.length - 1];
      reports.push({
        range: ctx.range(allows[0].start, allows[0].end),
        message: `"${allows[0].args[0]?.value}" is allowed, but nothing is denied: nginx allows every address by default, so this allow list restricts no one. Add "deny all;".`,
        fixes: [{ title: 'Add deny all; after the allow list', edits: [insertAfter(ctx, last, ['deny all;'])], preferred: true }],
      });
    }
    return reports;
  },
};
