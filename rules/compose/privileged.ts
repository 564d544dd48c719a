import type { Report, Rule } from '../core/types';
import { asBoolean, type ComposeModel } from './model';

export const rule: Rule<ComposeModel> = {
  id: 'compose/privileged',
  format: 'compose',
  severity: 'warning',
  summary: 'Service runs privileged: root on the host for whoever controls it',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const service of model.services) {
      const pair = service.node?.get('privileged');
      if (asBoolean(pair?.value) !== true) continue;
      reports.push({
        range: ctx.range(pair!.span[0], pair!.span[1]),
        message: `"${service.name}" runs privileged: every capability and every host device, so whoever takes over the container is root on the host. Grant only what it needs (cap_add:, devices:).`,
      });
    }
    return reports;
  },
};
