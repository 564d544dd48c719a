import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { applyPreferredFixes } from '../../cli/fix';
import { runAsync } from '../../cli/main';
import type { Finding } from '../../rules';
import { lines } from '../helpers';

// Hardened but for the port, so the exact-output tests see one finding.
const OLLAMA = lines(
  'services:',
  '  ollama:',
  '    image: ollama/ollama:0.5.7',
  '    ports:',
  '      - "11434:11434"',
  '    security_opt: [no-new-privileges:true]',
  '    mem_limit: 8g',
  '    networks: [backend]',
  'networks:',
  '  backend:',
  '    internal: true',
);
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-cli-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function cli(cwd: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runAsync(argv, { cwd, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false });
  return { code, stdout, stderr };
}

describe('cli', () => {
  it('prints findings grouped by file and exits 1', async () => {
    const dir = project({ 'docker-compose.yml': OLLAMA, 'node_modules/x/docker-compose.yml': OLLAMA, 'README.md': '# x' });
    const r = (await cli(dir));
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      [
        'docker-compose.yml',
        '  5:9     error   Port 11434 of "ollama" (Ollama, which has no authentication) is published with no host address: anyone who can reach this host can use it. Docker\'s iptables rules bypass UFW.  compose/port-exposed-all-interfaces',
        '',
        '✖ 1 problem (1 error) in 1 of 1 file',
        '  1 can be fixed with --fix',
        '',
      ].join('\n'),
    );
  });

  it('colors the output only on a terminal or with --color', async () => {
    const dir = project({ 'compose.yaml': OLLAMA });
    assert.ok(!(await cli(dir)).stdout.includes('\x1b['));
    assert.ok((await cli(dir, '--color')).stdout.includes('\x1b[31m'));
  });

  it('writes the JSON contract: 1-based positions, paths relative to the working directory', async () => {
    const dir = project({ 'deploy/compose.yaml': OLLAMA });
    const r = (await cli(dir, '--format', 'json'));
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.stdout), {
      version: 1,
      files: 1,
      findings: [
        {
          file: 'deploy/compose.yaml',
          rule: 'compose/port-exposed-all-interfaces',
          severity: 'error',
          message: 'Port 11434 of "ollama" (Ollama, which has no authentication) is published with no host address: anyone who can reach this host can use it. Docker\'s iptables rules bypass UFW.',
          line: 5,
          column: 9,
          endLine: 5,
          endColumn: 22,
          fixes: [{ title: 'Bind to 127.0.0.1 (reachable from this host only)', edits: [{ file: 'deploy/compose.yaml', line: 5, column: 9, endLine: 5, endColumn: 22, newText: '"127.0.0.1:11434:11434"' }] }],
        },
      ],
    });
  });

  it('writes SARIF 2.1.0 that validates against its schema, with rule metadata and help', async () => {
    const dir = project({ 'compose.yaml': OLLAMA });
    const r = (await cli(dir, '--format=sarif'));
    const log = JSON.parse(r.stdout);
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    const valid = ajv.validate(schema, JSON.parse(r.stdout));
    assert.ok(valid, JSON.stringify(ajv.errors?.slice(0, 5)));
    const run0 = log.runs[0];
    const result = run0.results[0];
    assert.equal(result.ruleId, 'compose/port-exposed-all-interfaces');
    assert.equal(result.level, 'error');
    assert.deepEqual(result.locations[0].physicalLocation, { artifactLocation: { uri: 'compose.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 5, startColumn: 9, endLine: 5, endColumn: 22 } });
    const meta = run0.tool.driver.rules[result.ruleIndex];
    assert.equal(meta.id, result.ruleId);
    assert.match(meta.helpUri, /^file:.*docs\/rules\/compose\/port-exposed-all-interfaces\.md$/);
    assert.match(meta.help.markdown, /^# compose\/port-exposed-all-interfaces/);
    assert.equal(result.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, '"127.0.0.1:11434:11434"');
  });

  it('--fix applies the preferred fixes atomically, keeps the mode, prints them, and a second run changes nothing', async () => {
    const dir = project({ 'compose.yaml': lines('services:', '  redis:', '    image: redis:7', '    ports: ["6379:6379", "0.0.0.0:6380:6379"]') });
    const file = join(dir, 'compose.yaml');
    chmodSync(file, 0o640);
    const r = (await cli(dir, '--fix', '--format', 'json'));
    assert.equal(readFileSync(file, 'utf8'), lines('services:', '  redis:', '    image: redis:7', '    ports: ["127.0.0.1:6379:6379", "127.0.0.1:6380:6379"]'));
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.match(r.stderr, /fixed compose\.yaml: Bind to 127\.0\.0\.1 .*\(compose\/port-exposed-all-interfaces\)/);
    assert.equal(JSON.parse(r.stdout).findings.filter((f: { rule: string }) => f.rule === 'compose/port-exposed-all-interfaces').length, 0);
    const again = (await cli(dir, '--fix'));
    assert.doesNotMatch(again.stdout, /fixed/);
    assert.equal(readFileSync(file, 'utf8'), lines('services:', '  redis:', '    image: redis:7', '    ports: ["127.0.0.1:6379:6379", "127.0.0.1:6380:6379"]'));
  });

  it('honours .portcullis.json, --config and --max-warnings', async () => {
    const web = lines('services:', '  web:', '    image: example/web:1.2', '    ports: ["8080:80"]');
    const dir = project({ 'compose.yaml': web, '.portcullis.json': JSON.stringify({ rules: { 'compose/port-exposed-all-interfaces': 'off' } }), 'strict.json': '{}' });
    assert.doesNotMatch((await cli(dir)).stdout, /port-exposed/);
    const strict = (await cli(dir, '--config', 'strict.json', '--format', 'json'));
    assert.ok(JSON.parse(strict.stdout).findings.some((f: { rule: string; severity: string }) => f.rule === 'compose/port-exposed-all-interfaces' && f.severity === 'warning'));
    assert.equal(strict.code, 1);
    const warnings = JSON.parse(strict.stdout).findings.filter((f: { severity: string }) => f.severity === 'warning').length;
    assert.equal((await cli(dir, '--config', 'strict.json', '--max-warnings', String(warnings))).code, 0);
  });

  it('honours exclude globs when scanning', async () => {
    const dir = project({ 'a/compose.yaml': OLLAMA, 'old/compose.yaml': OLLAMA, '.portcullis.json': JSON.stringify({ exclude: ['old'] }) });
    assert.equal(JSON.parse((await cli(dir, '--format', 'json')).stdout).files, 1);
  });

  it('--kind forces the format of a file named on the command line; unknown files are said, not linted', async () => {
    const dir = project({ 'stack.txt': OLLAMA });
    const unknown = (await cli(dir, 'stack.txt'));
    assert.match(unknown.stderr, /stack\.txt: not a compose, nginx, Caddy or systemd file/);
    assert.equal(unknown.code, 0);
    assert.equal((await cli(dir, '--kind', 'compose', 'stack.txt')).code, 1);
  });

  it('exits 0 with nothing at warning or above and 2 on usage errors', async () => {
    const dir = project({ 'compose.yaml': lines('services:', '  db:', '    image: postgres:16.4', '    ports: ["127.0.0.1:5432:5432"]', '    security_opt: [no-new-privileges:true]', '    mem_limit: 1g') });
    assert.equal((await cli(dir)).code, 0);
    assert.equal((await cli(dir, '--format', 'xml')).code, 2);
    assert.equal((await cli(dir, '--kind', 'ini', 'x')).code, 2);
    assert.equal((await cli(dir, '--bogus')).code, 2);
    assert.equal((await cli(dir, 'missing.yml')).code, 2);
    const badConfig = project({ 'compose.yaml': OLLAMA, '.portcullis.json': '{ nope' });
    const r = (await cli(badConfig));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not valid JSON/);
  });

  it('the built bin runs with its shebang', async () => {
    const bin = join(__dirname, '..', '..', 'dist', 'cli.js');
    assert.ok(existsSync(bin), 'dist/cli.js is built by `npm run build` (npm test builds first)');
    assert.match(readFileSync(bin, 'utf8'), /^#!\/usr\/bin\/env node\n/);
    const dir = project({ 'compose.yaml': OLLAMA });
    const r = spawnSync(process.execPath, [bin, '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.equal(JSON.parse(r.stdout).findings[0].rule, 'compose/port-exposed-all-interfaces');
    assert.match(spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).stdout, /^\d+\.\d+\.\d+\n$/);
  });
});

describe('cli --fix writing', () => {
  const finding = (file: string, dest: string): Finding => ({
    rule: 'secrets/hardcoded-secret',
    severity: 'error',
    file,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } },
    message: 'm',
    fixes: [
      {
        title: 'move',
        preferred: true,
        edits: [
          { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } }, newText: '${KEY}' },
          { file: dest, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'KEY=secret\n' },
        ],
      },
    ],
  });

  it('creates the folder of a new file, and the new env file readable by its owner only', () => {
    const dir = project({ 'a.conf': 'secret\n' });
    const file = join(dir, 'a.conf');
    const dest = join(dir, 'unit.service.d', 'secrets.env');
    applyPreferredFixes([finding(file, dest)], (f) => (f === file ? 'secret\n' : undefined));
    assert.equal(readFileSync(file, 'utf8'), '${KEY}\n');
    assert.equal(readFileSync(dest, 'utf8'), 'KEY=secret\n');
    assert.equal(statSync(dest).mode & 0o777, 0o600);
  });

  it('writes the receiving file first: when it cannot be written, the source keeps its value', () => {
    const dir = project({ 'a.conf': 'secret\n', blocker: 'a file, not a folder' });
    const file = join(dir, 'a.conf');
    const dest = join(dir, 'blocker', 'secrets.env');
    const done = applyPreferredFixes([finding(file, dest)], (f) => (f === file ? 'secret\n' : undefined));
    assert.equal(done.length, 0);
    assert.deepEqual(done.failures.map((f) => [f.file, f.reason]), [[dest, `${join(dir, 'blocker')} is not a folder: not written`]]);
    assert.equal(readFileSync(file, 'utf8'), 'secret\n');
  });
});
