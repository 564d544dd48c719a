import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { applyEdits, collectPreferredEdits, type Finding } from '../rules';
import { readBytes } from '../io/read';
import { decodeText, encodeText, type TextEncoding } from '../io/text';

/** How a file is stored now, by its byte-order mark (missing: UTF-8). */
function storedEncoding(file: string): TextEncoding {
  const head = readBytes(file, { headOnly: 4 });
  return head.ok ? decodeText(head.bytes).encoding : 'utf8';
}

export interface AppliedFix {
  file: string;
  rule: string;
  title: string;
}

/** An env file gets secrets moved into it: created readable by its owner only. */
export function isEnvFile(file: string): boolean {
  const base = basename(file);
  return base === '.env' || base.startsWith('.env.') || base.endsWith('.env');
}

/** Writes through a temporary file in the same folder and a rename, keeping the file's mode (a new env file: 0600). */
export function writeAtomic(file: string, text: string | Buffer): void {
  const tmp = join(dirname(file), `.${basename(file)}.portcullis-${process.pid}.tmp`);
  const mode = existsSync(file) ? statSync(file).mode & 0o777 : isEnvFile(file) ? 0o600 : 0o644;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

/**
 * Applies the preferred fix of each finding, at most one per overlapping place; returns what was
 * applied so the caller can lint again (fixes held back by an overlap get their turn then).
 */
export function applyPreferredFixes(findings: readonly Finding[], readText: (file: string) => string | undefined): AppliedFix[] {
  const { byFile, fixes } = collectPreferredEdits(findings);
  const applied = new Set<string>();
  // Files that receive a moved value (not the linted ones) are written first: if one cannot be
  // written, the value has not yet been taken out of its source.
  const isTarget = (f: string) => readText(f) !== undefined;
  const order = [...byFile].sort(([a], [b]) => Number(isTarget(a)) - Number(isTarget(b)));
  for (const [file, edits] of order) {
    const before = readText(file) ?? (existsSync(file) ? readFileSync(file, 'utf8') : '');
    const { text } = applyEdits(before, edits);
    if (text !== before) {
      // Written back as it was stored (the rules saw it decoded: no byte-order mark, UTF-16 as text).
      writeAtomic(file, encodeText(text, storedEncoding(file)));
      applied.add(file);
    }
  }
  return fixes.filter(({ fix }) => fix.edits.some((e) => applied.has(e.file!))).map(({ finding, fix }) => ({ file: finding.file, rule: finding.rule, title: fix.title }));
}
