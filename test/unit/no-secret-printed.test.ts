/**
 * THE SWEEP: a workspace full of fake keys (every format detect.ts knows, URL passwords, header
 * tokens, a pasted key as an unknown directive and setting, an imported "credentials" file), and
 * every output of the CLI (text, JSON, SARIF, exposure text and JSON, --fix in text and JSON,
 * stderr) and of the language server over JSON-RPC (diagnostics with their data, code action
 * titles, the exposure request, log messages). Any 12-character run of any key in any of them
 * fails the test. The code actions' WorkspaceEdits are the one place the real text must be: the
 * client applies them (see ARCHITECTURE.md, Principles).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { buildServer, LspClient, type BuiltServer, type CodeAction } from '../lsp/harness';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
function random(n: number, alphabet: string): string {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[bytes[i] % alphabet.length];
  // At least one digit and one letter, as real keys: nothing here may pass for a placeholder.
  return s.slice(0, -2) + 'a7';
}

const KEYS = {
  openrouter: `sk-or-v1-${random(64, HEX)}`,
  openrouter2: `sk-or-v1-${random(64, HEX)}`,
  xai: `xai-${random(80, ALNUM)}`,
  xai2: `xai-${random(80, ALNUM)}`,
  replicate: `r8_${random(37, ALNUM)}`,
  langsmith: `lsv2_pt_${random(32, HEX)}_${random(10, HEX)}`,
  deepseek: `sk-${random(32, HEX)}`,
  deepseek2: `sk-${random(32, HEX)}`,
  perplexity: `pplx-${random(48, ALNUM)}`,
  perplexity2: `pplx-${random(48, ALNUM)}`,
  pw1: random(18, ALNUM),
  pw2: random(18, ALNUM),
  pw3: random(18, ALNUM),
  pw4: random(18, ALNUM),
  pw5: random(18, ALNUM),
  bearer1: random(32, ALNUM),
  bearer2: random(32, ALNUM),
  token: random(28, ALNUM),
  label: random(28, ALNUM),
};
const K = KEYS;

const FILES: Record<string, string> = {
  '.gitignore': 'node_modules/\n',
  '.env': `REPLICATE_API_TOKEN=${K.replicate}\n`,
  'compose.yaml': [
    'services:',
    '  app:',
    '    image: nginx:1.27.0',
    '    env_file: .env',
    '    environment:',
    `      OPENROUTER_API_KEY: ${K.openrouter}`,
    `      DATABASE_URL: postgres://app:${K.pw1}@db:5432/app`,
    `      XAI_API_KEY: "${K.xai}"`,
    '    ports:',
    '      - "8080:80"',
    '    labels:',
    `      com.example.token: ${K.label}`,
    '    healthcheck:',
    `      test: ["CMD", "curl", "-H", "Authorization: Bearer ${K.bearer2}", "http://localhost/"]`,
    '',
  ].join('\n'),
  'nginx/nginx.conf': [
    'events {}',
    'http {',
    '  server {',
    '    listen 80;',
    '    server_name a.example.com;',
    `    proxy_set_header Authorization "Bearer ${K.bearer1}";`,
    `    add_header X-Api-Key "${K.perplexity}";`,
    '    location / {',
    '      proxy_set_header Host $host;',
    '      add_header X-Frame-Options DENY;',
    `      proxy_pass https://bob:${K.pw2}@backend.internal:8443;`,
    '    }',
    '    location /x {',
    `      ${K.replicate};`,
    `      ${K.openrouter2} on;`,
    '    }',
    '  }',
    '}',
    '',
  ].join('\n'),
  Caddyfile: [
    'a.example.com {',
    `\treverse_proxy https://carol:${K.pw3}@upstream:9000 {`,
    `\t\theader_up Authorization "Bearer ${K.bearer1}"`,
    '\t}',
    `\t${K.langsmith}`,
    '\timport creds.caddy',
    '}',
    '',
  ].join('\n'),
  'creds.caddy': ['encode gzip', `https://dave:${K.pw4}@github.com`, `${K.deepseek} tail`, `${K.perplexity2}`, ''].join('\n'),
  'app.service': [
    '[Unit]',
    'Description=app',
    '[Service]',
    `ExecStart=/usr/bin/app --token ${K.token}`,
    `Environment="DEEPSEEK_API_KEY=${K.deepseek2} MODE=prod"`,
    `Environment=API_URL=https://erin:${K.pw5}@api.internal/`,
    '',
  ].join('\n'),
  'app.service.d/override.conf': ['[Service]', `Environment=XAI_API_KEY=${K.xai2}`, `${K.xai2}=1`, '', `[${K.xai2}]`, 'A=1', ''].join('\n'),
};

/** Every 12-character run of every key found in `output`, with where (the fake keys may be shown). */
function leaks(what: string, output: string): string[] {
  const found: string[] = [];
  for (const [name, key] of Object.entries(KEYS)) {
    for (let i = 0; i + 12 <= key.length; i++) {
      const at = output.indexOf(key.slice(i, i + 12));
      if (at >= 0) {
        found.push(`${what}: ${name} (${key.slice(i, i + 12)}) in …${output.slice(Math.max(0, at - 80), at + 40)}…`);
        break;
      }
    }
  }
  return found;
}

