import type { Report, Rule } from '../core/types';
import { copyDropped, droppedByRedefinition } from './redefinition';
import type { NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/add-header-redefinition',
  format: 'nginx',
  severity: 'warning',
  summary: 'add_header in a nested block drops every add_header of the outer levels',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const d of droppedByRedefinition(model, 'add_header', 'add_header_inherit')) {
      const names = d.dropped.map((x) => x.args[0].value);
      reports.push({
        range: ctx.range(d.first.start, d.first.end),
        message: `This block's add_header replaces the outer ones, so ${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} no longer sent here: nginx inherits add_header only into blocks that set none.`,
        fixes: [{ title: `Repeat ${names.join(', ')} here`, edits: [copyDropped(ctx, d)], preferred: true }],
      });
    }
    return reports;
  },
};
