import type { Report, Rule } from '../core/types';
import { scalarText, type ComposeModel } from './model';

export const rule: Rule<ComposeModel> = {
  id: 'compose/host-network',
  format: 'compose',
  severity: 'warning',
  summary: "Service shares the host's network stack (network_mode: host)",
  check(model, ctx) {
    const reports: Report[] = [];
    for (const service of model.services) {
      const pair = service.node?.get('network_mode');
      if (scalarText(pair?.value)?.trim() !== 'host') continue;
      reports.push({
        range: ctx.range(pair!.span[0], pair!.span[1]),
        message: `"${service.name}" uses the host's network: every port it listens on is open on every interface of the host, with no ports: list to see or bind, and Docker's network isolation is gone.`,
      });
    }
    return reports;
  },
};
