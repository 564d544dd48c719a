/**
 * Workspace-wide diagnostics over real JSON-RPC: a temp multi-root workspace is scanned from disk
 * when the server starts, and files never opened get their findings; changes on disk (told with
 * `workspace/didChangeWatchedFiles`), settings, `files.exclude` and folder changes update them; an
 * open buffer wins over the disk until it is closed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CLIENT_CAPABILITIES, buildServer, writeFile as write, expectedDiagnostics, LspClient, sleep, type BuiltServer, type PublishDiagnostics } from './harness';
import { lines, lint, rangeOf } from '../helpers';

const PORT_RULE = 'compose/port-exposed-all-interfaces';
const BINDS_RULE = 'systemd/binds-all-interfaces';
const CHANGED = { created: 1, changed: 2, deleted: 3 } as const;
const CAPABILITIES = { ...CLIENT_CAPABILITIES, window: { workDoneProgress: true } };

const ollama = (port = '11434:11434') => lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', `      - "${port}"`);
const unit = lines('[Service]', 'ExecStart=/usr/local/bin/ollama serve', 'Environment=OLLAMA_HOST=0.0.0.0:11434');

const uriOf = (file: string) => pathToFileURL(file).href;

/** The diagnostics the engine's findings for this file's text become (no version: the file is not open). */
const expected = (text: string, file: string, root: string) => expectedDiagnostics(lint(text, { file }), root);

