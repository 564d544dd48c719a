import type { Report, Rule } from '../core/types';
import { copyDropped, droppedByRedefinition } from './redefinition';
import type { NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/proxy-set-header-redefinition',
  format: 'nginx',
  severity: 'warning',
  summary: 'proxy_set_header in a nested block drops every proxy_set_header of the outer levels',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const d of droppedByRedefinition(model, 'proxy_set_header')) {
      const names = d.dropped.map((x) => x.args[0].value);
      reports.push({
        range: ctx.range(d.first.start, d.first.end),
        message: `This block's proxy_set_header replaces the outer ones, so ${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} no longer passed upstream from here: nginx inherits proxy_set_header only into blocks that set none.`,
        fixes: [{ title: `Repeat ${names.join(', ')} here`, edits: [copyDropped(ctx, d)], preferred: true }],
      });
    }
    return reports;
  },
};
