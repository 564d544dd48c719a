/** io/write.ts: the one safe write of `--fix` — inside the roots, O_EXCL random temp, links kept, mode/owner kept, no lost edit. */
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readRegularFile, removeStaleTemps, tempNameFor, writeFileSafely } from '../../io/write';
import { applyEdits, collectPreferredEdits, type Finding } from '../../rules';

const base = mkdtempSync(join(tmpdir(), 'portcullis-write-'));
after(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
/** A project folder and an outside folder beside it, both in the test's temporary folder. */
function setup() {
  const top = join(base, String(n++));
  const project = join(top, 'project');
  const outside = join(top, 'outside');
  mkdirSync(project, { recursive: true });
  mkdirSync(outside);
  return { project, outside, roots: [project] };
}
const same = (expected: Buffer | undefined) => (current: Buffer | undefined) => (expected === undefined ? current === undefined : !!current && current.equals(expected));
const write = (file: string, text: string, roots: string[], expected: Buffer | undefined = existsSync(file) ? readFileSync(file) : undefined, newMode?: number) =>
  writeFileSafely({ file, bytes: Buffer.from(text), unchanged: same(expected), roots, newMode });
const noTemps = (dir: string) => assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.portcullis-')), [], 'no temporary file left');

describe('io/write: writeFileSafely', () => {
  it('writes a file inside the roots, keeping its mode; a new file gets newMode; no temp left', () => {
    const { project, roots } = setup();
    const f = join(project, 'compose.yaml');
    writeFileSync(f, 'a\n');
    chmodSync(f, 0o640);
    assert.deepEqual(write(f, 'b\n', roots), { ok: true, path: f });
    assert.equal(readFileSync(f, 'utf8'), 'b\n');
    assert.equal(statSync(f).mode & 0o7777, 0o640);
    const env = join(project, 'sub', '.env');
    assert.deepEqual(write(env, 'K=v\n', roots, undefined, 0o600), { ok: true, path: env });
    assert.equal(statSync(env).mode & 0o777, 0o600);
    noTemps(project);
    noTemps(join(project, 'sub'));
  });

  it('refuses a file outside the roots, and never creates folders outside', () => {
    const { project, outside, roots } = setup();
    assert.equal(write(join(outside, '.gitignore'), '.env\n', roots).ok, false);
    assert.equal(write(join(project, '..', 'outside', 'x', 'y.env'), 'K=v\n', roots).ok, false);
    assert.deepEqual(readdirSync(outside), []);
  });

  it('a symlink inside pointing inside: the target updated, the link kept', () => {
    const { project, roots } = setup();
    mkdirSync(join(project, 'secrets'));
    const real = join(project, 'secrets', 'app.env');
    writeFileSync(real, 'A=1\n');
    const link = join(project, '.env');
    symlinkSync('secrets/app.env', link);
    const r = write(link, 'A=1\nB=2\n', roots);
    assert.deepEqual(r, { ok: true, path: real });
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), 'secrets/app.env');
    assert.equal(readFileSync(real, 'utf8'), 'A=1\nB=2\n');
    noTemps(join(project, 'secrets'));
  });

  it('a symlink (of the file or of its folder) pointing outside: refused, the outside file unchanged', () => {
    const { project, outside, roots } = setup();
    const secret = join(outside, 'credentials');
    writeFileSync(secret, 'keep\n');
    symlinkSync(secret, join(project, '.env'));
    const r = write(join(project, '.env'), 'X=1\n', roots);
    assert.equal(r.ok, false);
    assert.match((r as { reason: string }).reason, /outside the project/);
    symlinkSync(outside, join(project, 'conf'));
    assert.equal(write(join(project, 'conf', 'credentials'), 'X=1\n', roots).ok, false);
    assert.equal(write(join(project, 'conf', 'new.env'), 'X=1\n', roots).ok, false);
    assert.equal(readFileSync(secret, 'utf8'), 'keep\n');
    assert.deepEqual(readdirSync(outside), ['credentials']);
    // A dangling link: a write would create its target wherever it points.
    symlinkSync(join(outside, 'nothing'), join(project, 'dangling.env'));
    assert.equal(write(join(project, 'dangling.env'), 'X=1\n', roots).ok, false);
    assert.deepEqual(readdirSync(outside), ['credentials']);
  });

  it('temporary names are random, start with the target name and are opened O_EXCL: a link planted at the old predictable name is never followed', () => {
    const { project, outside, roots } = setup();
    const a = tempNameFor(join(project, '.env'));
    assert.match(a, /^\.env\.portcullis-\d+-[0-9a-f]{16}\.tmp$/);
    assert.notEqual(a, tempNameFor(join(project, '.env')));
    const victim = join(outside, 'victim');
    writeFileSync(victim, 'keep\n');
    // What older versions used: `.<name>.portcullis-<pid>.tmp`.
    symlinkSync(victim, join(project, `..env.portcullis-${process.pid}.tmp`));
    writeFileSync(join(project, '.env'), 'A=1\n');
    assert.equal(write(join(project, '.env'), 'A=2\n', roots).ok, true);
    assert.equal(readFileSync(victim, 'utf8'), 'keep\n');
    assert.equal(readFileSync(join(project, '.env'), 'utf8'), 'A=2\n');
  });

  it('a read-only file (0440) is reported and left as it is, even for root', () => {
    const { project, roots } = setup();
    const f = join(project, 'nginx.conf');
    writeFileSync(f, 'a\n');
    chmodSync(f, 0o440);
    const r = write(f, 'b\n', roots);
    assert.equal(r.ok, false);
    assert.match((r as { reason: string }).reason, /read-only/);
    assert.equal(readFileSync(f, 'utf8'), 'a\n');
    assert.equal(statSync(f).mode & 0o777, 0o440);
    noTemps(project);
  });

  it('keeps the owner and group (fchown, when running as root); as another user, a file it does not own is refused', { skip: process.getuid?.() !== 0 && 'needs root to create a file owned by someone else' }, () => {
    const { project, roots } = setup();
    const f = join(project, 'app.service');
    writeFileSync(f, 'a\n');
    chownSync(f, 1234, 2345);
    assert.equal(write(f, 'b\n', roots).ok, true);
    assert.deepEqual([statSync(f).uid, statSync(f).gid], [1234, 2345]);
    // The same write by a normal user (uid 1234 does not own a root file): refused.
    const g = join(project, 'root.conf');
    writeFileSync(g, 'a\n');
    for (let d = project; d !== tmpdir(); d = join(d, '..')) chmodSync(d, 0o755);
    chmodSync(project, 0o777);
    const script = `const { writeFileSafely } = require(${JSON.stringify(join(__dirname, '../../io/write.ts'))}); const r = writeFileSafely({ file: ${JSON.stringify(g)}, bytes: Buffer.from('b'), unchanged: () => true, roots: [${JSON.stringify(project)}] }); process.stdout.write(JSON.stringify(r));`;
    let out: string;
    try {
      out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { uid: 1234, gid: 2345, encoding: 'utf8', cwd: join(__dirname, '../..') });
    } catch {
      return; // tsx not reachable as that user: the root half is what matters here.
    }
    assert.equal(JSON.parse(out).ok, false);
    assert.match(JSON.parse(out).reason, /another user/);
    assert.equal(readFileSync(g, 'utf8'), 'a\n');
  });

  it('a file changed since it was read is not overwritten; a file created since is not either', () => {
    const { project, roots } = setup();
    const f = join(project, 'compose.yaml');
    writeFileSync(f, 'read\n');
    const seen = readFileSync(f);
    writeFileSync(f, 'saved by the user\n');
    const r = write(f, 'fixed\n', roots, seen);
    assert.equal(r.ok, false);
    assert.match((r as { reason: string }).reason, /changed since it was read/);
    assert.equal(readFileSync(f, 'utf8'), 'saved by the user\n');
    // Absent when read, there now (someone created it): not overwritten either.
    const g = join(project, '.env');
    writeFileSync(g, 'theirs\n');
    assert.equal(writeFileSafely({ file: g, bytes: Buffer.from('X=1\n'), roots, unchanged: same(undefined) }).ok, false);
    assert.equal(readFileSync(g, 'utf8'), 'theirs\n');
    noTemps(project);
  });

  it('removes stale temporary files of writers that are gone, not a live writer\'s, not other files', () => {
    const { project } = setup();
    const dead = 2 ** 22 + 17; // above Linux's pid_max: no such process
    const stale = [`.env.portcullis-${dead}-0123456789abcdef.tmp`, `..env.portcullis-${dead}.tmp`];
    const keep = [`.env.portcullis-${process.ppid}-0123456789abcdef.tmp`, '.env', 'portcullis.tmp'];
    for (const f of [...stale, ...keep]) writeFileSync(join(project, f), 'K=secret\n');
    assert.deepEqual(removeStaleTemps(project).sort(), [...stale].sort());
    assert.deepEqual(readdirSync(project).sort(), [...keep].sort());
    // And a write into that folder does it on its way.
    writeFileSync(join(project, stale[0]), 'K=secret\n');
    assert.equal(write(join(project, '.env'), 'K=other\n', [project]).ok, true);
    assert.ok(!existsSync(join(project, stale[0])));
  });

  /** A writer in a child process, paused after its temporary file is written (in `unchanged`) and killed there. */
  async function killedMidWrite(project: string, signal: NodeJS.Signals) {
    const script = `const { writeFileSafely } = require(${JSON.stringify(join(__dirname, '../../io/write.ts'))}); writeFileSafely({ file: ${JSON.stringify(join(project, '.env'))}, bytes: Buffer.from('K=secret'), roots: [${JSON.stringify(project)}], unchanged: () => { process.stdout.write('ready\\n'); const t = Date.now(); while (Date.now() - t < 1500) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50); return false; } });`;
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    assert.equal(readdirSync(project).filter((f) => f.includes('.portcullis-')).length, 1, 'the temp file exists while it writes');
    child.kill(signal);
    await new Promise((resolve) => child.on('exit', resolve));
  }

  it('SIGTERM mid-write: the temporary file is removed', async () => {
    const { project } = setup();
    await killedMidWrite(project, 'SIGTERM');
    noTemps(project);
    assert.ok(!existsSync(join(project, '.env')));
  });

  it('kill -9 mid-write: the temporary file left behind (holding the key) is removed by the next write in that folder', async () => {
    const { project } = setup();
    await killedMidWrite(project, 'SIGKILL');
    assert.equal(readdirSync(project).filter((f) => f.startsWith('.env.portcullis-')).length, 1, 'named so `.env*` in .gitignore hides it');
    assert.equal(write(join(project, 'compose.yaml'), 'x\n', [project]).ok, true);
    noTemps(project);
  });
});