describe('workspace-wide diagnostics', () => {
  let built: BuiltServer;
  let client: LspClient;
  let tmp: string;
  let a: string;
  let b: string;
  let settings: Record<string, unknown> = { exclude: ['vendor/**'] };
  let filesSettings: Record<string, unknown> = { exclude: { '**/hidden': true, '**/off': false } };
  const files: Record<string, string> = {};

  before(async () => {
    built = await buildServer();
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-scan-')));
    a = path.join(tmp, 'a');
    b = path.join(tmp, 'b');
    files.compose = write(path.join(a, 'compose.yaml'), ollama());
    files.sniffed = write(path.join(a, 'deploy', 'stack.yml'), ollama('8080:11434'));
    files.notCompose = write(path.join(a, '.github', 'workflows', 'ci.yml'), lines('on: push', 'jobs:', '  build:', '    runs-on: ubuntu-latest'));
    files.nodeModules = write(path.join(a, 'node_modules', 'pkg', 'compose.yaml'), ollama());
    files.git = write(path.join(a, '.git', 'compose.yaml'), ollama());
    files.hidden = write(path.join(a, 'hidden', 'compose.yaml'), ollama());
    files.notHidden = write(path.join(a, 'off', 'compose.yaml'), ollama());
    files.vendor = write(path.join(a, 'vendor', 'compose.yaml'), ollama());
    files.readme = write(path.join(a, 'README.md'), '# services:\n');
    files.binary = write(path.join(a, 'blob'), '\u0000services:\n');
    files.unit = write(path.join(b, 'ollama.service'), unit);
    client = await LspClient.start(built.serverJs, {
      workspaceFolders: [a, b],
      settings: () => settings,
      files: () => filesSettings,
      capabilities: CAPABILITIES,
    });
  });

  after(async () => {
    if (process.env.PORTCULLIS_LSP_LOG) console.error(client?.logs);
    await client?.stop();
    built?.cleanup();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** The last publication for a file so far (undefined when none). */
  const last = (file: string, from = 0): PublishDiagnostics | undefined => client.published.slice(from).filter((p) => p.uri === uriOf(file)).pop();
  const scanEnded = (from = 0) => client.waitUntil(() => (client.progress.slice(from).some((p) => p.value.kind === 'end') ? true : undefined), 15_000, () => 'the end of the scan');
  /** Every scan that began has ended (each full scan reports progress). */
  const scansSettled = () =>
    client.waitUntil(() => (client.progress.filter((p) => p.value.kind === 'end').length === client.progress.filter((p) => p.value.kind === 'begin').length ? true : undefined), 15_000, () => 'the scans to end');
  const watched = (...changes: [string, number][]) => client.send('workspace/didChangeWatchedFiles', { changes: changes.map(([file, type]) => ({ uri: uriOf(file), type })) });
  // A test's changes are told once the scans the one before started have ended, so their publications come first.
  beforeEach(() => scansSettled());

  it('scans every folder at start with cancellable work-done progress, and publishes the findings of files never opened', async () => {
    await scanEnded();
    assert.equal(client.progressTokens.length, 1, 'window/workDoneProgress/create');
    const kinds = client.progress.filter((p) => p.token === client.progressTokens[0]).map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds[kinds.length - 1], 'end');
    const begin = client.progress.find((p) => p.value.kind === 'begin')!;
    assert.equal(begin.value.cancellable, true);
    assert.match(begin.value.title!, /Portcullis/);

    for (const [file, text] of [
      [files.compose, ollama()],
      [files.sniffed, ollama('8080:11434')],
      [files.notHidden, ollama()],
      [files.unit, unit],
    ]) {
      const published = last(file);
      assert.ok(published, `diagnostics for ${path.relative(tmp, file)}`);
      assert.equal(published.version, undefined);
      assert.deepEqual(published.diagnostics, expected(text, file, built.root));
    }
    assert.deepEqual(last(files.compose)!.diagnostics.find((d) => d.code === PORT_RULE)?.range, rangeOf(ollama(), '"11434:11434"'));
    assert.ok(last(files.unit)!.diagnostics.some((d) => d.code === BINDS_RULE));
  });

  it('honours node_modules, .git, files.exclude and portcullis.exclude, and leaves other files alone', () => {
    for (const key of ['notCompose', 'nodeModules', 'git', 'hidden', 'vendor', 'readme', 'binary']) {
      assert.equal(last(files[key]), undefined, `nothing published for ${path.relative(tmp, files[key])}`);
    }
  });

  it('updates the findings of a file changed on disk', async () => {
    fs.writeFileSync(files.compose, ollama('127.0.0.1:11434:11434'));
    const mark = client.mark();
    watched([files.compose, CHANGED.changed]);
    const published = await client.diagnostics(uriOf(files.compose), () => true, mark);
    assert.deepEqual(published.diagnostics, expected(ollama('127.0.0.1:11434:11434'), files.compose, built.root));
    assert.ok(!published.diagnostics.some((d) => d.code === PORT_RULE));
    fs.writeFileSync(files.compose, ollama());
    watched([files.compose, CHANGED.changed]);
    await client.diagnostics(uriOf(files.compose), (p) => p.diagnostics.some((d) => d.code === PORT_RULE), mark);
  });

  it('lints a created file and a created folder, and clears a deleted file, a deleted folder and a renamed file', async () => {
    let mark = client.mark();
    const created = write(path.join(a, 'new', 'docker-compose.yml'), ollama('9000:11434'));
    watched([created, CHANGED.created]);
    const first = await client.diagnostics(uriOf(created), () => true, mark);
    assert.deepEqual(first.diagnostics, expected(ollama('9000:11434'), created, built.root));

    // A folder arriving (a copy, a checkout, a rename) gets one event for the folder alone.
    mark = client.mark();
    const inFolder = write(path.join(a, 'copied', 'sub', 'Caddyfile'), lines('ai.example.com {', '  reverse_proxy localhost:11434', '}'));
    watched([path.join(a, 'copied'), CHANGED.created]);
    const caddy = await client.diagnostics(uriOf(inFolder), () => true, mark);
    assert.ok(caddy.diagnostics.length > 0, 'the Caddyfile inside the new folder is linted');

    mark = client.mark();
    fs.rmSync(created);
    watched([created, CHANGED.deleted]);
    assert.deepEqual((await client.diagnostics(uriOf(created), () => true, mark)).diagnostics, []);

    mark = client.mark();
    fs.rmSync(path.join(a, 'copied'), { recursive: true });
    watched([path.join(a, 'copied'), CHANGED.deleted]);
    assert.deepEqual((await client.diagnostics(uriOf(inFolder), () => true, mark)).diagnostics, []);

    mark = client.mark();
    const renamed = path.join(a, 'deploy', 'compose.prod.yaml');
    fs.renameSync(files.sniffed, renamed);
    watched([files.sniffed, CHANGED.deleted], [renamed, CHANGED.created]);
    assert.deepEqual((await client.diagnostics(uriOf(files.sniffed), () => true, mark)).diagnostics, []);
    assert.deepEqual((await client.diagnostics(uriOf(renamed), () => true, mark)).diagnostics, expected(ollama('8080:11434'), renamed, built.root));
    fs.renameSync(renamed, files.sniffed);
    watched([renamed, CHANGED.deleted], [files.sniffed, CHANGED.created]);
    await client.diagnostics(uriOf(files.sniffed), (p) => p.diagnostics.length > 0, mark);
  });

  it('does not lint a file created where it is excluded', async () => {
    const mark = client.mark();
    const excluded = [write(path.join(a, 'hidden', 'compose.override.yaml'), ollama()), write(path.join(a, 'node_modules', 'x', 'compose.yaml'), ollama()), write(path.join(a, 'vendor', 'more', 'compose.yaml'), ollama())];
    watched(...excluded.map((f): [string, number] => [f, CHANGED.created]));
    // A whole folder arriving inside one: as skipped.
    const inNodeModules = write(path.join(a, 'node_modules', 'copied', 'compose.yaml'), ollama());
    const inHidden = write(path.join(a, 'hidden', 'copied', 'compose.yaml'), ollama());
    excluded.push(inNodeModules, inHidden);
    watched([path.dirname(inNodeModules), CHANGED.created], [path.dirname(inHidden), CHANGED.created]);
    const probe = write(path.join(a, 'probe', 'compose.yaml'), ollama());
    watched([probe, CHANGED.created]);
    await client.diagnostics(uriOf(probe), () => true, mark);
    await sleep(500);
    for (const f of excluded) assert.equal(last(f, mark), undefined, path.relative(tmp, f));
  });

  it('lets an open buffer win over the disk, and goes back to the disk when it is closed', async () => {
    const uri = uriOf(files.compose);
    let mark = client.mark();
    const buffer = ollama('127.0.0.1:11434:11434');
    client.open(uri, buffer);
    const opened = await client.diagnostics(uri, (p) => p.version === 1, mark);
    assert.ok(!opened.diagnostics.some((d) => d.code === PORT_RULE), 'the buffer, not the disk');

    // The disk changes behind the editor: the buffer still wins.
    fs.writeFileSync(files.compose, ollama('1234:11434'));
    watched([files.compose, CHANGED.changed]);
    const probe = path.join(a, 'probe', 'compose.yaml');
    fs.writeFileSync(probe, ollama('4321:11434'));
    watched([probe, CHANGED.changed]);
    const probeRange = rangeOf(ollama('4321:11434'), '"4321:11434"');
    await client.diagnostics(uriOf(probe), (p) => p.diagnostics.some((d) => d.code === PORT_RULE && d.range.start.character === probeRange.start.character), mark);
    await sleep(300);
    // (Re-published from the buffer after each watched-file event, since rules read other files.)
    const whileOpen = client.published.slice(mark).filter((p) => p.uri === uri);
    assert.ok(whileOpen.length >= 1);
    assert.ok(
      whileOpen.every((p) => p.version === 1 && !p.diagnostics.some((d) => d.code === PORT_RULE)),
      'no publication from the disk while the file is open',
    );

    mark = client.mark();
    client.close(uri);
    const closed = await client.diagnostics(uri, () => true, mark);
    assert.equal(closed.version, undefined);
    assert.deepEqual(closed.diagnostics, expected(ollama('1234:11434'), files.compose, built.root));
    assert.deepEqual(closed.diagnostics.find((d) => d.code === PORT_RULE)?.range, rangeOf(ollama('1234:11434'), '"1234:11434"'));
  });

  it('re-lints everything when the settings change: rules, portcullis.exclude and files.exclude', async () => {
    let mark = client.mark();
    settings = { exclude: ['vendor/**'], rules: { [PORT_RULE]: 'off' } };
    client.send('workspace/didChangeConfiguration', { settings: null });
    await client.diagnostics(uriOf(files.compose), (p) => !p.diagnostics.some((d) => d.code === PORT_RULE), mark);
    await client.diagnostics(uriOf(files.notHidden), (p) => !p.diagnostics.some((d) => d.code === PORT_RULE), mark);

    mark = client.mark();
    settings = { exclude: ['off/**'] };
    filesSettings = { exclude: { '**/hidden': false } };
    client.send('workspace/didChangeConfiguration', { settings: null });
    await client.diagnostics(uriOf(files.hidden), (p) => p.diagnostics.some((d) => d.code === PORT_RULE), mark, 10_000);
    await client.diagnostics(uriOf(files.vendor), (p) => p.diagnostics.some((d) => d.code === PORT_RULE), mark);
    assert.deepEqual((await client.diagnostics(uriOf(files.notHidden), () => true, mark)).diagnostics, [], 'newly excluded: cleared');
    await client.diagnostics(uriOf(files.compose), (p) => p.diagnostics.some((d) => d.code === PORT_RULE), mark);
  });

  it('re-lints everything when a .portcullis.json changes', async () => {
    let mark = client.mark();
    const config = write(path.join(a, '.portcullis.json'), JSON.stringify({ rules: { [PORT_RULE]: 'info' } }));
    watched([config, CHANGED.created]);
    const info = await client.diagnostics(uriOf(files.compose), (p) => p.diagnostics.some((d) => d.code === PORT_RULE), mark);
    assert.equal(info.diagnostics.find((d) => d.code === PORT_RULE)?.severity, 3);

    mark = client.mark();
    fs.rmSync(config);
    watched([config, CHANGED.deleted]);
    const back = await client.diagnostics(uriOf(files.compose), () => true, mark);
    assert.equal(back.diagnostics.find((d) => d.code === PORT_RULE)?.severity, 1);
  });

  it('follows workspace folders added and removed', async () => {
    const c = path.join(tmp, 'c');
    const inC = write(path.join(c, 'nginx', 'nginx.conf'), lines('events {}', 'http {', '  server {', '    listen 80;', '    location / { proxy_pass http://127.0.0.1:11434; }', '  }', '}'));
    let mark = client.mark();
    client.send('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: uriOf(c), name: 'c' }], removed: [] } });
    const nginx = await client.diagnostics(uriOf(inC), () => true, mark);
    assert.ok(nginx.diagnostics.length > 0);

    mark = client.mark();
    client.send('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: uriOf(b), name: 'b' }] } });
    await client.diagnostics(uriOf(files.unit), (p) => p.diagnostics.length === 0, mark);
    await sleep(300);
    assert.deepEqual(last(files.unit, mark)?.diagnostics, [], 'a removed folder takes its findings along');
    // Its files are no longer watched: a change there is ignored.
    const mark2 = client.mark();
    fs.writeFileSync(files.unit, unit + 'Environment=OTHER_HOST=0.0.0.0\n');
    watched([files.unit, CHANGED.changed]);
    await sleep(300);
    assert.equal(last(files.unit, mark2), undefined);
  });
});

describe('workspace scan: cancelling', () => {
  let built: BuiltServer;
  let client: LspClient | undefined;
  let tmp: string;
  const COUNT = 1500;

  before(async () => {
    built = await buildServer();
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-scan-cancel-')));
    for (let i = 0; i < COUNT; i++) write(path.join(tmp, `s${i}`, 'compose.yaml'), ollama(`${10000 + i}:11434`));
  });

  after(async () => {
    await client?.stop();
    built?.cleanup();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('stops when the user cancels the progress, and ends it', async () => {
    client = await LspClient.start(built.serverJs, { workspaceFolders: [tmp], capabilities: CAPABILITIES });
    const c = client;
    await c.waitUntil(() => c.progress.find((p) => p.value.kind === 'begin'), 10_000, () => 'the scan to begin');
    c.send('window/workDoneProgress/cancel', { token: c.progressTokens[0] });
    await c.waitUntil(() => c.progress.find((p) => p.value.kind === 'end'), 10_000, () => 'the scan to end');
    await sleep(300);
    const scanned = new Set(c.published.map((p) => p.uri)).size;
    assert.ok(scanned < COUNT, `stopped early (${scanned} of ${COUNT} published)`);
    // The server still works after it.
    const uri = uriOf(path.join(tmp, 'open', 'compose.yaml'));
    c.open(uri, ollama());
    assert.ok((await c.diagnostics(uri, (p) => p.version === 1)).diagnostics.some((d) => d.code === PORT_RULE));
  });
});
