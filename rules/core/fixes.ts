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
    // Two fixes that make the same edit (the same line inserted at one place) make it once.
    if (kept.some((k) => k.start === w.start && k.end === w.end && k.e.newText === w.e.newText)) continue;
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
  // Syntax repairs first: until a file parses as the tool reads it (a `;` missing after
  // `proxy_pass`), other fixes' edits land inside the broken statement. Their turn is the next pass.
  const repairing = new Set(findings.filter((f) => isSyntaxRepair(f)).map((f) => f.file));
  for (const finding of findings) {
    const fix = preferredFix(finding);
    if (!fix) continue;
    if (!isSyntaxRepair(finding) && fix.edits.some((e) => repairing.has(e.file ?? finding.file))) continue;
    // An edit another fix already makes (both insert `proxy_buffering off;` after one line) is shared, not a conflict.
    const taken = (e: TextEdit) => (byFile.get(e.file ?? finding.file) ?? []).some((o) => sameEdit(o, e));
    const overlaps = fix.edits.some((e) => !taken(e) && (byFile.get(e.file ?? finding.file) ?? []).some((o) => rangesOverlap(o, e)));
    if (overlaps) continue;
    for (const e of fix.edits) {
      const file = e.file ?? finding.file;
      if (taken(e)) continue;
      if (!byFile.has(file)) byFile.set(file, []);
      byFile.get(file)!.push({ ...e, file });
    }
    fixes.push({ finding, fix });
  }
  return { byFile, fixes };
}

function isSyntaxRepair(f: Finding): boolean {
  return f.rule.endsWith('/syntax-error') && !!preferredFix(f);
}

/** The same change: one range, one replacement. */
export function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.newText === b.newText && !before(a.range.start, b.range.start) && !before(b.range.start, a.range.start) && !before(a.range.end, b.range.end) && !before(b.range.end, a.range.end);
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