describe('io/write: readRegularFile', () => {
  it('reads a regular file; a FIFO or a device is refused without blocking; a missing file is missing', () => {
    const { project } = setup();
    writeFileSync(join(project, 'a'), 'x');
    assert.deepEqual(readRegularFile(join(project, 'a')), { bytes: Buffer.from('x') });
    execFileSync('mkfifo', [join(project, 'fifo')]);
    assert.deepEqual(readRegularFile(join(project, 'fifo')), { error: 'not a regular file: not read' });
    assert.deepEqual(readRegularFile('/dev/zero'), { error: 'not a regular file: not read' });
    assert.deepEqual(readRegularFile(join(project, 'none')), { missing: true });
  });
});

describe('rules/core/fixes: edits of several fixes to one file merged once', () => {
  const file = '/p/nginx.conf';
  const at = (line: number, character: number) => ({ start: { line, character }, end: { line, character } });
  const finding = (rule: string, ...edits: { range: ReturnType<typeof at>; newText: string }[]): Finding => ({ rule, severity: 'warning', file, range: at(0, 0), message: 'm', fixes: [{ title: rule, preferred: true, edits: edits.map((e) => ({ ...e, file })) }] });

  it('an identical edit made by two fixes is applied once, and both fixes are taken', () => {
    const text = 'a\nb\n';
    const { byFile, fixes } = collectPreferredEdits([finding('x/one', { range: at(0, 1), newText: '\nz' }), finding('x/two', { range: at(0, 1), newText: '\nz' }, { range: at(1, 1), newText: ';' })]);
    assert.equal(fixes.length, 2);
    assert.equal(applyEdits(text, byFile.get(file)!).text, 'a\nz\nb;\n');
    // applyEdits itself makes a repeated edit once.
    assert.equal(applyEdits(text, [{ range: at(0, 1), newText: '!' }, { range: at(0, 1), newText: '!' }]).text, 'a!\nb\n');
  });

  it('syntax repairs go first: other fixes of that file wait for the next pass', () => {
    const { fixes } = collectPreferredEdits([finding('nginx/proxy-buffering-enabled', { range: at(0, 1), newText: '\nproxy_buffering off;' }), finding('nginx/syntax-error', { range: at(0, 1), newText: ';' })]);
    assert.deepEqual(fixes.map((f) => f.finding.rule), ['nginx/syntax-error']);
  });
});
