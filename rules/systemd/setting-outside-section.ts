import type { Report, Rule } from '../core/types';
import { insertLinesBefore } from './edit';
import { sectionsFor, type Assignment, type SystemdModel } from './model';
import { SETTINGS } from './settings-table';

export const rule: Rule<SystemdModel> = {
  id: 'systemd/setting-outside-section',
  format: 'systemd',
  severity: 'error',
  summary: 'A setting before the first section header, which systemd ignores',
  check(model, ctx) {
    const outside = model.assignments.filter((a) => !a.section);
    if (!outside.length) return [];
    // One header before the first stray line puts all of them in a section.
    const first = outside[0];
    const home = first.equals ? sectionOf(first, model) : undefined;
    const fixes = home ? [{ title: `Insert a [${home}] header before line ${first.line + 1}`, edits: [insertLinesBefore(ctx, model, first, [`[${home}]`])], preferred: true }] : [];
    return outside.map((a): Report => ({
      range: ctx.range(a.start, a.end),
      message: `${a.equals && a.key ? `${a.key}=` : 'This line'} is outside of any section: systemd ignores it ("Assignment outside of section")`,
      fixes,
    }));
  },
};

/** The section the setting belongs to: the unit type's own section first, then [Unit], then [Install]. */
function sectionOf(a: Assignment, model: SystemdModel): string | undefined {
  const candidates = sectionsFor(model.unitType);
  const order = [...candidates.filter((s) => s !== 'Unit' && s !== 'Install'), 'Unit', 'Install'];
  if (!model.unitType) order.unshift('Service');
  return order.find((s) => candidates.includes(s) && SETTINGS.get(s)?.has(a.key));
}
