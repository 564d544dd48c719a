import type { Report, Rule } from '../core/types';
import { named, type NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/valid-referers-none',
  format: 'nginx',
  severity: 'warning',
  summary: 'valid_referers accepts requests with no Referer',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const d of named(model, 'valid_referers')) {
      const none = d.args.find((a) => a.value === 'none');
      if (!none || d.args.length < 2) continue;
      // Remove the word with the blank before it (or after it, when it comes first).
      const i = d.args.indexOf(none);
      const start = i > 0 ? d.args[i - 1].end : none.start;
      const end = i > 0 ? none.end : d.args[i + 1].start;
      reports.push({
        range: ctx.range(none.start, none.end),
        message: 'valid_referers none accepts requests without a Referer, which anyone can send: the hotlink or CSRF check it guards is bypassed by stripping the header.',
        fixes: [{ title: 'Remove "none"', edits: [{ range: ctx.range(start, end), newText: '' }], preferred: true }],
      });
    }
    return reports;
  },
};
