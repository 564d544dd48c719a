import assert from 'node:assert/strict';
import type { Finding } from '../../../rules';
import { applyWorkspaceFix, lintWorkspace, only, rangeOf } from '../../helpers';

/** Caddy workspaces for the import tests: files under /w, one rule's findings, exact places. */

export const CADDYFILE = '/w/Caddyfile';
export type Files = Record<string, string>;

/** A real bcrypt hash (of "portcullis"). */
export const HASH = '$2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG';

export async function findingsOf(files: Files, rule: string): Promise<Finding[]> {
  return only(await lintWorkspace(files), rule);
}

/** The place of `needle` in one of the files, as a finding reports it. */
export function at(files: Files, file: string, needle: string, nth = 0): { file: string; range: Finding['range'] } {
  return { file, range: rangeOf(files[file], needle, nth) };
}

export const places = (fs: Finding[]) => fs.map((f) => ({ file: f.file, range: f.range }));

/**
 * The fix contract across files: applied, its finding is gone and no new one of the rule appears;
 * applied again (the rule no longer offers it) nothing changes. Returns the fixed files.
 */
export async function assertWorkspaceFixWorks(files: Files, rule: string, title: RegExp | undefined, expected: Files): Promise<Files> {
  const before = await findingsOf(files, rule);
  assert.ok(before.length > 0, `${rule} should report before the fix`);
  const fix = before[0].fixes.find((f) => (title ? title.test(f.title) : f.preferred));
  assert.ok(fix, `fix ${title ?? '(preferred)'} offered; got ${before[0].fixes.map((f) => f.title).join(' | ')}`);
  const fixed = applyWorkspaceFix(files, fix);
  for (const [file, text] of Object.entries(expected)) assert.equal(fixed[file], text, file);
  const after = await findingsOf(fixed, rule);
  assert.equal(after.length, before.length - 1, `the fix removes exactly its finding: ${JSON.stringify(after.map((f) => f.message))}`);
  assert.ok(!after.some((f) => f.file === before[0].file && JSON.stringify(f.range) === JSON.stringify(before[0].range)), 'the fixed finding is gone');
  // Applied twice: the rule no longer offers it, so the files stay as they are.
  const again = (await findingsOf(fixed, rule)).filter((f) => f.file === before[0].file && JSON.stringify(f.range) === JSON.stringify(before[0].range));
  assert.deepEqual(again, []);
  return fixed;
}
