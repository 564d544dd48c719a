#!/usr/bin/env node
// `npm run test:e2e`: runs the e2e suite with the runner that can work on this machine, and says which.
//   --online   @vscode/test-cli + @vscode/test-electron (downloads VS Code; .vscode-test.mjs)
//   --offline  test/e2e/run-offline.mjs (the VS Code server from the code-server npm package)
// Without a flag: PORTCULLIS_E2E=online|offline, else offline under CI (no download at CI time),
// else online when VS Code's update server answers, offline when it does not.
// Other arguments go to the chosen runner. (Neovim, the second real LSP client, is tested by
// test/lsp/neovim.test.ts in `npm test`.)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildSuite, E2E, makeHarness, makeWorkspace, packageVsix, ROOT, WORK } from './lib.mjs';

const argv = process.argv.slice(2);
const flag = ['--online', '--offline'].find((f) => argv.includes(f));
const rest = argv.filter((a) => !['--online', '--offline'].includes(a));

async function choose() {
  if (flag) return [flag.slice(2), `${flag} given`];
  const env = process.env.PORTCULLIS_E2E;
  if (env === 'online' || env === 'offline') return [env, `PORTCULLIS_E2E=${env}`];
  if (process.env.CI) return ['offline', 'CI is set'];
  try {
    const res = await fetch('https://update.code.visualstudio.com/api/releases/stable', { signal: AbortSignal.timeout(5000) });
    if (res.ok) return ['online', 'VS Code can be downloaded'];
    return ['offline', `the VS Code update server answered ${res.status}`];
  } catch {
    return ['offline', 'VS Code cannot be downloaded from here'];
  }
}

const [runner, why] = await choose();
console.log(`e2e: using the ${runner} runner (${why})`);

const vscodeOk = runner === 'offline' ? runOffline() : await runOnline();
console.log(`e2e: VS Code (${runner}) ${vscodeOk ? 'passed' : 'FAILED'}`);
process.exit(vscodeOk ? 0 : 1);

function runOffline() {
  return spawnSync(process.execPath, [join(E2E, 'run-offline.mjs'), ...rest], { stdio: 'inherit' }).status === 0;
}

// Online: what .vscode-test.mjs reads, then `vscode-test` (under xvfb-run where there is no display).
async function runOnline() {
  packageVsix({ skip: rest.includes('--no-package') });
  await buildSuite(join(WORK, 'out'));
  makeHarness(join(WORK, 'harness'));
  makeWorkspace(join(WORK, 'workspace'));
  const cli = join(ROOT, 'node_modules', '.bin', 'vscode-test');
  const args = rest.filter((a) => a !== '--no-package');
  const needsX = process.platform === 'linux' && !process.env.DISPLAY;
  const xvfb = ['/usr/bin/xvfb-run', '/bin/xvfb-run'].find(existsSync);
  if (needsX && !xvfb) console.log('e2e: no DISPLAY and no xvfb-run (apt-get install -y xvfb); trying anyway');
  const [cmd, cmdArgs] = needsX && xvfb ? [xvfb, ['-a', cli, ...args]] : [cli, args];
  return spawnSync(cmd, cmdArgs, { cwd: ROOT, stdio: 'inherit' }).status === 0;
}
