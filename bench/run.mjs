#!/usr/bin/env node
// Runs every bench/*.bench.ts in turn (one process each, so one format's JIT warm-up does not
// flatter another's). `npm run bench [name…]` runs only the named ones.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).filter((f) => !only.length || only.some((o) => f.startsWith(o)));
let failed = 0;
for (const b of benches.sort()) {
  console.log(`\n##### ${b}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, b)], { stdio: 'inherit', cwd: join(here, '..') });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
