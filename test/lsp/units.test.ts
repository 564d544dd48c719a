/** The server's parts in-process: exclude globs, settings layering, LSP conversion, lint caching and failure logging. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { candidateByName, formatModule, looksBinary, registerFormat, type FormatModule, type Rule } from '../../rules';
import { readDiagnosticData, toDiagnostic, toWorkspaceEdit, type EditEnvironment } from '../../server/convert';
import { Linter } from '../../server/linter';
import { ConfigStore, matchesGlobs } from '../../server/settings';
import { documentPath, isLintable } from '../../server/uri';
import { isSharedInput, WorkspaceFiles } from '../../server/workspace';
import { lintInWorker, type LintJob } from '../../server/lint-worker';

const range = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

describe('exclude globs', () => {
  it('are relative to their base (as the CLI reads them) and never match outside it', () => {
    assert.ok(matchesGlobs('/w/app/compose.yaml', ['app/**'], '/w'));
    assert.ok(matchesGlobs('/w/deep/er/stack.generated.yml', ['*.generated.yml'], '/w'));
    assert.ok(!matchesGlobs('/w/other/app/compose.yaml', ['app/*.yaml'], '/w'));
    assert.ok(!matchesGlobs('/elsewhere/app/compose.yaml', ['app/**'], '/w'));
    assert.ok(!matchesGlobs('/w/app/compose.yaml', ['app/**'], undefined));
    assert.ok(!matchesGlobs('/w/app/compose.yaml', ['', '  '], '/w'));
    assert.ok(!matchesGlobs('/w/app/compose.yaml', ['[z-a]'], '/w'), 'an invalid pattern excludes nothing');
  });
});

describe('file discovery (shared by the CLI and the workspace scan)', () => {
  it('claims config files by name, reads the ambiguous ones, and never reads the rest', () => {
    for (const f of ['/w/compose.yaml', '/w/docker-compose.prod.yml', '/w/Caddyfile', '/w/site.caddyfile', '/w/ollama.service', '/w/ollama.service.d/override.conf', '/w/nginx.conf', '/w/conf.d/default.conf', '/w/sites-enabled/app']) {
      assert.equal(candidateByName(f), 'path', f);
    }
    for (const f of ['/w/stack.yml', '/w/deploy/app.yaml', '/w/etc/ollama.conf', '/w/Procfile', '/w/site.template']) assert.equal(candidateByName(f), 'content', f);
    for (const f of ['/w/README.md', '/w/src/index.ts', '/w/package.json', '/w/.env', '/w/image.png']) assert.equal(candidateByName(f), undefined, f);
    assert.ok(looksBinary(new Uint8Array([115, 0, 1])));
    assert.ok(!looksBinary(new TextEncoder().encode('services:\n')));
  });
});

describe('URIs', () => {
  it('lints file: and untitled: documents only', () => {
    assert.ok(isLintable('file:///w/compose.yaml'));
    assert.ok(isLintable('untitled:Untitled-1'));
    for (const uri of ['vscode-chat-input:/input-1', 'git:/w/compose.yaml', 'vscode-notebook-cell:/x#1', 'output:x']) assert.ok(!isLintable(uri), uri);
    assert.equal(documentPath('file:///w/my%20stack/compose.yaml'), '/w/my stack/compose.yaml');
    assert.equal(documentPath('untitled:Untitled-1'), 'Untitled-1');
    assert.equal(documentPath('untitled:/home/me/compose.yaml'), '/home/me/compose.yaml');
    assert.equal(documentPath('untitled:%E0%A4%A'), undefined);
  });
});

describe('settings over .portcullis.json', () => {
  let root: string;
  const warnings: string[] = [];
  let settings: unknown = {};
  const store = () => new ConfigStore({ settings: async () => settings, warn: (m) => warnings.push(m) });

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-cfg-')));
    fs.mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(root, '.portcullis.json'), JSON.stringify({ rules: { 'compose/privileged': 'off', 'compose/host-network': 'info' }, exclude: ['a/b/skip.yaml'] }));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('layers the nearest file under the settings and excludes relative to the file', async () => {
    const s = store();
    s.setWorkspaceFolders([root]);
    settings = { rules: { 'compose/host-network': 'error' }, services: [{ name: 'Mine', ports: [7777], noAuth: true }] };
    const { config, excluded } = await s.forDocument('u1', path.join(root, 'a', 'b', 'compose.yaml'));
    assert.deepEqual(config.rules, { 'compose/privileged': 'off', 'compose/host-network': 'error' });
    assert.equal(config.services[0].name, 'Mine');
    assert.equal(excluded, false);
    assert.equal((await s.forDocument('u2', path.join(root, 'a', 'b', 'skip.yaml'))).excluded, true);
  });

  it('stops at the workspace folder, sees a config file change without being told, and warns once about a broken one', async () => {
    const s = store();
    s.setWorkspaceFolders([path.join(root, 'a')]);
    settings = undefined;
    const doc = path.join(root, 'a', 'b', 'compose.yaml');
    assert.deepEqual((await s.forDocument('u', doc)).config.rules, {}, 'the root file is outside the folder');
    const before_ = s.forDocument('u', doc);
    assert.equal(s.forDocument('u', doc), before_, 'cached while nothing changes');

    fs.writeFileSync(path.join(root, 'a', '.portcullis.json'), JSON.stringify({ rules: { 'compose/privileged': 'hint' } }));
    assert.deepEqual((await s.forDocument('u', doc)).config.rules, { 'compose/privileged': 'hint' }, 'a new nearer file is seen');

    warnings.length = 0;
    fs.writeFileSync(path.join(root, 'a', '.portcullis.json'), '{"rules": {"compose/privileged": "loud"}, ');
    assert.deepEqual((await s.forDocument('u', doc)).config.rules, {});
    await s.forDocument('v', path.join(root, 'a', 'b', 'other.yaml'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /\.portcullis\.json: not valid JSON/);
    fs.rmSync(path.join(root, 'a', '.portcullis.json'));
    assert.deepEqual((await s.forDocument('u', doc)).config.rules, {});
  });

  it('keeps the valid keys of settings and reports the others', async () => {
    const s = store();
    settings = { enable: 'yes', rules: { 'compose/privileged': 'hint', 'compose/host-network': 'loud' } };
    warnings.length = 0;
    const { config } = await s.forDocument('u', 'Untitled-1');
    assert.equal(config.enable, true);
    assert.deepEqual(config.rules, { 'compose/privileged': 'hint' });
    assert.equal(warnings.length, 2);
  });
});

describe('conversion to LSP', () => {
  let dir: string;
  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-conv-')));
    fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const doc = () => ({ uri: pathToFileURL(path.join(dir, 'compose.yaml')).href, file: path.join(dir, 'compose.yaml'), version: 7 });
  const env = (over: Partial<EditEnvironment> = {}): EditEnvironment => ({ documentChanges: true, createFiles: true, openVersion: () => undefined, exists: (f) => fs.existsSync(f), ...over });

  it('turns a finding into a diagnostic with its related locations by URI', () => {
    const d = toDiagnostic(
      {
        rule: 'deployment/proxy-bypass',
        severity: 'hint',
        file: doc().file,
        range: range(1, 2, 1, 8),
        message: 'm',
        fixes: [],
        related: [
          { file: doc().file, range: range(3, 0, 3, 1), message: 'here' },
          { file: path.join(dir, 'nginx.conf'), range: range(0, 0, 0, 5), message: 'there' },
          { file: 'relative-name', range: range(0, 0, 0, 1), message: 'dropped' },
        ],
      },
      doc(),
      path.join(dir, 'dist'),
    );
    assert.equal(d.severity, 4);
    assert.equal(d.codeDescription?.href, pathToFileURL(path.join(dir, 'docs', 'rules', 'deployment', 'proxy-bypass.md')).href);
    assert.deepEqual(d.relatedInformation, [
      { location: { uri: doc().uri, range: range(3, 0, 3, 1) }, message: 'here' },
      { location: { uri: pathToFileURL(path.join(dir, 'nginx.conf')).href, range: range(0, 0, 0, 5) }, message: 'there' },
    ]);
    assert.deepEqual(d.data, { rule: 'deployment/proxy-bypass', fixes: [] });
  });

  it('edits other files by URI, creating a missing one first', () => {
    const env_ = path.join(dir, '.env');
    const gitignore = path.join(dir, '.gitignore');
    const edits = [
      { file: doc().file, range: range(4, 8, 4, 20), newText: '${OPENAI_API_KEY}' },
      { file: env_, range: range(0, 0, 0, 0), newText: 'OPENAI_API_KEY=…\n' },
      { file: gitignore, range: range(1, 0, 1, 0), newText: '.env\n' },
    ];
    const uri = (f: string) => pathToFileURL(f).href;
    assert.deepEqual(toWorkspaceEdit(edits, doc(), env()), {
      documentChanges: [
        { textDocument: { uri: doc().uri, version: 7 }, edits: [{ range: edits[0].range, newText: edits[0].newText }] },
        { kind: 'create', uri: uri(env_), options: { ignoreIfExists: true } },
        { textDocument: { uri: uri(env_), version: null }, edits: [{ range: edits[1].range, newText: edits[1].newText }] },
        { textDocument: { uri: uri(gitignore), version: null }, edits: [{ range: edits[2].range, newText: edits[2].newText }] },
      ],
    });
    // An open editor's version is used; a client without resource operations cannot create the file.
    const withOpen = toWorkspaceEdit(edits.slice(2), doc(), env({ openVersion: (u) => (u === uri(gitignore) ? 3 : undefined) }));
    assert.deepEqual(withOpen?.documentChanges?.[0], { textDocument: { uri: uri(gitignore), version: 3 }, edits: [{ range: edits[2].range, newText: edits[2].newText }] });
    assert.equal(toWorkspaceEdit(edits, doc(), env({ createFiles: false })), undefined);
    assert.deepEqual(toWorkspaceEdit([edits[0], edits[2]], doc(), env({ documentChanges: false })), {
      changes: { [doc().uri]: [{ range: edits[0].range, newText: edits[0].newText }], [uri(gitignore)]: [{ range: edits[2].range, newText: edits[2].newText }] },
    });
    assert.equal(toWorkspaceEdit([{ file: 'not/absolute', range: range(0, 0, 0, 0), newText: 'x' }], doc(), env()), undefined);
  });

  it('reads Diagnostic.data defensively', () => {
    const base = { range: range(0, 0, 0, 1), message: 'm', source: 'portcullis' };
    const fix = { title: 't', edits: [{ range: range(0, 0, 0, 1), newText: 'x' }], preferred: true };
    assert.deepEqual(readDiagnosticData({ ...base, data: { rule: 'r', fixes: [fix, { title: 1 }, { title: 't', edits: [{ range: {}, newText: 'x' }] }] } }), { rule: 'r', fixes: [fix] });
    assert.equal(readDiagnosticData({ ...base, data: { rule: 'r', fixes: {} } }), undefined);
    assert.equal(readDiagnosticData({ ...base, source: 'eslint', data: { rule: 'r', fixes: [fix] } }), undefined);
    assert.equal(readDiagnosticData({ ...base }), undefined);
  });
});

describe('other files for the rules', () => {
  it('reads an open editor over the disk, and nothing too big or missing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-files-'));
    try {
      const files = new WorkspaceFiles();
      const env = path.join(dir, '.env');
      fs.writeFileSync(env, 'A=disk\n');
      assert.equal(files.read(env), 'A=disk\n');
      const g = files.generation;
      files.setOpen(env, { getText: () => 'A=editor\n' });
      assert.ok(files.generation > g);
      assert.equal(files.read(path.join(dir, '.', '.env')), 'A=editor\n');
      files.setOpen(env, undefined);
      assert.equal(files.read(env), 'A=disk\n');
      assert.equal(files.read(path.join(dir, 'missing')), undefined);
      assert.equal(files.read(dir), undefined, 'a folder is not a file');
      fs.writeFileSync(path.join(dir, 'big'), Buffer.alloc(1_100_000));
      assert.equal(files.read(path.join(dir, 'big')), undefined);
      assert.ok(isSharedInput('/w/.env') && isSharedInput('/w/.env.prod') && isSharedInput('/w/ollama.env') && isSharedInput('/w/.gitignore'));
      assert.ok(!isSharedInput('/w/compose.yaml'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('linting: one parse per version, failures logged once', () => {
  const original = formatModule('systemd');
  const parses: string[] = [];
  const throwing: Rule<string> = {
    id: 'systemd/test-throws',
    format: 'systemd',
    severity: 'warning',
    summary: 'throws',
    check() {
      throw new Error('boom');
    },
  };
  const working: Rule<string> = {
    id: 'systemd/test-works',
    format: 'systemd',
    severity: 'warning',
    summary: 'works',
    check: (_model, ctx) => [{ range: ctx.range(0, 1), message: 'found' }],
  };
  const fake: FormatModule<string> = {
    format: 'systemd',
    parse(text) {
      if (text.includes('PARSER-BUG')) throw new Error('parser bug');
      parses.push(text);
      return text;
    },
    rules: [throwing, working],
  };
  before(() => registerFormat(fake));
  after(() => {
    if (original) registerFormat(original);
  });

  it('parses a version once, logs a throwing rule once per session and keeps the other findings', () => {
    const errors: string[] = [];
    const linter = new Linter({ error: (m) => errors.push(m), info: () => {} });
    const config = { config: { enable: true, rules: {}, ruleOptions: {}, services: [], exclude: [] }, workspace: new WorkspaceFiles(), workspaceGeneration: 0 };
    const doc = (version: number, text: string, uri = 'file:///w/app.service') => ({ uri, version, languageId: 'plaintext', getText: () => text });

    const first = linter.findings(doc(1, '[Service]\n'), '/w/app.service', config);
    assert.deepEqual(first.map((f) => f.rule), ['systemd/test-works']);
    linter.findings(doc(1, '[Service]\n'), '/w/app.service', { ...config, config: { ...config.config } });
    assert.equal(parses.length, 1, 'the same version is parsed once, whatever the configuration');
    linter.findings(doc(2, '[Unit]\n'), '/w/app.service', config);
    linter.findings(doc(1, '[Unit]\n', 'file:///w/other.service'), '/w/other.service', config);
    assert.equal(parses.length, 3);
    assert.equal(errors.length, 1, 'logged once per rule per session');
    assert.match(errors[0], /systemd\/test-throws/);
    assert.match(errors[0], /Error: boom\n\s+at /, 'with the stack');

    assert.deepEqual(linter.findings(doc(3, 'PARSER-BUG'), '/w/app.service', config), []);
    assert.deepEqual(linter.findings(doc(4, 'PARSER-BUG again'), '/w/app.service', config), []);
    assert.equal(errors.length, 2, 'a throwing parser is logged once too');
    assert.match(errors[1], /systemd parser failed/);
  });
});

describe('lint workers', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-worker-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const job: LintJob = { file: '/w/compose.yaml', text: 'services: {}\n', languageId: 'yaml', config: { enable: true, rules: {}, ruleOptions: {}, services: [], exclude: [] }, openFiles: [] };
  const script = (name: string, body: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, body);
    return file;
  };

  it('stops a worker that takes too long', async () => {
    const started = Date.now();
    const result = await lintInWorker(script('slow.js', 'for (;;) {}'), job, 300);
    assert.deepEqual(result, { kind: 'timeout' });
    assert.ok(Date.now() - started < 5000);
  });

  it('reports a worker that throws or exits without an answer, and passes an answer through', async () => {
    const thrown = await lintInWorker(script('throws.js', 'throw new Error("kaput")'), job, 5000);
    assert.equal(thrown.kind, 'failed');
    assert.match((thrown as { error: string }).error, /kaput/);
    assert.equal((await lintInWorker(script('exits.js', 'process.exit(3)'), job, 5000)).kind, 'failed');
    assert.equal((await lintInWorker(path.join(dir, 'missing.js'), job, 5000)).kind, 'failed');
    const answer = script('answers.js', `require('node:worker_threads').parentPort.postMessage({ kind: 'done', findings: [], ruleErrors: [], text: require('node:worker_threads').workerData.portcullisLintJob.text })`);
    assert.deepEqual(await lintInWorker(answer, job, 5000), { kind: 'done', findings: [], ruleErrors: [], text: job.text });
  });
});
