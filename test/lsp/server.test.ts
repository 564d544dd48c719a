import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { applyEdits, CANDIDATE_GLOBS, collectPreferredEdits } from '../../rules';
import { lines, lint, rangeOf } from '../helpers';
import { applyTextEdits, buildServer, docHref, expectedDiagnostics, LspClient, sleep, type BuiltServer, type CodeAction, type Diagnostic } from './harness';

const PORT_RULE = 'compose/port-exposed-all-interfaces';
const FIX_ALL = 'source.fixAll.portcullis';

const ollama = (port = '11434:11434') => lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', `      - "${port}"`);

function codeActions(client: LspClient, uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } });
}

/** The edits of a WorkspaceEdit that has one versioned edit of `uri`, applied to `text`. */
function applyOwnEdit(action: CodeAction, uri: string, version: number, text: string): string {
  const changes = action.edit?.documentChanges ?? [];
  assert.equal(changes.length, 1, JSON.stringify(action.edit));
  assert.deepEqual(changes[0].textDocument, { uri, version });
  return applyTextEdits(text, changes[0].edits);
}

describe('language server over stdio', () => {
  let built: BuiltServer;
  let client: LspClient;
  let workspace: string;
  let settings: unknown = {};

  before(async () => {
    built = await buildServer();
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-ws-'));
    client = await LspClient.start(built.serverJs, { workspaceFolders: [workspace], settings: () => settings });
  });

  after(async () => {
    if (process.env.PORTCULLIS_LSP_LOG) console.error(client?.logs);
    await client?.stop();
    built?.cleanup();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  const fileIn = (name: string) => path.join(workspace, name);
  const uriOf = (file: string) => pathToFileURL(file).href;

  it('announces full sync and its two code action kinds, and registers for settings changes and file changes (.portcullis.json, .env, .gitignore, config files, folders)', async () => {
    const caps = client.initializeResult.capabilities;
    assert.equal(caps.textDocumentSync.change, 1);
    assert.equal(caps.textDocumentSync.openClose, true);
    assert.deepEqual(caps.codeActionProvider.codeActionKinds, ['quickfix', FIX_ALL]);
    await client.waitUntil(() => (client.registrations.length >= 2 ? true : undefined), 5000, () => 'registrations');
    const methods = client.registrations.map((r) => r.method).sort();
    assert.deepEqual(methods, ['workspace/didChangeConfiguration', 'workspace/didChangeWatchedFiles']);
    assert.deepEqual(client.registrations.find((r) => r.method === 'workspace/didChangeConfiguration')?.registerOptions, { section: ['portcullis', 'files.exclude'] });
    const watch = client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles');
    assert.deepEqual(
      watch?.registerOptions.watchers.map((w: { globPattern: string; kind?: number }) => [w.globPattern, w.kind]),
      [
        ...['**/.portcullis.json', '**/.gitignore', '**/.env', '**/.env.*', '**/*.env', ...CANDIDATE_GLOBS].map((g) => [g, undefined]),
        ['**/*', 1 | 4], // created and deleted folders
      ],
    );
  });

  describe('a compose file, edited and fixed', () => {
    let file: string;
    const uri = () => uriOf(file);
    before(() => {
      file = fileIn('compose.yaml');
    });
    let lastPortDiagnostic: Diagnostic;

    it('publishes the diagnostics of the opened file with code, range, severity, source, doc link and fixes', async () => {
      const text = ollama();
      client.open(uri(), text);
      const published = await client.diagnostics(uri(), (p) => p.version === 1);
      const findings = lint(text, { file });
      assert.deepEqual(published.diagnostics, expectedDiagnostics(findings, built.root));

      const port = published.diagnostics.find((d) => d.code === PORT_RULE);
      assert.ok(port, 'the port finding is published');
      assert.deepEqual(port.range, rangeOf(text, '"11434:11434"'));
      assert.equal(port.severity, 1);
      assert.equal(port.source, 'portcullis');
      assert.equal(port.codeDescription?.href, docHref(built.root, PORT_RULE));
      assert.ok(fs.existsSync(fileURLToPath(port.codeDescription!.href)), 'the rule page exists where the link points');
      assert.deepEqual(port.data.fixes[0], {
        title: 'Bind to 127.0.0.1 (reachable from this host only)',
        edits: [{ file, range: rangeOf(text, '"11434:11434"'), newText: '"127.0.0.1:11434:11434"' }],
        preferred: true,
      });
    });

    it('follows a change to a new version', async () => {
      const text = ollama('11500:11434');
      client.change(uri(), 2, text);
      const published = await client.diagnostics(uri(), (p) => p.version === 2);
      assert.deepEqual(published.diagnostics, expectedDiagnostics(lint(text, { file }), built.root));
      lastPortDiagnostic = published.diagnostics.find((d) => d.code === PORT_RULE)!;
      assert.deepEqual(lastPortDiagnostic.range, rangeOf(text, '"11500:11434"'));
    });

    it('offers the quick fixes from Diagnostic.data; the preferred one, applied, makes the diagnostic go', async () => {
      const text = ollama('11500:11434');
      const actions = await codeActions(client, uri(), [lastPortDiagnostic]);
      const quickFixes = actions.filter((a) => a.kind === 'quickfix');
      assert.deepEqual(
        quickFixes.map((a) => [a.title, a.isPreferred]),
        lastPortDiagnostic.data.fixes.map((f: { title: string; preferred?: boolean }) => [f.title, f.preferred === true]),
      );
      const preferred = quickFixes.find((a) => a.isPreferred)!;
      assert.deepEqual(preferred.diagnostics, [lastPortDiagnostic]);
      const fixed = applyOwnEdit(preferred, uri(), 2, text);
      assert.equal(fixed, ollama('127.0.0.1:11500:11434'));

      client.change(uri(), 3, fixed);
      const published = await client.diagnostics(uri(), (p) => p.version === 3);
      assert.equal(published.diagnostics.filter((d) => d.code === PORT_RULE).length, 0);
      assert.deepEqual(published.diagnostics, expectedDiagnostics(lint(fixed, { file }), built.root));
    });

    it('builds fixes from the data, not the message: a diagnostic of an older version gets none', async () => {
      const stale = { ...lastPortDiagnostic, message: 'anything' };
      const actions = await codeActions(client, uri(), [stale], ['quickfix']);
      assert.deepEqual(actions, []);
      const foreign = { ...lastPortDiagnostic, source: 'other-linter' };
      assert.deepEqual(await codeActions(client, uri(), [foreign], ['quickfix']), []);
    });

    it('drops the result of a stale version: two quick changes, only the last is published', async () => {
      const mark = client.mark();
      client.change(uri(), 4, ollama('1111:11434'));
      client.change(uri(), 5, ollama('2222:11434'));
      const published = await client.diagnostics(uri(), (p) => p.version === 5, mark);
      assert.deepEqual(published.diagnostics.find((d) => d.code === PORT_RULE)?.range, rangeOf(ollama('2222:11434'), '"2222:11434"'));
      await sleep(400);
      const forUri = client.published.slice(mark).filter((p) => p.uri === uri());
      assert.deepEqual(
        forUri.map((p) => p.version),
        [5],
      );
    });

    it('clears the diagnostics of a closed document', async () => {
      const mark = client.mark();
      client.close(uri());
      const published = await client.diagnostics(uri(), () => true, mark);
      assert.deepEqual(published.diagnostics, []);
    });
  });

  it('offers a fix-all source action applying every preferred fix at once', async () => {
    const file = fileIn('docker-compose.yml');
    const uri = uriOf(file);
    const text = lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', '      - "11434:11434"', '  redis:', '    image: redis:7.2', '    ports:', '      - 6379:6379');
    client.open(uri, text);
    await client.diagnostics(uri, (p) => p.version === 1);

    const actions = await codeActions(client, uri, [], [FIX_ALL]);
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, FIX_ALL);
    const fixed = applyOwnEdit(actions[0], uri, 1, text);
    const engine = collectPreferredEdits(lint(text, { file }));
    assert.equal(fixed, applyEdits(text, engine.byFile.get(file) ?? []).text);
    assert.match(fixed, /"127\.0\.0\.1:11434:11434"/);
    assert.match(fixed, /127\.0\.0\.1:6379:6379/);

    // Asked for by its parent kinds too; not when only quick fixes are wanted.
    assert.equal((await codeActions(client, uri, [], ['source'])).length, 1);
    assert.equal((await codeActions(client, uri, [], ['source.fixAll'])).length, 1);
    assert.deepEqual(await codeActions(client, uri, [], ['quickfix']), []);

    client.change(uri, 2, fixed);
    const published = await client.diagnostics(uri, (p) => p.version === 2);
    assert.equal(published.diagnostics.filter((d) => d.code === PORT_RULE).length, 0);
    client.close(uri);
  });

  it('re-applies settings on didChangeConfiguration: a rule set to off disappears, and comes back', async () => {
    const file = fileIn('compose.override.yaml');
    const uri = uriOf(file);
    client.open(uri, ollama());
    const first = await client.diagnostics(uri, (p) => p.version === 1);
    assert.ok(first.diagnostics.some((d) => d.code === PORT_RULE));

    settings = { rules: { [PORT_RULE]: 'off' } };
    let mark = client.mark();
    client.send('workspace/didChangeConfiguration', { settings: null });
    const off = await client.diagnostics(uri, () => true, mark);
    assert.equal(off.diagnostics.filter((d) => d.code === PORT_RULE).length, 0);
    assert.equal(off.diagnostics.length, first.diagnostics.length - 1);

    settings = { rules: { [PORT_RULE]: 'hint' } };
    mark = client.mark();
    client.send('workspace/didChangeConfiguration', { settings: null });
    const hint = await client.diagnostics(uri, () => true, mark);
    assert.equal(hint.diagnostics.find((d) => d.code === PORT_RULE)?.severity, 4);

    settings = { enable: false };
    mark = client.mark();
    client.send('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual((await client.diagnostics(uri, () => true, mark)).diagnostics, []);

    settings = {};
    mark = client.mark();
    client.send('workspace/didChangeConfiguration', { settings: null });
    const back = await client.diagnostics(uri, () => true, mark);
    assert.deepEqual(back.diagnostics, first.diagnostics);
    client.close(uri);
  });

  it('gives a file with a syntax error exactly one diagnostic, and keeps answering', async () => {
    const file = fileIn('broken/compose.yaml');
    const uri = uriOf(file);
    const text = lines('services:', '  a: b: c');
    client.open(uri, text);
    const published = await client.diagnostics(uri, (p) => p.version === 1);
    assert.equal(published.diagnostics.length, 1);
    assert.equal(published.diagnostics[0].code, 'compose/syntax-error');
    assert.equal(published.diagnostics[0].severity, 1);
    assert.deepEqual(published.diagnostics, expectedDiagnostics(lint(text, { file }), built.root));
    assert.deepEqual(await codeActions(client, uri, published.diagnostics), []);
    client.close(uri);
  });

  it('lints untitled documents but nothing of other schemes (chat input, git, output)', async () => {
    const others = ['vscode-chat-input:/input-1', 'git:/repo/compose.yaml?ref=HEAD', 'output:extension-output-portcullis'];
    const mark = client.mark();
    for (const uri of others) client.open(uri, ollama());
    const untitled = 'untitled:Untitled-1';
    client.open(untitled, ollama());
    const published = await client.diagnostics(untitled, (p) => p.version === 1, mark);
    assert.ok(published.diagnostics.some((d) => d.code === PORT_RULE));
    for (const uri of others) {
      const actions = await codeActions(client, uri, [], [FIX_ALL]);
      assert.deepEqual(actions, []);
    }
    await sleep(300);
    assert.deepEqual(
      client.published.slice(mark).filter((p) => others.includes(p.uri)),
      [],
    );
    for (const uri of [...others, untitled]) client.close(uri);
  });

  it('survives garbage, binary, deeply nested and huge input, and still answers afterwards', async () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const binary = Array.from({ length: 64 * 1024 }, () => String.fromCharCode(Math.floor(random() * 256))).join('');
    const surrogates = 'services:\n  x\ud800:\n    image: "\udfff"\n    ports: ["\u0000:1"]\n';
    const nested = '['.repeat(50_000);
    const block = lines('  svc:', '    image: ollama/ollama', '    ports:', '      - "11434:11434"');
    const huge = 'services:\n' + block.repeat(Math.ceil(4_100_000 / block.length)).replace(/svc:/g, () => `s${Math.floor(random() * 1e9)}:`);
    const cases: [string, string][] = [
      ['binary/compose.yaml', binary],
      ['surrogates/compose.yaml', surrogates],
      ['nested/compose.yaml', nested],
      ['huge/compose.yaml', huge],
      ['binary/nginx.conf', binary],
      ['binary/app.service', binary],
      ['binary/Caddyfile', binary],
    ];
    for (const [name, text] of cases) {
      const uri = uriOf(fileIn(name));
      client.open(uri, text, 'plaintext');
      await client.diagnostics(uri, (p) => p.version === 1, 0, 20_000);
      assert.ok(client.alive, `the server survives ${name}`);
      assert.ok(Array.isArray(await codeActions(client, uri, [], [FIX_ALL])), `the server answers after ${name}`);
      client.close(uri);
    }
  });

  it('lints a large document in a worker and keeps answering meanwhile', async () => {
    const block = (i: number) => lines(`  s${i}:`, '    image: ollama/ollama:0.5.7', '    ports:', `      - "${10000 + i}:11434"`);
    let text = 'services:\n';
    for (let i = 0; text.length < 250_000; i++) text += block(i);
    const small = uriOf(fileIn('small/compose.yaml'));
    client.open(small, ollama());
    await client.diagnostics(small, (p) => p.version === 1);

    const large = uriOf(fileIn('large/compose.yaml'));
    client.open(large, text);
    await codeActions(client, small, [], [FIX_ALL]);
    assert.equal(client.published.filter((p) => p.uri === large).length, 0, 'a request is answered while the large file is being linted');
    const published = await client.diagnostics(large, (p) => p.version === 1, 0, 30_000);
    const ports = published.diagnostics.filter((d) => d.code === PORT_RULE);
    assert.equal(ports.length, text.split('\n').filter((l) => l.includes(':11434"')).length);
    assert.deepEqual(ports[0].range, rangeOf(text, '"10000:11434"'));
    assert.deepEqual(ports[0].codeDescription, { href: docHref(built.root, PORT_RULE) });

    // Its quick fixes and fix-all work as for any document.
    const actions = await codeActions(client, large, [ports[0]], ['quickfix']);
    assert.equal(actions.filter((a) => a.isPreferred).length, 1);
    for (const uri of [small, large]) client.close(uri);
  });

  it('survives invalid UTF-8 on the wire', async () => {
    const uri = uriOf(fileIn('utf8/compose.yaml'));
    const head = Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'yaml', version: 1, text: 'services:\n  ollama:\n    image: ollama/ollama\n    ports: ["11434:11434"]\n    command: "XX"\n' } } }));
    const at = head.indexOf('XX');
    const body = Buffer.concat([head.subarray(0, at), Buffer.from([0xff, 0xfe, 0xc3]), head.subarray(at + 2)]);
    client.proc.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
    client.proc.stdin!.write(body);
    const published = await client.diagnostics(uri, (p) => p.version === 1);
    assert.ok(published.diagnostics.some((d) => d.code === PORT_RULE));
    assert.ok(client.alive);
    client.close(uri);
  });
});

