import type { Report, Rule } from '../core/types';
import { removeAssignment } from './edit';
import type { SystemdModel } from './model';

export const rule: Rule<SystemdModel> = {
  id: 'systemd/environment-reset',
  format: 'systemd',
  severity: 'warning',
  summary: "An empty Environment= in a drop-in wipes every variable the unit set, PATH included",
  check(model, ctx) {
    if (!model.dropIn) return [];
    const reports: Report[] = [];
    for (const a of model.assignments) {
      if (a.key !== 'Environment' || a.value || !a.section?.accepted) continue;
      reports.push({
        range: ctx.range(a.start, a.end),
        message:
          "An empty Environment= clears every Environment= variable set before it, including those of the unit this drop-in extends (the packaged ollama.service sets PATH this way). Remove it unless you mean to start from nothing.",
        fixes: [{ title: 'Remove the empty Environment= line', edits: [removeAssignment(ctx, a)] }],
      });
    }
    return reports;
  },
};
