import { LineIndex } from './text';
import type { Finding, Fix, TextEdit } from './types';

/** Applies edits to one text; overlapping edits after the first are skipped and returned. */
export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; skipped: TextEdit[] } {
  const lines = new LineIndex(text);
  const withOffsets = edits
    .map((e, order) => ({ e, order, start: lines.offset(e.range.start), end: lines.offset(e.range.end) }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
  const kept: typeof withOffsets = [];
  const skipped: TextEdit[] = [];
  let lastEnd = -1;
  for (const w of withOffsets) {
    // Edits that touch are fine; one that overlaps a kept edit is not.
    if (w.start < lastEnd) {
      skipped.push(w.e);
      continue;
    }
    kept.push(w);
    lastEnd = Math.max(lastEnd, w.end);
  }
  let out = '';
  let pos = 0;
  for (const w of kept) {
    out += text.slice(pos, w.start) + w.e.newText;
    pos = w.end;
  }
  return { text: out + text.slice(pos), skipped };
}

export function preferredFix(finding: Finding): Fix | undefined {
  return finding.fixes.find((f) => f.preferred);
}

/**
 * The preferred fix of every finding, grouped by file; a fix whose edits overlap one already taken
 * is left for the next pass, so applying the result never garbles text.
 */
export function collectPreferredEdits(findings: readonly Finding[]): { byFile: Map<string, TextEdit[]>; fixes: { finding: Finding; fix: Fix }[] } {
  const byFile = new Map<string, TextEdit[]>();
  const fixes: { finding: Finding; fix: Fix }[] = [];
  for (const finding of findings) {
    const fix = preferredFix(finding);
    if (!fix) continue;
    const overlaps = fix.edits.some((e) => (byFile.get(e.file ?? finding.file) ?? []).some((o) => rangesOverlap(o, e)));
    if (overlaps) continue;
    for (const e of fix.edits) {
      const file = e.file ?? finding.file;
      if (!byFile.has(file)) byFile.set(file, []);
      byFile.get(file)!.push({ ...e, file });
    }
    fixes.push({ finding, fix });
  }
  return { byFile, fixes };
}

function before(a: TextEdit['range']['start'], b: TextEdit['range']['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function rangesOverlap(a: TextEdit, b: TextEdit): boolean {
  const aEmpty = !before(a.range.start, a.range.end);
  const bEmpty = !before(b.range.start, b.range.end);
  if (aEmpty && bEmpty) return a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
  return before(a.range.start, b.range.end) && before(b.range.start, a.range.end);
}
