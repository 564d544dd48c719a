/**
 * `--fix` writes only inside the project, atomically and safely (issue 12). Each case builds a
 * malicious or awkward project in a temporary folder — `<tmp>/parent/project` with a `.git`, and
 * files around it in `<tmp>/parent` — runs the built CLI as a child process in the project, and
 * checks that nothing outside the project changed (a snapshot of `<tmp>/parent`, and of where the
 * systemd fix used to write).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { applyPreferredFixes } from '../../cli/fix';
import type { Finding } from '../../rules';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const TOKEN = 'Zq8vN2rT5wX1yB4k';
const base = mkdtempSync(join(tmpdir(), 'portcullis-fix-safety-'));
after(() => rmSync(base, { recursive: true, force: true }));
let count = 0;

const composeWithSecret = (extra = '') => `services:\n  app:\n    image: nginx:1.27\n${extra}    environment:\n      - API_TOKEN=${TOKEN}\n`;

/** `<tmp>/N/parent/project` (a git work tree), with `files` relative to the parent folder. */
function layout(files: Record<string, string>) {
  const parent = join(base, String(count++), 'parent');
  const project = join(parent, 'project');
  mkdirSync(join(project, '.git'), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(parent, name, '..'), { recursive: true });
    writeFileSync(join(parent, name), text);
  }
  return { parent, project };
}

