import type { Report, Rule } from '../core/types';
import { contextName, contextNames } from './directives';
import type { NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/directive-not-allowed-here',
  format: 'nginx',
  severity: 'error',
  summary: 'A directive in a block where nginx does not accept it',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const d of model.all) {
      if (d.problem?.kind !== 'context') continue;
      const where = [...new Set(contextNames(d.problem.allowed))].join(', ');
      reports.push({
        range: ctx.range(d.nameWord.start, d.nameWord.end),
        message: `"${d.name}" is not allowed in ${contextName(d.ctx)}; it belongs in: ${where}`,
      });
    }
    return reports;
  },
};
