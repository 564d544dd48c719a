import assert from 'node:assert/strict';
import { applyEdits, lintProject, lintText, LineIndex, memoryFileSystem, mergeConfig, Project, type Config, type Finding, type Fix, type Format, type Range } from '../rules';

export interface LintCase {
  file?: string;
  format?: Format;
  config?: Partial<Config>;
}

/** Lints a text as the editor would; a rule that throws fails the test. */
export function lint(text: string, opts: LintCase = {}): Finding[] {
  const file = opts.file ?? '/work/project/compose.yaml';
  return lintText(file, text, {
    format: opts.format,
    config: mergeConfig(opts.config ?? {}),
    onRuleError: ({ rule, error }) => {
      throw new Error(`rule ${rule} threw: ${(error as Error)?.stack ?? error}`);
    },
  }).findings;
}

export function only(findings: Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}

/** The range of the `nth` occurrence of `needle` in `text`, for asserting exact ranges. */
export function rangeOf(text: string, needle: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" (#${nth}) not found in text`);
  }
  return new LineIndex(text).range(at, at + needle.length);
}

/** Applies a fix's edits to this file (edits to other files are returned separately). */
export function applyFix(text: string, fix: Fix, file = '/work/project/compose.yaml'): string {
  const own = fix.edits.filter((e) => (e.file ?? file) === file);
  const { text: out, skipped } = applyEdits(text, own);
  assert.equal(skipped.length, 0, 'a fix must not have overlapping edits');
  return out;
}

/**
 * The contract of every fix: applied, the finding is gone and no new finding of the same rule
 * appears; applied again (to the fixed text, where the rule no longer offers it) nothing changes.
 */
export function assertFixWorks(text: string, rule: string, fixTitle: RegExp | string | undefined, expected: string, opts: LintCase = {}): string {
  const before = only(lint(text, opts), rule);
  assert.ok(before.length > 0, `${rule} should report before the fix`);
  const finding = before[0];
  const fix = fixTitle === undefined ? finding.fixes.find((f) => f.preferred) : finding.fixes.find((f) => (typeof fixTitle === 'string' ? f.title === fixTitle : fixTitle.test(f.title)));
  assert.ok(fix, `fix ${fixTitle ?? '(preferred)'} offered; got ${finding.fixes.map((f) => f.title).join(' | ')}`);
  const fixed = applyFix(text, fix, opts.file);
  assert.equal(fixed, expected);
  const after = only(lint(fixed, opts), rule);
  assert.equal(after.length, before.length - 1, `the fix removes exactly its finding: ${JSON.stringify(after.map((f) => f.message))}`);
  const sameRange = after.find((f) => JSON.stringify(f.range) === JSON.stringify(finding.range) && f.message === finding.message);
  assert.equal(sameRange, undefined, 'the fixed finding is gone');
  return fixed;
}

export function lines(...ls: string[]): string {
  return ls.join('\n') + '\n';
}

const throwOnRuleError = ({ rule, error }: { rule: string; error: unknown }) => {
  throw new Error(`rule ${rule} threw: ${(error as Error)?.stack ?? error}`);
};

/**
 * Lints an in-memory workspace (absolute path -> text) as the CLI lints a folder: every file whose
 * format is detected, includes and imports resolved among them, the deployment rules run. Files
 * that are only included (no detectable name) are read when something includes them. A rule that
 * throws fails the test. The project is returned too, for its facts.
 */
export async function lintWorkspaceProject(files: Record<string, string>, config: Partial<Config> = {}, roots?: string[]): Promise<{ findings: Finding[]; project: Project }> {
  const fs = memoryFileSystem(files);
  const project = new Project(fs, { onRuleError: throwOnRuleError });
  const { findings } = await lintProject(
    project,
    Object.entries(files).map(([file, text]) => ({ file, text })),
    { config: mergeConfig(config), workspace: { read: (p) => fs.read(p) }, roots, onRuleError: throwOnRuleError },
    (file) => fs.stamp(file),
  );
  return { findings, project };
}

/** The findings of `lintWorkspaceProject`; with `roots`, the project's edge is known (as in the CLI). */
export async function lintWorkspace(files: Record<string, string>, config: Partial<Config> = {}, roots?: string[]): Promise<Finding[]> {
  return (await lintWorkspaceProject(files, config, roots)).findings;
}

/** A fix's edits applied to an in-memory workspace: the new texts, every file touched. */
export function applyWorkspaceFix(files: Record<string, string>, fix: Fix): Record<string, string> {
  const out = { ...files };
  const byFile = new Map<string, Fix['edits']>();
  for (const e of fix.edits) byFile.set(e.file!, [...(byFile.get(e.file!) ?? []), e]);
  for (const [file, edits] of byFile) {
    const { text, skipped } = applyEdits(out[file] ?? '', edits);
    assert.equal(skipped.length, 0, 'a fix must not have overlapping edits');
    out[file] = text;
  }
  return out;
}

export type Files = Record<string, string>;

/** One rule's findings in an in-memory workspace (see `lintWorkspace`). */
export async function workspaceFindings(files: Files, rule: string): Promise<Finding[]> {
  return only(await lintWorkspace(files), rule);
}

/** The place of `needle` in one of the files, as a finding reports it. */
export function placeOf(files: Files, file: string, needle: string, nth = 0): { file: string; range: Range } {
  return { file, range: rangeOf(files[file], needle, nth) };
}

export const places = (fs: Finding[]) => fs.map((f) => ({ file: f.file, range: f.range }));

/**
 * The fix contract across files: applied, its finding is gone and no new one of the rule appears;
 * applied again (the rule no longer offers it) nothing changes. `title` picks the fix (default:
 * the preferred one); `expected` holds the files the fix must leave as given. Returns the fixed files.
 */
export async function assertWorkspaceFixWorks(files: Files, rule: string, title: RegExp | undefined, expected: Files): Promise<Files> {
  const before = await workspaceFindings(files, rule);
  assert.ok(before.length > 0, `${rule} should report before the fix`);
  const fix = before[0].fixes.find((f) => (title ? title.test(f.title) : f.preferred));
  assert.ok(fix, `fix ${title ?? '(preferred)'} offered; got ${before[0].fixes.map((f) => f.title).join(' | ')}`);
  const fixed = applyWorkspaceFix(files, fix);
  for (const [file, text] of Object.entries(expected)) assert.equal(fixed[file], text, file);
  const after = await workspaceFindings(fixed, rule);
  assert.equal(after.length, before.length - 1, `the fix removes exactly its finding: ${JSON.stringify(after.map((f) => f.message))}`);
  assert.ok(!after.some((f) => f.file === before[0].file && JSON.stringify(f.range) === JSON.stringify(before[0].range)), 'the fixed finding is gone');
  return fixed;
}
