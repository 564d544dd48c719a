/**
 * The CLI against a malicious repository: nothing outside the project is read or printed
 * (imports, includes, symlinks, globs from the machine root), FIFOs and devices never block a
 * run, encodings are read as the real tools read them, and a file too large to lint is reported.
 * Every file is generated in a temporary folder; the CLI runs as a child process with a time
 * limit, so a hang fails the test instead of stalling the suite.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { lines, rangeOf } from '../helpers';

const BIN = join(__dirname, '..', '..', 'dist', 'cli.js');
const SECRET = 'SECRETLINE_0123456789abcdef';
const OLLAMA = lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', '      - "11434:11434"');

let base: string;
after(() => base && rmSync(base, { recursive: true, force: true }));

/** A project folder (a git repository: its root is the edge) beside an `outside` folder holding a secret. */
function workspace(files: Record<string, string | Buffer>): { dir: string; outside: string } {
  base ??= realpathSync(mkdtempSync(join(tmpdir(), 'portcullis-boundary-')));
  const root = mkdtempSync(join(base, 'case-'));
  const dir = join(root, 'project');
  const outside = join(root, 'outside');
  mkdirSync(join(dir, '.git'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.conf'), `${SECRET} on;\n`);
  writeFileSync(join(root, '.npmrc'), `//registry.npmjs.org/:_authToken=${SECRET}\n`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, outside };
}

function cli(cwd: string, ...argv: string[]) {
  assert.ok(existsSync(BIN), 'dist/cli.js is built by `npm run build` (npm test builds first)');
  const started = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd, encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(r.error, undefined, `the CLI finished (${(r.error as Error | undefined)?.message})`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

/** The run in every output format: none may carry the secret. */
function allFormats(cwd: string, ...argv: string[]) {
  const text = cli(cwd, ...argv);
  const json = cli(cwd, '--format', 'json', ...argv);
  const sarif = cli(cwd, '--format', 'sarif', ...argv);
  for (const r of [text, json, sarif]) assert.ok(!(r.stdout + r.stderr).includes(SECRET), `no secret in:\n${r.stdout}${r.stderr}`);
  return { text, json: JSON.parse(json.stdout), sarif: JSON.parse(sarif.stdout) };
}

describe('cli: the project boundary', () => {
  it('Caddy: `import ../.npmrc` and an absolute outside file are not read; the relative one that climbs out is reported', () => {
    const caddy = lines('import ../../.npmrc', 'example.com {', '    import IMPORT_ABS', '    reverse_proxy app:8080', '}');
    const { dir, outside } = workspace({});
    const abs = join(outside, 'secret.conf');
    const text = caddy.replace('IMPORT_ABS', abs);
    writeFileSync(join(dir, 'Caddyfile'), text);
    const { json, sarif, text: out } = allFormats(dir);
    const infos = json.findings.filter((f: { rule: string }) => f.rule === 'caddy/import-outside-project');
    assert.deepEqual(infos.map(at), [rangeOf(text, '../../.npmrc')].map(lsp1));
    assert.ok(sarif.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'caddy/import-outside-project'));
    assert.match(out.stdout, /`import \.\.\/\.\.\/\.npmrc` is outside the project: not read/);
  });

  it('nginx: an include outside is not read; `include /*/*/*/*;` reads nothing outside', () => {
    const { dir, outside } = workspace({});
    const conf = lines('events {}', 'http {', `    include ${join(outside, 'secret.conf')};`, '    include ../outside/*.conf;', '    include /*/*/*/*;', '}');
    writeFileSync(join(dir, 'nginx.conf'), conf);
    const r = allFormats(dir);
    const infos = r.json.findings.filter((f: { rule: string }) => f.rule === 'nginx/include-outside-project');
    assert.deepEqual(infos.map(at), [rangeOf(conf, '../outside/*.conf')].map(lsp1));
    assert.ok(r.text.ms < 15_000);
  });

  it('a symlink out of the project is not read (include, import, .env)', () => {
    const { dir, outside } = workspace({});
    symlinkSync(join(outside, 'secret.conf'), join(dir, 'link.conf'));
    symlinkSync(outside, join(dir, 'linkdir'));
    writeFileSync(join(dir, 'nginx.conf'), lines('events {}', 'http {', '    include link.conf;', '    include linkdir/*.conf;', '}'));
    writeFileSync(join(dir, 'Caddyfile'), lines('import link.conf', ':8080 {', '    respond ok', '}'));
    allFormats(dir);
  });

  it('FIFOs and devices as include, import, .env, .gitignore and env_file never block a run', () => {
    const { dir } = workspace({
      'nginx.conf': lines('events {}', 'http {', '    include fifo.conf;', '    include /dev/zero;', '    include /dev/stdin;', '}'),
      Caddyfile: lines('import fifo.caddy', 'import /dev/zero', ':8080 {', '    respond ok', '}'),
      'compose.yaml': lines('services:', '  web:', '    image: nginx:1.27', '    env_file: [fifo.env, zero.env, /dev/zero]', '    environment:', '      API_KEY: sk-live-0123456789abcdef0123'),
    });
    for (const f of ['fifo.conf', 'fifo.caddy', 'fifo.env', '.env', '.gitignore']) execFileSync('mkfifo', [join(dir, f)]);
    symlinkSync('/dev/zero', join(dir, 'zero.env'));
    const r = cli(dir, '--format', 'json');
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assert.ok(r.ms < 15_000);
  });

  it('/dev/zero, /dev/stdin and a FIFO named as targets: reported, not read, exit 2', () => {
    const { dir } = workspace({});
    execFileSync('mkfifo', [join(dir, 'docker-compose.yml')]);
    for (const target of ['/dev/zero', '/dev/stdin', 'docker-compose.yml']) {
      const r = cli(dir, target);
      assert.equal(r.code, 2, target);
      assert.match(r.stderr, /not a regular file: not read/);
    }
    // Found in a folder, a FIFO is no file to lint: the run goes on.
    writeFileSync(join(dir, 'compose.yaml'), OLLAMA);
    assert.equal(cli(dir).code, 1);
  });

  it('a target too large to lint is reported with exit 2, named or found, unless excluded', () => {
    const big = OLLAMA + '#'.repeat(4 * 1024 * 1024) + '\n';
    const { dir } = workspace({ 'docker-compose.yml': big, 'data/big.yml': '- x\n'.repeat(1_200_000) });
    const named = cli(dir, 'docker-compose.yml');
    assert.equal(named.code, 2);
    assert.match(named.stderr, /docker-compose\.yml: too large to lint \(\d+ bytes, limit 4194304\): not linted/);
    const found = cli(dir);
    assert.equal(found.code, 2);
    assert.match(found.stderr, /docker-compose\.yml: too large to lint/);
    // A large YAML that is not a config file (its head says so) is not one.
    assert.doesNotMatch(found.stderr, /big\.yml/);
    writeFileSync(join(dir, '.portcullis.json'), JSON.stringify({ exclude: ['docker-compose.yml'] }));
    assert.equal(cli(dir).code, 0);
  });
});

describe('cli: encodings as the real tools read them', () => {
  const compose = (bytes: Buffer) => {
    const { dir } = workspace({ 'docker-compose.yml': bytes });
    const r = cli(dir, '--format', 'json');
    return JSON.parse(r.stdout).findings as { rule: string; line: number; column: number; endLine: number; endColumn: number; message: string }[];
  };
  const portAt = lsp1(rangeOf(OLLAMA, '"11434:11434"'));

  it('compose: a BOM, UTF-16 LE/BE and lone CR line ends are read; the port found at its place', () => {
    const utf16be = Buffer.from(OLLAMA, 'utf16le');
    for (let i = 0; i + 1 < utf16be.length; i += 2) [utf16be[i], utf16be[i + 1]] = [utf16be[i + 1], utf16be[i]];
    for (const bytes of [
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(OLLAMA)]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(OLLAMA, 'utf16le')]),
      Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]),
      Buffer.from(OLLAMA.replace(/\n/g, '\r')),
    ]) {
      const findings = compose(bytes);
      assert.ok(!findings.some((f) => f.rule === 'compose/syntax-error'), JSON.stringify(findings));
      assert.deepEqual(at(findings.find((f) => f.rule === 'compose/port-exposed-all-interfaces')), portAt);
    }
  });

  it('nginx refuses a BOM (syntax error at 0:0), and line-1 columns are not shifted', () => {
    const conf = lines('events {} http { server_tokens on; }', '');
    const { dir } = workspace({ 'nginx.conf': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(conf)]) });
    const findings = JSON.parse(cli(dir, '--format', 'json').stdout).findings;
    const syntax = findings.find((f: { rule: string }) => f.rule === 'nginx/syntax-error');
    assert.deepEqual(at(syntax), { line: 1, column: 1, endLine: 1, endColumn: 1 });
    assert.match(syntax.message, /byte-order mark/);
    assert.deepEqual(at(findings.find((f: { rule: string }) => f.rule === 'nginx/server-tokens-on')), lsp1(rangeOf(conf, 'on')));
  });

  it('--fix writes a file back as it was stored (BOM kept, UTF-16 kept)', () => {
    const compose16 = lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', '      - "11434:11434"');
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const { dir } = workspace({ 'nginx.conf': Buffer.concat([bom, Buffer.from(lines('events {}', 'http { server_tokens on; }'))]), 'docker-compose.yml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(compose16, 'utf16le')]) });
    cli(dir, '--fix');
    const nginx = readFileSync(join(dir, 'nginx.conf'));
    assert.deepEqual([...nginx.subarray(0, 3)], [...bom]);
    assert.equal(nginx.subarray(3).toString('utf8'), lines('events {}', 'http { server_tokens off; }'));
    const compose = readFileSync(join(dir, 'docker-compose.yml'));
    assert.deepEqual([...compose.subarray(0, 2)], [0xff, 0xfe]);
    assert.notEqual(compose.subarray(2).toString('utf16le'), compose16, 'the port fix was applied');
    assert.match(compose.subarray(2).toString('utf16le'), /^services:\n/);
  });

  it('Caddy and systemd accept a BOM but refuse UTF-16', () => {
    const caddy = lines(':8080 {', '    respond ok', '}');
    const unit = lines('[Service]', 'ExecStart=/usr/bin/true');
    const bom = (t: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)]);
    const u16 = (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]);
    const syntax = (name: string, bytes: Buffer) => {
      const { dir } = workspace({ [name]: bytes });
      return JSON.parse(cli(dir, '--format', 'json').stdout).findings.filter((f: { rule: string }) => f.rule.endsWith('/syntax-error'));
    };
    assert.deepEqual(syntax('Caddyfile', bom(caddy)), []);
    assert.deepEqual(syntax('x.service', bom(unit)), []);
    assert.match(syntax('Caddyfile', u16(caddy))[0].message, /UTF-16/);
    assert.match(syntax('x.service', u16(unit))[0].message, /UTF-16/);
  });
});

/** An LSP (0-based) range as the JSON output writes it (1-based). */
function lsp1(r: { start: { line: number; character: number }; end: { line: number; character: number } }) {
  return { line: r.start.line + 1, column: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

/** A JSON finding's place. */
function at(f: { line: number; column: number; endLine: number; endColumn: number } | undefined) {
  return f && { line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn };
}
