#!/usr/bin/env node
// Runs a test suite with Node's own runner (TypeScript through tsx):
//   unit   — self-contained, what `npm test` runs
//   shared — the tests that read ../shared (corpus, schema, real tools), run by .ci/run
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const suite = process.argv[2] ?? 'unit';
const root = new URL('..', import.meta.url).pathname;

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name === 'node_modules' || name === '.work' || name === 'fixtures') continue;
      find(p, out);
    } else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const all = find(join(root, 'test')).map((p) => relative(root, p)).sort();
const inSuite = {
  unit: (p) => !p.startsWith('test/shared/') && !p.startsWith('test/e2e/'),
  shared: (p) => p.startsWith('test/shared/'),
}[suite];
if (!inSuite) {
  console.error(`unknown suite ${suite}`);
  process.exit(2);
}
const files = all.filter(inSuite);
if (!files.length) {
  console.error(`no test files for suite ${suite}`);
  process.exit(1);
}
const extra = process.argv.slice(3);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...extra, ...files], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