/** Every path under `dir` (links not followed) with its type, mode and content: what must not change. */
function snapshot(dir: string, skip?: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (p === skip) continue;
      const st = lstatSync(p);
      const rel = relative(dir, p);
      if (st.isSymbolicLink()) out.set(rel, `link ${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.set(rel, `dir ${st.mode & 0o7777}`);
        walk(p);
      } else out.set(rel, `file ${st.mode & 0o7777} ${st.uid} ${readFileSync(p, 'utf8')}`);
    }
  };
  walk(dir);
  return out;
}

const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system'];
function unitDirsSnapshot(): string {
  return UNIT_DIRS.map((d) => (existsSync(d) ? readdirSync(d).sort().join(',') : '-')).join('|');
}

/** `portcullis --fix <args>` in the project; asserts nothing outside the project changed. */
function fix(parent: string, project: string, ...args: string[]) {
  const outside = snapshot(parent, project);
  const units = unitDirsSnapshot();
  assert.ok(existsSync(CLI), 'dist/cli.js is built by `npm run build`');
  const r = spawnSync(process.execPath, [CLI, '--fix', ...(args.length ? args : ['.'])], { cwd: project, encoding: 'utf8' });
  assert.deepEqual(snapshot(parent, project), outside, 'nothing outside the project changed');
  assert.equal(unitDirsSnapshot(), units, 'nothing written to the machine’s unit folders');
  assert.ok(!r.stdout.includes(TOKEN) && !r.stderr.includes(TOKEN), 'the secret is never printed');
  const temps = snapshot(project).keys();
  assert.deepEqual([...temps].filter((p) => /\.portcullis-\d+-[0-9a-f]{16}\.tmp$/.test(p)), [], 'no temporary file left');
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli --fix: writes stay inside the project', () => {
  it('a .gitignore above the project root is never read for the verdict nor written: the root gets its own', () => {
    const { parent, project } = layout({ '.gitignore': '# above the repository\n', 'project/compose.yaml': composeWithSecret() });
    const r = fix(parent, project);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(project, '.gitignore'), 'utf8'), '.env\n');
    assert.equal(readFileSync(join(project, '.env'), 'utf8'), `API_TOKEN=${TOKEN}\n`);
    assert.equal(statSync(join(project, '.env')).mode & 0o777, 0o600);
    assert.match(readFileSync(join(project, 'compose.yaml'), 'utf8'), /API_TOKEN=\$\{API_TOKEN\}/);
  });

  it('a compose file in a subfolder with no .gitignore closer: the project root’s .gitignore is used', () => {
    const { parent, project } = layout({ '.gitignore': '# above\n', 'project/.gitignore': 'node_modules\n', 'project/app/compose.yaml': composeWithSecret() });
    assert.equal(fix(parent, project).code, 0);
    assert.equal(readFileSync(join(project, '.gitignore'), 'utf8'), 'node_modules\n.env\n');
    assert.ok(!existsSync(join(project, 'app', '.gitignore')));
    assert.ok(existsSync(join(project, 'app', '.env')));
  });

  it('env_file outside the project: no fix, nothing written outside (no .gitignore there)', () => {
    const { parent, project } = layout({ 'outside/x.env': 'KEY=1\n', 'project/compose.yaml': 'services:\n  app:\n    image: nginx:1.27\n    env_file: ../outside/x.env\n' });
    const r = fix(parent, project);
    assert.notEqual(r.code, 2, r.stderr);
    assert.ok(!existsSync(join(parent, 'outside', '.gitignore')));
    assert.ok(!existsSync(join(project, '.gitignore')));
  });

  it('a Caddy typo in an imported file outside the project: not read, not fixed; the same typo inside is fixed', () => {
    const fragment = 'encode gzip\nreverse_prxy localhost:8080\n';
    const { parent, project } = layout({
      'shared.caddy': fragment,
      'project/inside.caddy': fragment,
      'project/Caddyfile': 'a.example.com {\n\timport ../shared.caddy\n\timport inside.caddy\n}\n',
    });
    const r = fix(parent, project, 'Caddyfile');
    assert.equal(readFileSync(join(parent, 'shared.caddy'), 'utf8'), fragment);
    assert.equal(readFileSync(join(project, 'inside.caddy'), 'utf8'), 'encode gzip\nreverse_proxy localhost:8080\n');
    assert.match(r.stdout, /`import \.\.\/shared\.caddy` is outside the project: not read/);
    assert.notEqual(r.code, 2, r.stderr);
  });

  it('the systemd secret fix writes the env file beside the unit, nothing in /etc', () => {
    const unit = `pcfix${process.pid}x${count}`;
    const { parent, project } = layout({ [`project/deploy/${unit}.service`]: `[Service]\nEnvironment=API_TOKEN=${TOKEN}\nExecStart=/usr/bin/app\n` });
    const r = fix(parent, project);
    assert.match(r.stdout, new RegExp(`EnvironmentFile=/etc/systemd/system/${unit}\\.service\\.d/secrets\\.env \\(written beside the unit: ${unit}\\.service\\.d/secrets\\.env\\)`));
    const env = join(project, 'deploy', `${unit}.service.d`, 'secrets.env');
    assert.equal(readFileSync(env, 'utf8'), `API_TOKEN=${TOKEN}\n`);
    assert.equal(statSync(env).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(project, 'deploy', `${unit}.service`), 'utf8'), `[Service]\nEnvironmentFile=/etc/systemd/system/${unit}.service.d/secrets.env\nExecStart=/usr/bin/app\n`);
    assert.ok(!existsSync(`/etc/systemd/system/${unit}.service.d`));
    assert.notEqual(r.code, 2, r.stderr);
  });
});

describe('cli --fix: integrity', () => {
  it('a shipped .env symlink pointing outside: refused (exit 2), the outside file and the source unchanged', () => {
    const { parent, project } = layout({ 'outside/credentials': 'keep me\n', 'project/compose.yaml': composeWithSecret(), 'project/.gitignore': '.env\n' });
    symlinkSync(join(parent, 'outside', 'credentials'), join(project, '.env'));
    const r = fix(parent, project);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not fixed .*\.env.*outside the project/);
    assert.equal(readFileSync(join(parent, 'outside', 'credentials'), 'utf8'), 'keep me\n');
    assert.equal(readFileSync(join(project, 'compose.yaml'), 'utf8'), composeWithSecret(), 'the secret did not leave its source');
    assert.ok(lstatSync(join(project, '.env')).isSymbolicLink());
  });

  it('symlinks shipped at temporary names (old predictable ones, any pid) are never followed', () => {
    const { parent, project } = layout({ 'outside/victim': 'keep me\n', 'project/compose.yaml': composeWithSecret(), 'project/.gitignore': '.env\n', 'project/.env': 'OTHER=1\n' });
    for (let pid = 1; pid < 200; pid++) for (const name of ['..env', '.compose.yaml']) symlinkSync(join(parent, 'outside', 'victim'), join(project, `${name}.portcullis-${pid}.tmp`));
    const r = fix(parent, project);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(parent, 'outside', 'victim'), 'utf8'), 'keep me\n');
    assert.equal(readFileSync(join(project, '.env'), 'utf8'), `OTHER=1\nAPI_TOKEN=${TOKEN}\n`);
  });

  it('a symlinked .env inside the project: the link kept, its target updated', () => {
    const { parent, project } = layout({ 'project/compose.yaml': composeWithSecret(), 'project/.gitignore': '.env\n', 'project/secrets/app.env': 'OTHER=1\n' });
    symlinkSync('secrets/app.env', join(project, '.env'));
    assert.equal(fix(parent, project).code, 0);
    assert.equal(readlinkSync(join(project, '.env')), 'secrets/app.env');
    assert.equal(readFileSync(join(project, 'secrets', 'app.env'), 'utf8'), `OTHER=1\nAPI_TOKEN=${TOKEN}\n`);
  });

  it('a read-only (0440) file: reported, unchanged, exit 2', () => {
    const { parent, project } = layout({ 'project/compose.yaml': composeWithSecret(), 'project/.gitignore': '.env\n' });
    chmodSync(join(project, 'compose.yaml'), 0o440);
    const r = fix(parent, project);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not fixed compose\.yaml: .*read-only/);
    assert.equal(readFileSync(join(project, 'compose.yaml'), 'utf8'), composeWithSecret());
    assert.equal(statSync(join(project, 'compose.yaml')).mode & 0o777, 0o440);
  });

  it('a .gitignore that cannot be written: the key is not written anywhere (not to .env, not out of its source), exit 2', () => {
    const { parent, project } = layout({ 'project/compose.yaml': composeWithSecret(), 'project/.gitignore': 'node_modules\n' });
    chmodSync(join(project, '.gitignore'), 0o440);
    const r = fix(parent, project);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not fixed \.gitignore: .*read-only/);
    assert.ok(!existsSync(join(project, '.env')), 'no key in a file git would commit');
    assert.equal(readFileSync(join(project, 'compose.yaml'), 'utf8'), composeWithSecret());
  });

  it('stale temporary files of a killed run are removed', () => {
    const dead = 2 ** 22 + 17;
    const { parent, project } = layout({ 'project/compose.yaml': composeWithSecret(), 'project/.gitignore': '.env\n', [`project/.env.portcullis-${dead}-00112233445566ff.tmp`]: `API_TOKEN=${TOKEN}\n`, [`project/..env.portcullis-${dead}.tmp`]: `API_TOKEN=${TOKEN}\n` });
    assert.equal(fix(parent, project).code, 0);
    assert.deepEqual(readdirSync(project).filter((f) => f.includes('portcullis')), []);
  });

  it('a file changed between the lint and the write is not overwritten (reported)', () => {
    const { project } = layout({ 'project/compose.yaml': 'image: a\n' });
    const file = join(project, 'compose.yaml');
    writeFileSync(file, 'image: saved by the user\n');
    const finding: Finding = { rule: 'x/y', severity: 'warning', file, range: { start: { line: 0, character: 7 }, end: { line: 0, character: 8 } }, message: 'm', fixes: [{ title: 't', preferred: true, edits: [{ file, range: { start: { line: 0, character: 7 }, end: { line: 0, character: 8 } }, newText: 'b' }] }] };
    const done = applyPreferredFixes([finding], (f) => (f === file ? 'image: a\n' : undefined), { roots: [project] });
    assert.equal(done.length, 0);
    assert.deepEqual(done.failures.map((f) => f.reason), ['changed since it was read: not overwritten']);
    assert.equal(readFileSync(file, 'utf8'), 'image: saved by the user\n');
  });

  it('a file is written back in its encoding (a UTF-8 byte-order mark kept, UTF-16 kept)', () => {
    const { project } = layout({});
    const edit = (file: string): Finding => ({ rule: 'x/y', severity: 'warning', file, range: { start: { line: 0, character: 7 }, end: { line: 0, character: 8 } }, message: 'm', fixes: [{ title: 't', preferred: true, edits: [{ file, range: { start: { line: 0, character: 7 }, end: { line: 0, character: 8 } }, newText: 'b' }] }] });
    const bom = join(project, 'bom.yaml');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('image: a\n')]));
    assert.equal(applyPreferredFixes([edit(bom)], (f) => (f === bom ? 'image: a\n' : undefined), { roots: [project] }).length, 1);
    assert.deepEqual(readFileSync(bom), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('image: b\n')]));
    const u16 = join(project, 'u16.yaml');
    writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('image: a\n', 'utf16le')]));
    assert.equal(applyPreferredFixes([edit(u16)], (f) => (f === u16 ? 'image: a\n' : undefined), { roots: [project] }).length, 1);
    assert.deepEqual(readFileSync(u16), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('image: b\n', 'utf16le')]));
  });

  it('a fix with an edit outside the roots is skipped whole: none of its files written', () => {
    const { parent, project } = layout({ 'project/a.conf': 'secret\n' });
    const file = join(project, 'a.conf');
    const outside = join(parent, 'elsewhere.env');
    const finding: Finding = { rule: 'x/y', severity: 'warning', file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } }, message: 'm', fixes: [{ title: 't', preferred: true, edits: [{ file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } }, newText: '${K}' }, { file: outside, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'K=secret\n' }] }] };
    const done = applyPreferredFixes([finding], (f) => (f === file ? 'secret\n' : undefined), { roots: [project] });
    assert.equal(done.length, 0);
    assert.equal(done.failures.length, 1);
    assert.equal(readFileSync(file, 'utf8'), 'secret\n');
    assert.ok(!existsSync(outside));
  });
});