describe('language server: .portcullis.json and exclude globs', () => {
  let built: BuiltServer;
  let client: LspClient;
  let workspace: string;
  let settings: unknown = {};

  before(async () => {
    built = await buildServer();
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-ws-')));
    fs.mkdirSync(path.join(workspace, 'app', 'own'), { recursive: true });
    fs.mkdirSync(path.join(workspace, 'generated'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.portcullis.json'), JSON.stringify({ rules: { [PORT_RULE]: 'off' }, exclude: ['generated/**'] }));
    fs.writeFileSync(path.join(workspace, 'app', 'own', '.portcullis.json'), JSON.stringify({ rules: { [PORT_RULE]: 'warning' } }));
    client = await LspClient.start(built.serverJs, { workspaceFolders: [workspace], settings: () => settings });
  });

  after(async () => {
    await client?.stop();
    built?.cleanup();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  const uriOf = (...parts: string[]) => pathToFileURL(path.join(workspace, ...parts)).href;

  it('honours the nearest .portcullis.json, its exclude globs, and settings over it', async () => {
    const app = uriOf('app', 'compose.yaml');
    const own = uriOf('app', 'own', 'compose.yaml');
    const generated = uriOf('generated', 'compose.yaml');
    for (const uri of [app, own, generated]) client.open(uri, ollama());

    const appDiagnostics = await client.diagnostics(app, (p) => p.version === 1);
    assert.equal(appDiagnostics.diagnostics.filter((d) => d.code === PORT_RULE).length, 0, 'the root config turns the rule off');
    assert.ok(appDiagnostics.diagnostics.length > 0, 'the other rules still run');
    const ownDiagnostics = await client.diagnostics(own, (p) => p.version === 1);
    assert.equal(ownDiagnostics.diagnostics.find((d) => d.code === PORT_RULE)?.severity, 2, 'the nearest config wins');
    assert.deepEqual((await client.diagnostics(generated, (p) => p.version === 1)).diagnostics, [], 'excluded');

    // Settings win over the file.
    settings = { rules: { [PORT_RULE]: 'info' } };
    const mark = client.mark();
    client.send('workspace/didChangeConfiguration', { settings: null });
    assert.equal((await client.diagnostics(app, () => true, mark)).diagnostics.find((d) => d.code === PORT_RULE)?.severity, 3);
    assert.equal((await client.diagnostics(own, () => true, mark)).diagnostics.find((d) => d.code === PORT_RULE)?.severity, 3);
    settings = {};
    client.send('workspace/didChangeConfiguration', { settings: null });
    for (const uri of [app, own, generated]) client.close(uri);
  });

  it('re-lints when a .portcullis.json changes', async () => {
    const app = uriOf('app', 'compose.yaml');
    client.open(app, ollama());
    const before_ = await client.diagnostics(app, (p) => p.version === 1, client.mark());
    assert.equal(before_.diagnostics.filter((d) => d.code === PORT_RULE).length, 0);

    fs.writeFileSync(path.join(workspace, '.portcullis.json'), JSON.stringify({ rules: {} }));
    const mark = client.mark();
    client.send('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('.portcullis.json'), type: 2 }] });
    const after_ = await client.diagnostics(app, () => true, mark);
    assert.equal(after_.diagnostics.find((d) => d.code === PORT_RULE)?.severity, 1);

    // A broken file is reported in the log and ignored, not fatal.
    fs.writeFileSync(path.join(workspace, '.portcullis.json'), '{ "rules": ');
    const mark2 = client.mark();
    client.send('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('.portcullis.json'), type: 2 }] });
    const broken = await client.diagnostics(app, () => true, mark2);
    assert.equal(broken.diagnostics.find((d) => d.code === PORT_RULE)?.severity, 1);
    await client.waitUntil(() => client.logs.find((l) => /\.portcullis\.json: not valid JSON/.test(l.message)), 5000, () => 'the log line');
    client.close(app);
  });

  it('applies exclude globs from settings relative to the workspace folder', async () => {
    settings = { exclude: ['app/*.yaml'] };
    client.send('workspace/didChangeConfiguration', { settings: null });
    const app = uriOf('app', 'compose.yaml');
    const mark = client.mark();
    client.open(app, ollama());
    assert.deepEqual((await client.diagnostics(app, (p) => p.version === 1, mark)).diagnostics, []);
    client.close(app);
    settings = {};
  });
  it('reads other files for the rules (an open editor over the disk) and edits them, creating what is missing', async () => {
    const dir = path.join(workspace, 'secrets');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '.env'), 'A=1\n');
    const secret = 'sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e';
    const text = lines('services:', '  webui:', '    image: ghcr.io/open-webui/open-webui:v0.5.7', '    environment:', `      OPENAI_API_KEY: ${secret}`);
    const compose = uriOf('secrets', 'compose.yaml');
    client.open(compose, text);
    const first = await client.diagnostics(compose, (p) => p.version === 1);
    const codes = first.diagnostics.map((d) => d.code);
    assert.ok(codes.includes('deployment/env-file-not-gitignored'), codes.join());
    const hardcoded = first.diagnostics.find((d) => d.code === 'secrets/hardcoded-secret')!;
    assert.deepEqual(hardcoded.range, rangeOf(text, secret));
    assert.ok(!hardcoded.message.includes(secret), 'the message masks the secret');

    const [move] = (await codeActions(client, compose, [hardcoded], ['quickfix'])).filter((a) => a.isPreferred);
    const changes = move.edit!.documentChanges!;
    assert.deepEqual(
      changes.map((c) => (c.kind ? `create ${c.uri}` : `edit ${c.textDocument.uri}@${c.textDocument.version}`)),
      // With no .gitignore closer, the workspace folder's own (the project's root) receives the entry.
      [`edit ${compose}@1`, `edit ${uriOf('secrets', '.env')}@null`, `create ${uriOf('.gitignore')}`, `edit ${uriOf('.gitignore')}@null`],
    );
    assert.deepEqual(changes[1].edits, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: `OPENAI_API_KEY=${secret}\n` }]);
    assert.deepEqual(changes[2].options, { ignoreIfExists: true });

    // A .gitignore open in the editor (not saved) counts, and its edits re-lint the compose file.
    const gitignore = uriOf('secrets', '.gitignore');
    let mark = client.mark();
    client.open(gitignore, '.env\n', 'ignore');
    const ignored = await client.diagnostics(compose, () => true, mark);
    assert.ok(!ignored.diagnostics.some((d) => d.code === 'deployment/env-file-not-gitignored'));
    assert.equal(client.published.slice(mark).filter((p) => p.uri === gitignore).length, 0, 'a .gitignore is not linted itself');
    mark = client.mark();
    client.close(gitignore);
    const back = await client.diagnostics(compose, () => true, mark);
    assert.ok(back.diagnostics.some((d) => d.code === 'deployment/env-file-not-gitignored'));
    client.close(compose);
  });
});

describe('language server: a client that pushes settings instead of answering workspace/configuration', () => {
  let built: BuiltServer;
  let client: LspClient;

  before(async () => {
    built = await buildServer();
    client = await LspClient.start(built.serverJs, { capabilities: { textDocument: { publishDiagnostics: {} } } });
  });

  after(async () => {
    await client?.stop();
    built?.cleanup();
  });

  it('reads settings from didChangeConfiguration, and falls back to plain changes for edits', async () => {
    const uri = 'file:///nowhere/compose.yaml';
    client.open(uri, ollama());
    const first = await client.diagnostics(uri, (p) => p.version === 1);
    const port = first.diagnostics.find((d) => d.code === PORT_RULE)!;
    const [action] = (await codeActions(client, uri, [port])).filter((a) => a.isPreferred);
    assert.deepEqual(Object.keys(action.edit?.changes ?? {}), [uri]);
    assert.equal(action.edit?.documentChanges, undefined);

    const mark = client.mark();
    client.send('workspace/didChangeConfiguration', { settings: { portcullis: { rules: { [PORT_RULE]: 'off' } } } });
    const off = await client.diagnostics(uri, () => true, mark);
    assert.equal(off.diagnostics.filter((d) => d.code === PORT_RULE).length, 0);
    assert.deepEqual(client.registrations, [], 'no dynamic registration without the capability');
  });
});
