import type { Report, Rule } from '../core/types';
import { insertLinesBefore, isService, lastValue } from './edit';
import { settingsIn, type SystemdModel } from './model';

export const rule: Rule<SystemdModel> = {
  id: 'systemd/execstart-not-reset',
  format: 'systemd',
  severity: 'error',
  summary: 'A second ExecStart= that systemd refuses: a drop-in must clear ExecStart= first',
  check(model, ctx) {
    if (!isService(model)) return [];
    // Only Type=oneshot may run several commands; a drop-in cannot see the unit's Type= unless it sets it.
    if (lastValue(model, 'Service', 'Type')?.value === 'oneshot') return [];
    const reports: Report[] = [];
    // A drop-in is merged over a unit that already has its ExecStart=.
    let count = model.dropIn ? 1 : 0;
    let cleared = !model.dropIn;
    for (const a of settingsIn(model, 'Service')) {
      if (a.key !== 'ExecStart') continue;
      if (!a.value) {
        count = 0;
        cleared = true;
        continue;
      }
      count++;
      if (count < 2) continue;
      const range = ctx.range(a.start, a.end);
      if (model.dropIn && !cleared) {
        reports.push({
          range,
          message: 'This drop-in adds a second ExecStart= to the unit\'s own: systemd refuses to start the service ("more than one ExecStart= setting"). Clear the list first with an empty ExecStart= line.',
          fixes: [{ title: 'Insert an empty ExecStart= line before it', edits: [insertLinesBefore(ctx, model, a, ['ExecStart='])], preferred: true }],
        });
        cleared = true;
      } else {
        reports.push({ range, message: 'More than one ExecStart= for a service that is not Type=oneshot: systemd refuses to start it. Keep one command (or clear the list with an empty ExecStart= before it).' });
      }
    }
    return reports;
  },
};
