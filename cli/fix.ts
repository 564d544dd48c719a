import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { readRegularFile, writeFileSafely } from '../io/write';
import { decodeText, encodeText, type TextEncoding } from '../io/text';
import { applyEdits, collectPreferredEdits, isInside, sameEdit, type Finding, type Fix, type TextEdit } from '../rules';

export interface AppliedFix {
  file: string;
  rule: string;
  title: string;
}

/** A fix not applied, and why (reported on stderr; the run exits 2). */
export interface FixFailure {
  /** The file that could not be written, or the finding's file for a fix refused as a whole. */
  file: string;
  rule: string;
  title: string;
  reason: string;
  /** Refused as a whole before any write (an edit outside the project), not a file that failed. */
  refused?: boolean;
}

export interface FixOptions {
  /** The project's edge: a fix with any edit outside is skipped whole, and no write lands outside. */
  roots?: readonly string[];
}

/** An env file gets secrets moved into it: created readable by its owner only. */
export function isEnvFile(file: string): boolean {
  const base = basename(file);
  return base === '.env' || base.startsWith('.env.') || base.endsWith('.env');
}

/**
 * The CLI's project edge until the paths' roots are computed elsewhere: for each path given, the
 * git work tree it lies in (the folder holding `.git`), else the path itself (a file: its folder).
 */
export function fallbackRoots(paths: readonly string[], cwd: string): string[] {
  const roots = new Set<string>();
  for (const p of paths.length ? paths : ['.']) {
    const abs = resolve(cwd, p);
    let start = abs;
    try {
      if (!statSync(abs).isDirectory()) start = dirname(abs);
    } catch {
      start = dirname(abs);
    }
    let root = start;
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, '.git'))) {
        root = dir;
        break;
      }
      if (dirname(dir) === dir) break;
    }
    roots.add(root);
  }
  return [...roots];
}

type Planned = { finding: Finding; fix: Fix; edits: TextEdit[]; failed?: boolean };

/**
 * Applies the preferred fix of each finding, at most one per overlapping place; returns what was
 * applied so the caller can lint again (fixes held back by an overlap get their turn then), and
 * in `failures` what could not be.
 */
export function applyPreferredFixes(findings: readonly Finding[], readText: (file: string) => string | undefined, options: FixOptions = {}): AppliedFix[] & { failures: FixFailure[] } {
  const failures: FixFailure[] = [];
  // A fix that would write outside the project is not applied, none of its edits.
  const inside: Finding[] = [];
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.preferred);
    const out = fix?.edits.find((e) => !isInside(options.roots, resolve(e.file ?? f.file)));
    if (fix && out) failures.push({ file: f.file, rule: f.rule, title: fix.title, reason: `it would write ${out.file ?? f.file}, outside the project: not applied`, refused: true });
    else inside.push(f);
  }
  const { byFile, fixes } = collectPreferredEdits(inside);
  const planned: Planned[] = fixes.map(({ finding, fix }) => ({ finding, fix, edits: fix.edits.map((e) => ({ ...e, file: e.file ?? finding.file })) }));
  const applied = new Set<string>();
  // Files that receive a moved value (not the linted ones) are written first: if one cannot be
  // written, the value has not yet been taken out of its source, and the fix's other files are not
  // written at all. `.gitignore` goes before them all: a key never lands in a file git would commit.
  const rank = (f: string) => (basename(f) === '.gitignore' ? 0 : readText(f) === undefined ? 1 : 2);
  const order = [...byFile.keys()].sort((a, b) => rank(a) - rank(b));
  for (const file of order) {
    // This file's edits, from the fixes still standing, each shared edit once.
    const mine = planned.filter((p) => !p.failed && p.edits.some((e) => e.file === file));
    const edits: TextEdit[] = [];
    for (const p of mine) for (const e of p.edits) if (e.file === file && !edits.some((x) => sameEdit(x, e))) edits.push(e);
    if (!edits.length) continue;
    const result = writeEdits(file, edits, readText(file), options);
    if (result === 'unchanged') continue;
    if (result === 'written') {
      applied.add(file);
      continue;
    }
    for (const p of mine) {
      p.failed = true;
      failures.push({ file, rule: p.finding.rule, title: p.fix.title, reason: result.reason });
    }
  }
  const done = planned.filter((p) => !p.failed && p.edits.some((e) => applied.has(e.file!))).map(({ finding, fix }) => ({ file: finding.file, rule: finding.rule, title: fix.title }));
  return Object.assign(done, { failures });
}

/** One file's edits applied and written safely; `linted` is the text the edits were computed on (a linted file). */
function writeEdits(file: string, edits: TextEdit[], linted: string | undefined, options: FixOptions): 'written' | 'unchanged' | { reason: string } {
  const read = readRegularFile(file);
  if ('error' in read) return { reason: read.error };
  const bytes = 'bytes' in read ? read.bytes : undefined;
  let decoded = bytes ? decodeText(bytes) : { text: '', encoding: 'utf8' as TextEncoding };
  // A reader that kept a byte-order mark as U+FEFF: the text is the bytes as UTF-8.
  if (linted !== undefined && bytes && decoded.text !== linted && bytes.toString('utf8') === linted) decoded = { text: linted, encoding: 'utf8' };
  // A linted file saved since the lint: the edits' positions are stale; the user's version stays.
  if (linted !== undefined && decoded.text !== linted) return { reason: 'changed since it was read: not overwritten' };
  const before = linted ?? decoded.text;
  const { text } = applyEdits(before, edits);
  if (text === before) return 'unchanged';
  const r = writeFileSafely({
    file,
    bytes: encodeText(text, decoded.encoding),
    unchanged: (current) => (bytes === undefined ? current === undefined : current !== undefined && current.equals(bytes)),
    roots: options.roots,
    newMode: isEnvFile(file) ? 0o600 : 0o644,
  });
  return r.ok ? 'written' : { reason: r.reason };
}
