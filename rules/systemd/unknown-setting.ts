import { quotedName } from '../secrets/redact';
import type { Fix, Report, Rule, RuleContext } from '../core/types';
import { edit, removeAssignment } from './edit';
import { afterHeader, sectionsFor, type Assignment, type Section, type SystemdModel } from './model';
import { SETTINGS } from './settings-table';

export const rule: Rule<SystemdModel> = {
  id: 'systemd/unknown-setting',
  format: 'systemd',
  severity: 'warning',
  summary: 'A setting or section systemd does not know, and ignores',
  check(model, ctx) {
    const reports: Report[] = [];
    const accepted = sectionsFor(model.unitType);
    // The same typo tends to repeat; each is looked up once per file.
    const suggestions = new Map<string, string[]>();
    for (const section of model.sections) {
      if (section.accepted || section.extension) continue;
      // A section of another unit type is no misspelling: the setting is in the wrong kind of file.
      const [name] = SETTINGS.has(section.name) ? [] : nearest(section.name, accepted);
      const kind = model.unitType ? `a .${model.unitType} unit` : 'a unit';
      // Names from the file are shown cut, escaped and masked (a pasted key is not quoted whole).
      const shown = quotedName(section.name, false);
      const what = SETTINGS.has(section.name) ? `${kind} has no [${shown}] section` : `unknown section [${shown}]`;
      reports.push({
        range: ctx.range(section.start, section.end),
        message: `${cap(what)}: systemd ignores it and every setting in it.${name ? ` Did you mean [${name}]?` : ''}`,
        fixes: name ? [{ title: `Rename to [${name}]`, edits: [edit(ctx, section.start + 1, section.end - 1, name)], preferred: true }] : [],
      });
    }
    for (const a of model.assignments) {
      const section = a.section;
      if (!section?.accepted || a.key.startsWith('X-') || SETTINGS.get(section.name)?.has(a.key)) continue;
      const range = ctx.range(a.keyStart, a.keyEnd);
      const home = accepted.find((s) => s !== section.name && SETTINGS.get(s)?.has(a.key));
      if (home) {
        reports.push({ range, message: `${a.key}= belongs in [${home}], not [${section.name}]: systemd ignores it here.`, fixes: [moveTo(a, home, model, ctx)] });
        continue;
      }
      const lookup = `${section.name}\n${a.key}`;
      let names = suggestions.get(lookup);
      if (!names) suggestions.set(lookup, (names = nearest(a.key, KEYS.get(section.name) ?? [])));
      reports.push({
        range,
        message: `Unknown setting ${quotedName(a.key)}= in [${quotedName(section.name, false)}]: systemd ignores it.${names.length ? ` Did you mean ${names.map((n) => `${n}=`).join(' or ')}?` : ''}`,
        fixes: names.map((n, i): Fix => ({ title: `Change to ${n}=`, edits: [edit(ctx, a.keyStart, a.keyEnd, n)], preferred: i === 0 })),
      });
    }
    return reports;
  },
};

const KEYS = new Map([...SETTINGS].map(([section, keys]) => [section, [...keys.keys()]]));

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

/** Moves an assignment's lines under the first `[home]` header of the file, or into a new one at the end. */
function moveTo(a: Assignment, home: string, model: SystemdModel, ctx: RuleContext): Fix {
  const lines = ctx.text.slice(a.lineStart, a.lineEnd).replace(/^[ \t]+/, '');
  const target = model.sections.find((s: Section) => s.name === home && s.accepted);
  let insert;
  if (target) {
    const at = afterHeader(ctx.text, target);
    insert = edit(ctx, at, at, at === target.end ? model.eol + lines : lines + model.eol);
  } else {
    const end = ctx.text.length;
    const lead = end > 0 && !/[\r\n]$/.test(ctx.text) ? model.eol : '';
    insert = edit(ctx, end, end, `${lead}${model.eol}[${home}]${model.eol}${lines}${model.eol}`);
  }
  return { title: `Move to [${home}]`, edits: [removeAssignment(ctx, a), insert], preferred: true };
}

/** The known names closest to a misspelt one: same name in other case first, then up to two edits away. */
export function nearest(name: string, known: readonly string[]): string[] {
  const lower = name.toLowerCase();
  const sameCase = known.filter((k) => k.toLowerCase() === lower);
  if (sameCase.length) return sameCase.slice(0, 1);
  const limit = name.length <= 4 ? 1 : 2;
  let best = limit + 1;
  let found: string[] = [];
  for (const k of known) {
    if (Math.abs(k.length - name.length) > limit) continue;
    const d = distance(lower, k.toLowerCase(), limit);
    if (d > limit) continue;
    if (d < best) {
      best = d;
      found = [k];
    } else if (d === best) found.push(k);
  }
  return found.slice(0, 3);
}

/** Optimal string alignment distance (Levenshtein with adjacent swaps), cut off above `limit`. */
function distance(a: string, b: string, limit: number): number {
  let prev2 = new Int32Array(b.length + 1);
  let prev = new Int32Array(b.length + 1);
  let row = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let min = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      row[j] = d;
      if (d < min) min = d;
    }
    if (min > limit) return limit + 1;
    [prev2, prev, row] = [prev, row, prev2];
  }
  return prev[b.length];
}
