import type { RuleContext, TextEdit } from '../core/types';
import type { Assignment, Section, SystemdModel, Word } from './model';
import { afterHeader, literalSpan } from './model';

/** Text edits on unit files that keep the file's line breaks. */

export function edit(ctx: RuleContext, start: number, end: number, newText: string): TextEdit {
  return { range: ctx.range(start, end), newText };
}

/** Inserts whole lines before the line `a` starts on. */
export function insertLinesBefore(ctx: RuleContext, model: SystemdModel, a: { lineStart: number }, lines: string[]): TextEdit {
  return edit(ctx, a.lineStart, a.lineStart, lines.map((l) => l + model.eol).join(''));
}

/** Inserts whole lines right after a section's header line. */
export function insertLinesAfterHeader(ctx: RuleContext, model: SystemdModel, section: Section, lines: string[]): TextEdit {
  const at = afterHeader(ctx.text, section);
  // A header on the file's last line, with no line break after it.
  if (at === section.end) return edit(ctx, at, at, lines.map((l) => model.eol + l).join(''));
  return edit(ctx, at, at, lines.map((l) => l + model.eol).join(''));
}

/** Removes every line of an assignment, its continuation lines and line break included. */
export function removeAssignment(ctx: RuleContext, a: Assignment): TextEdit {
  return edit(ctx, a.lineStart, a.next, '');
}

export interface EnvAssignment {
  name: string;
  /** The value after the first `=`, as systemd passes it to the process. */
  value: string;
  word: Word;
  /** Index in `word.value` where the value starts. */
  valueIndex: number;
}

/** The `NAME=value` words of an `Environment=` line (words without `=` are left out). */
export function envAssignments(a: Assignment): EnvAssignment[] {
  const out: EnvAssignment[] = [];
  for (const word of a.words) {
    const eq = word.value.indexOf('=');
    if (eq <= 0) continue;
    out.push({ name: word.value.slice(0, eq), value: word.value.slice(eq + 1), word, valueIndex: eq + 1 });
  }
  return out;
}

/** See literalSpan(): the text of characters [from, to) of a word's value, when written literally. */
export const literalRange = literalSpan;

/** The setting's last value in the accepted sections named `section`, systemd's "last one wins". */
export function lastValue(model: SystemdModel, section: string, key: string): Assignment | undefined {
  let found: Assignment | undefined;
  for (const a of model.assignments) if (a.key === key && a.section?.name === section && a.section.accepted) found = a;
  return found;
}

/** Whether the file is a service's (a `.service`, or a drop-in or unit of unknown type with a `[Service]` section). */
export function isService(model: SystemdModel): boolean {
  if (model.unitType) return model.unitType === 'service';
  return model.sections.some((s) => s.name === 'Service');
}
