import type { Report, Rule } from '../core/types';
import { walk, type CaddyModel } from './model';

export const rule: Rule<CaddyModel> = {
  id: 'caddy/basicauth-renamed',
  format: 'caddy',
  severity: 'hint',
  summary: 'basicauth is the pre-2.8 name of basic_auth',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const block of model.blocks) {
      if (block.kind === 'global') continue; // `order … basicauth` is caddy/rate-limit-unordered's
      walk(block.directives, (d) => {
        if (d.name.text !== 'basicauth' || d.name.quote !== '') return;
        const range = ctx.range(d.name.start, d.name.end);
        reports.push({
          range,
          message: 'basicauth was renamed basic_auth in Caddy 2.8; the old name still works but is deprecated.',
          fixes: [{ title: 'Rename to basic_auth (Caddy 2.8 or later)', edits: [{ range, newText: 'basic_auth' }], preferred: true }],
        });
      });
    }
    return reports;
  },
};