function workspace(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-sweep-')));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const BIN = path.join(__dirname, '..', '..', 'dist', 'cli.js');

function cli(cwd: string, args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

describe('no secret printed whole: the CLI', () => {
  it('text, JSON, SARIF and exposure (text, JSON) mask every key', () => {
    assert.ok(fs.existsSync(BIN), 'dist/cli.js is built by `npm run build` (npm test builds first)');
    const root = workspace(FILES);
    roots.push(root);
    const found: string[] = [];
    const runs: [string, string[]][] = [
      ['text', ['.']],
      ['json', ['--format', 'json', '.']],
      ['sarif', ['--format', 'sarif', '.']],
      ['exposure text', ['exposure', '.']],
      ['exposure json', ['exposure', '--format', 'json', '.']],
    ];
    const seen: Record<string, string> = {};
    for (const [what, args] of runs) {
      const r = cli(root, args);
      seen[what] = r.out;
      found.push(...leaks(what, r.out));
    }
    // With the secrets rule off the run knows no secret: the patterns and the rules' own masked
    // forms still hold.
    fs.writeFileSync(path.join(root, 'off.json'), JSON.stringify({ rules: { 'secrets/hardcoded-secret': 'off' } }));
    for (const format of ['text', 'json', 'sarif']) {
      const r = cli(root, ['--config', 'off.json', '--format', format, '.']);
      seen[`${format} off`] = r.out;
      found.push(...leaks(`${format}, secrets rule off`, r.out));
    }
    const off = (JSON.parse(seen['json off'].split('\n')[0]) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    assert.ok(!off.includes('secrets/hardcoded-secret') && off.includes('nginx/add-header-redefinition'), off.join(', '));
    assert.deepEqual(found, []);
    // The sweep looked at real output: the findings it is about are there.
    const json = JSON.parse(seen.json.split('\n')[0]) as { findings: { rule: string; message: string; fixes: { edits: { newText: string }[] }[] }[] };
    const rules = new Set(json.findings.map((f) => f.rule));
    for (const r of ['secrets/hardcoded-secret', 'caddy/unknown-directive', 'nginx/unknown-directive', 'systemd/unknown-setting', 'systemd/environment-quoting', 'nginx/proxy-set-header-redefinition', 'nginx/add-header-redefinition']) {
      assert.ok(rules.has(r), `${r} in ${[...rules].join(', ')}`);
    }
    assert.ok(json.findings.some((f) => f.fixes.some((x) => x.edits.some((e) => e.newText.includes('Authorization')))), 'a redefinition edit copies the header, masked');
    assert.match(seen['exposure text'], /https:\/\/bob:[A-Za-z0-9]{1,5}…[A-Za-z0-9]{0,4}@backend\.internal/);
  });

  it('--fix (text and JSON) masks every key in what it prints, and applies the real edits', () => {
    const found: string[] = [];
    for (const format of ['text', 'json']) {
      const root = workspace(FILES);
      roots.push(root);
      const r = cli(root, ['--fix', '--format', format, 'compose.yaml', 'nginx/nginx.conf', 'Caddyfile', 'app.service', 'app.service.d/override.conf']);
      found.push(...leaks(`--fix ${format}`, r.out));
      assert.match(r.out, /fix(es)? applied/);
      // The edit written is the real one: the key moved into .env whole.
      assert.ok(fs.readFileSync(path.join(root, '.env'), 'utf8').includes(K.openrouter), 'the real value is in .env');
      // The unit's secrets went beside it, inside the workspace; nothing was written on the machine.
      assert.ok(!fs.existsSync('/etc/systemd/system/app.service.d/secrets.env'), 'nothing written in /etc');
    }
    assert.deepEqual(found, []);
  });
});

describe('no secret printed whole: the language server', () => {
  let built: BuiltServer;
  let client: LspClient;
  let root: string;

  before(async () => {
    built = await buildServer();
    root = workspace(FILES);
    roots.push(root);
    client = await LspClient.start(built.serverJs, { workspaceFolders: [root] });
  });

  after(async () => {
    await client?.stop();
    built?.cleanup();
  });

  it('diagnostics (with their data), code action titles, the exposure request and the logs mask every key', async () => {
    const uri = (rel: string) => pathToFileURL(path.join(root, rel)).href;
    const LANG: Record<string, string> = { 'compose.yaml': 'dockercompose', 'nginx/nginx.conf': 'nginx', Caddyfile: 'caddyfile', 'app.service': 'systemd', 'app.service.d/override.conf': 'systemd' };
    for (const [rel, lang] of Object.entries(LANG)) client.open(uri(rel), FILES[rel], lang);
    // Both passes (the asynchronous one brings secretlint's findings) for every open document.
    for (const rel of Object.keys(LANG)) await client.diagnostics(uri(rel), (p) => p.diagnostics.length > 0, 0, 15_000);
    await new Promise((r) => setTimeout(r, 1500));

    const titles: string[] = [];
    for (const rel of Object.keys(LANG)) {
      const last = client.published.filter((p) => p.uri === uri(rel)).pop()!;
      const actions: CodeAction[] = await client.request('textDocument/codeAction', {
        textDocument: { uri: uri(rel) },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: last.diagnostics },
      });
      titles.push(...actions.map((a) => a.title));
      if (rel === 'compose.yaml') {
        // The code action applies the real edit: the masked data found its real fix.
        const move = actions.find((a) => /Move the value/.test(a.title) && JSON.stringify(a.edit).includes(K.openrouter));
        assert.ok(move, `a real move of the key among ${JSON.stringify(actions.map((a) => a.title))}`);
      }
    }
    const exposure = await client.request('portcullis/exposure', {});
    const found = [
      ...leaks('diagnostics', JSON.stringify(client.published)),
      ...leaks('code action titles', JSON.stringify(titles)),
      ...leaks('exposure', JSON.stringify(exposure)),
      ...leaks('logs', JSON.stringify(client.logs)),
      ...leaks('stderr', client.stderr),
    ];
    assert.deepEqual(found, []);
    assert.ok(titles.length > 0, 'code actions were offered');
    assert.match(JSON.stringify(exposure), /bob:[A-Za-z0-9]{1,5}…/);
  });
});
