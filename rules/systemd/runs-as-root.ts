import type { Report, Rule } from '../core/types';
import { splitPath } from '../core/detect';
import { insertLinesAfterHeader, isService, lastValue } from './edit';
import { settingsIn, type SystemdModel } from './model';

export const rule: Rule<SystemdModel> = {
  id: 'systemd/runs-as-root',
  format: 'systemd',
  severity: 'info',
  summary: 'A service that runs as root (no User= or DynamicUser=)',
  check(model, ctx) {
    if (!isService(model) || looksLikeUserUnit(model)) return [];
    const user = lastValue(model, 'Service', 'User');
    const dynamic = lastValue(model, 'Service', 'DynamicUser');
    if (dynamic && /^(1|yes|y|true|t|on)$/i.test(dynamic.value)) return [];
    if (user && user.value && user.value !== 'root' && user.value !== '0') return [];
    const message = 'The service runs as root: a flaw in it, or in anything it runs, owns the whole machine. Run it as its own user (User=) or let systemd allocate one (DynamicUser=yes).';
    if (user) return [{ range: ctx.range(user.start, user.end), message }];
    // A drop-in cannot see the unit's User=: only what it sets itself counts.
    const header = model.sections.find((s) => s.name === 'Service' && s.accepted);
    // A .service with no ExecStart= is a drop-in's content saved under the unit's name (or refused anyway).
    if (model.dropIn || !header || !settingsIn(model, 'Service').some((a) => a.key === 'ExecStart' && a.value)) return [];
    const report: Report = {
      range: ctx.range(header.start, header.end),
      message,
      fixes: [{ title: 'Add DynamicUser=yes (a transient user; state goes in StateDirectory=)', edits: [insertLinesAfterHeader(ctx, model, header, ['DynamicUser=yes'])] }],
    };
    return [report];
  },
};

/**
 * A user unit runs as its user: it lives under `systemd/user/`, is installed into `default.target`
 * only, or finds its files through `%h` (the user's home).
 */
function looksLikeUserUnit(model: SystemdModel): boolean {
  if (/(^|\/)systemd\/user$/.test(splitPath(model.file).slice(0, -1).join('/'))) return true;
  const wantedBy = settingsIn(model, 'Install').filter((a) => a.key === 'WantedBy').flatMap((a) => a.value.split(/\s+/));
  if (wantedBy.includes('default.target') && !wantedBy.includes('multi-user.target')) return true;
  return settingsIn(model, 'Service').some((a) => /%h/.test(a.value));
}
