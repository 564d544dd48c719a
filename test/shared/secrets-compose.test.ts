/**
 * The secrets fix against the real tool: after moving every secret to `.env`, `docker-compose
 * config` accepts the file and resolves it to exactly what it resolved to before — on a generated
 * file holding every supported key format in every compose place, and on the corpus files where
 * the rule reports something.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { diskWorkspace, runAsync } from '../../cli/main';
import { applyPreferredFixes } from '../../cli/fix';
import { lintTextAsync } from '../../rules';
import { lines } from '../helpers';
import { fakeKeys } from '../rules/secrets/fake-keys';

const shared = resolve(__dirname, '../../../shared');
const RULE = 'secrets/hardcoded-secret';
const hasCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;

function config(dir: string, file: string) {
  const r = spawnSync('docker-compose', ['-f', file, 'config'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir } });
  return { ok: r.status === 0, out: r.stdout, err: r.stderr };
}

describe('secrets: fixed compose files stay valid for docker-compose', { skip: !hasCompose && 'docker-compose is not installed' }, () => {
  const root = mkdtempSync(join(tmpdir(), 'portcullis-secrets-shared-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('every generated key in every place: moved, accepted by `docker-compose config -q`, resolving to the same values', async () => {
    const keys = fakeKeys(11);
    const dir = join(root, 'generated');
    spawnSync('mkdir', ['-p', dir]);
    const text = lines(
      'version: "3.8"',
      'x-common: &common',
      '  image: example/app:1',
      '  environment:',
      `    ANCHORED_TOKEN: '${keys[0].value}'`,
      'services:',
      '  a:',
      '    <<: *common',
      '  b:',
      '    <<: *common',
      '  app:',
      '    image: example/app:1',
      '    environment:',
      ...keys.map((k, i) => `      - ${k.name ?? `KEY_${i}`}=${k.value}`),
      '      - DB_PASSWORD=Zq8vLr2mXw9p',
      '      - REDIS_URL=redis://default:Pq7Rs9Tu1Vw@redis:6379/0',
      '  mapped:',
      '    image: example/app:1',
      '    environment:',
      ...keys.map((k, i) => `      ${k.name ?? `MAPPED_${i}`}: "${k.value}"`),
      '    labels:',
      `      com.example.key: "${keys[1].value}"`,
      '  listed:',
      '    image: example/app:1',
      '    labels:',
      `      - "com.example.other=${keys[2].value}"`,
      `    command: serve --api-key=${keys[3].value} --token ${keys[4].value}`,
      '  argv:',
      '    image: example/app:1',
      `    command: ["serve", "--key", "${keys[5].value}"]`,
    );
    writeFileSync(join(dir, 'docker-compose.yml'), text);
    const before = config(dir, 'docker-compose.yml');
    assert.ok(before.ok, before.err);
    let out = '';
    await runAsync(['--fix', '--format', 'json', 'docker-compose.yml'], { cwd: dir, stdout: (s) => (out += s), stderr: () => {}, isTTY: false });
    const fixed = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
    for (const k of keys) assert.ok(!fixed.includes(k.value), `${k.provider} left in the compose file`);
    assert.ok(!JSON.parse(out).findings.some((f: { rule: string }) => f.rule === RULE), 'no secret left after --fix');
    assert.ok(existsSync(join(dir, '.env')));
    const q = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: dir, encoding: 'utf8' });
    assert.equal(q.status, 0, q.stderr);
    assert.equal(config(dir, 'docker-compose.yml').out, before.out, 'the resolved configuration is unchanged');
  });

  it('corpus: every file the rule reports on resolves the same after its secrets move to .env', async (t) => {
    const corpus = join(shared, 'corpus', 'compose');
    if (!existsSync(corpus)) return t.skip('no corpus');
    let reported = 0;
    let same = 0;
    let skipped = 0;
    const disagreements: string[] = [];
    for (const name of readdirSync(corpus).sort()) {
      const text = readFileSync(join(corpus, name), 'utf8');
      const dir = mkdtempSync(join(root, 'corpus-'));
      const file = join(dir, 'docker-compose.yml');
      copyFileSync(join(corpus, name), file);
      // The corpus is read-only, and so its copies: --fix refuses a read-only file (it is the user's word).
      chmodSync(file, 0o644);
      const lint = async () => (await lintTextAsync(file, readFileSync(file, 'utf8'), { format: 'compose', workspace: diskWorkspace })).findings.filter((f) => f.rule === RULE);
      let findings = await lint();
      if (!findings.length) continue;
      reported++;
      // env_file entries the corpus does not ship are created empty, so the file can be resolved.
      for (const m of text.matchAll(/env_file:\s*(?:\n\s*-\s*)?["']?([\w./-]+)["']?/g)) if (!m[1].startsWith('/')) writeFileSync(join(dir, m[1]), '', { flag: 'a' });
      const before = config(dir, 'docker-compose.yml');
      if (!before.ok) {
        // The file needs what the corpus does not ship (build contexts, newer syntax).
        t.diagnostic(`${name}: not checkable: ${before.err.split('\n').filter((l) => !/variable is not set/.test(l))[0]}`);
        skipped++;
        continue;
      }
      for (let pass = 0; pass < 50 && findings.length; pass++) {
        if (!applyPreferredFixes(findings, () => undefined).length) break;
        findings = await lint();
      }
      const afterFix = config(dir, 'docker-compose.yml');
      // Known difference: a service with `env_file: .env` also receives the moved variables (the
      // project's .env is both compose's interpolation source and that service's env file).
      if (/env_file:\s*(?:\n\s*-\s*)?["']?(?:\.\/)?\.env["']?\s*$/m.test(text)) {
        const moved = new Set(readFileSync(join(dir, '.env'), 'utf8').split('\n').map((l) => l.split('=')[0]).filter(Boolean));
        // Compared without the moved variables' lines (the rest must be identical).
        const strip = (out: string) => out.split('\n').filter((l) => !(/^ {6}[A-Z0-9_]+: /.test(l) && moved.has(l.trim().split(':')[0]))).join('\n');
        afterFix.out = strip(afterFix.out);
        before.out = strip(before.out);
        t.diagnostic(`${name}: reads .env as an env_file, so its service also receives the ${moved.size} moved variables`);
      }
      if (afterFix.ok && afterFix.out === before.out && !findings.some((f) => f.fixes.length)) same++;
      else disagreements.push(`${name}: ${afterFix.err.split('\n')[0] || 'resolved configuration differs'}`);
    }
    t.diagnostic(`corpus: ${reported} files with secrets, ${same} resolve identically after the fix, ${skipped} not checkable by docker-compose 1.29`);
    assert.deepEqual(disagreements, []);
  });
});
