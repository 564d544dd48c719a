// What both e2e runners need: the packaged .vsix, the suite compiled to JS, a workspace made from
// examples/ plus the suite's own fixtures, and a stand-in development extension.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const E2E = join(ROOT, 'test', 'e2e');
export const WORK = join(E2E, '.work');
export const VSIX = join(ROOT, 'dist', 'portcullis.vsix');

/** `npm run package`: builds and packs the .vsix the tests install. */
export function packageVsix({ skip = false } = {}) {
  if (skip && existsSync(VSIX)) return VSIX;
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !existsSync(VSIX)) throw new Error(`npm run package failed (exit ${r.status})`);
  return VSIX;
}

/** Compiles `suite/*.test.ts` (and the offline runner's `index.ts`) to `outDir`; `vscode` and `mocha` stay external. */
export async function buildSuite(outDir, config = {}) {
  rmSync(outDir, { recursive: true, force: true });
  const suiteDir = join(E2E, 'suite');
  const tests = readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts')).map((f) => join(suiteDir, f));
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode', 'mocha'], sourcemap: 'inline', logLevel: 'warning' };
  await esbuild.build({ ...common, entryPoints: tests, outdir: join(outDir, 'suite') });
  await esbuild.build({ ...common, entryPoints: [join(suiteDir, 'index.ts')], outfile: join(outDir, 'index.js') });
  writeFileSync(join(outDir, 'config.json'), JSON.stringify(config, null, 2));
  return outDir;
}

/** A fresh workspace: a copy of examples/ with the suite's fixtures in `e2e/` (unless `fixtures: false`). */
export function makeWorkspace(dir, { fixtures = true } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const examples = join(ROOT, 'examples');
  if (existsSync(examples)) cpSync(examples, dir, { recursive: true });
  if (fixtures) cpSync(join(E2E, 'fixtures'), join(dir, 'e2e'), { recursive: true });
  return dir;
}

/**
 * VS Code runs extension tests only with a development extension. An empty one stands in, so that
 * Portcullis itself is the installed .vsix and not the source folder.
 */
export function makeHarness(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'portcullis-e2e-harness', publisher: 'portcullis', version: '0.0.0', engines: { vscode: '^1.91.0' } }, null, 2));
  return dir;
}
