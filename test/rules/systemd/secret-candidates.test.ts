/** systemd's part in secrets/hardcoded-secret: which values of a unit it checks, at exact ranges, and the EnvironmentFile= move. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runAsync } from '../../../cli/main';
import { applyEdits, lintText, lintTextAsync, maskSecret, type Finding, type Fix } from '../../../rules';
import { applyFix, assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { fakeKeys } from '../secrets/fake-keys';

const RULE = 'secrets/hardcoded-secret';
const DROPIN = '/etc/systemd/system/litellm.service.d/override.conf';
const ENV = '/etc/systemd/system/litellm.service.d/secrets.env';
const check = (text: string, file = DROPIN) => only(lint(text, { file }), RULE);
const KEY = fakeKeys().find((k) => !k.library && !k.name)!;
const TOKEN = 'Zq8vN2rT5wX1yB4k';

/** An in-memory workspace holding the env file. */
function workspace(files: Record<string, string> = {}) {
  const map = new Map(Object.entries(files));
  return { map, read: (p: string) => map.get(p) };
}

const withWorkspace = (text: string, ws: ReturnType<typeof workspace>, file = DROPIN) => lintText(file, text, { workspace: ws }).findings.filter((f) => f.rule === RULE);

/** The fix's edits of the env file, applied to what it holds (nothing: a new file). */
function envAfter(fix: Fix, before = '', envFile = ENV): string {
  const edits = fix.edits.filter((e) => e.file === envFile);
  const { text, skipped } = applyEdits(before, edits);
  assert.equal(skipped.length, 0);
  return text;
}

/** Applies the preferred fix of `f` and checks the contract: finding gone, no new one, nothing offered twice. */
function fixed(text: string, f: Finding, file = DROPIN): string {
  const fix = f.fixes.find((x) => x.preferred)!;
  assert.ok(fix, 'a preferred fix');
  const out = applyFix(text, fix, file);
  const after = check(out, file);
  assert.equal(after.length, check(text, file).length - 1, 'exactly its finding is gone');
  assert.ok(!after.some((g) => g.fixes.some((x) => x.title === fix.title && JSON.stringify(x.edits) === JSON.stringify(fix.edits))), 'applying it again changes nothing');
  return out;
}

describe('systemd secret candidates', () => {
  it('checks Environment= values, quoted or not, at the value', () => {
    const text = lines('[Service]', `Environment="LLM_KEY=${KEY.value}" MODE=prod`, `Environment=API_TOKEN=${TOKEN}`);
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, KEY.value), rangeOf(text, TOKEN)]);
    assert.equal(found[0].severity, 'error');
    assert.equal(found[1].severity, 'warning');
    assert.ok(found.every((f) => !f.message.includes(KEY.value) && !f.message.includes(TOKEN)), 'masked');
  });

  it('checks Exec*= arguments: --flag=value, --flag value, bare keys', () => {
    const text = lines('[Service]', 'ExecStart=', `ExecStart=/usr/bin/litellm --api-key=${TOKEN} \\`, '  --auth-token Qm3pL7sK9dF2hJ6w', `ExecStartPost=/bin/echo ${KEY.value}`);
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, TOKEN), rangeOf(text, 'Qm3pL7sK9dF2hJ6w'), rangeOf(text, KEY.value)]);
  });

  it('every generated key in every place (Environment= word, quoted word, --flag=, --flag value, bare argument): found once, at the key, masked, with a fix', async () => {
    for (const k of fakeKeys(3)) {
      const name = k.name ?? 'PROVIDER_KEY';
      const text = lines(
        '[Service]',
        `Environment=MODE=prod ${name}=${k.value}`,
        `Environment="${name}=${k.value}"`,
        'ExecStart=',
        `ExecStart=/usr/bin/app --api-key=${k.value} \\`,
        `  --token ${k.value}`,
        `ExecStartPost=/usr/bin/notify ${k.value}`,
      );
      const found = (await lintTextAsync(DROPIN, text)).findings.filter((f) => f.rule === RULE);
      // AWS's secret key is recognised only beside its setting's name; the secret-named flags still flag it (as a warning).
      const expected = k.name ? [0, 1, 2, 3] : [0, 1, 2, 3, 4];
      assert.deepEqual(found.map((f) => f.range), expected.map((i) => rangeOf(text, k.value, i)), k.provider);
      for (const f of found) {
        assert.ok(!f.message.includes(k.value) && f.message.includes(maskSecret(k.value)), `${k.provider} masked: ${f.message}`);
        assert.equal(f.fixes.filter((x) => x.preferred).length, 1, `${k.provider} has a fix`);
      }
    }
  });

  it('stays silent on placeholders, paths, *_FILE, commented lines, other settings and ignored sections', () => {
    const text = lines(
      '[Service]',
      'Environment=API_KEY=changeme OPENAI_API_KEY=your-api-key-here TOKEN_FILE=/run/secrets/token',
      'EnvironmentFile=/etc/litellm/secrets.env',
      `# Environment=API_TOKEN=${TOKEN}`,
      `Description=${TOKEN}`,
      'LoadCredential=api-token:/etc/litellm/token',
      'ExecStart=/usr/bin/litellm --api-key-file=%d/api-token --token ${API_TOKEN}',
      '[X-Vendor]',
      `Environment=API_TOKEN=${TOKEN}`,
    );
    assert.deepEqual(check(text), []);
  });
});

describe('systemd secrets fix: EnvironmentFile=', () => {
  it('the only word of Environment=: the line goes, EnvironmentFile= comes after the header, NAME=value goes to a new env file', () => {
    const text = lines('[Service]', 'User=litellm', `Environment=API_TOKEN=${TOKEN}`, 'Restart=always');
    const [f] = check(text);
    const fix = f.fixes[0];
    assert.equal(fix.title, `Move API_TOKEN to EnvironmentFile=${ENV}`);
    assert.equal(fix.preferred, true);
    assertFixWorks(text, RULE, undefined, lines('[Service]', `EnvironmentFile=${ENV}`, 'User=litellm', 'Restart=always'), { file: DROPIN });
    assert.equal(envAfter(fix), `API_TOKEN=${TOKEN}\n`);
    // Outputs show the env file's new line masked.
    const envEdit = fix.edits.find((e) => e.file === ENV)!;
    assert.equal(envEdit.redacted, `API_TOKEN=${maskSecret(TOKEN)}\n`);
  });

  it('one word among others: only that word and its separating blank leave the line (first, middle, last, continued)', () => {
    const text = lines('[Service]', `Environment=API_TOKEN=${TOKEN} MODE=prod`, `Environment=A=1 "DB_PASSWORD=Pw7xK2mQ9vL4" B=2`, `Environment=C=3 \\`, `  REDIS_PASSWORD=Hx5tR8wN2qJ6`);
    const found = check(text);
    assert.equal(found.length, 3);
    const header = lines('[Service]', `EnvironmentFile=${ENV}`);
    assert.equal(fixed(text, found[0]), header + lines('Environment=MODE=prod', `Environment=A=1 "DB_PASSWORD=Pw7xK2mQ9vL4" B=2`, `Environment=C=3 \\`, '  REDIS_PASSWORD=Hx5tR8wN2qJ6'));
    assert.equal(fixed(text, found[1]), header + lines(`Environment=API_TOKEN=${TOKEN} MODE=prod`, 'Environment=A=1 B=2', `Environment=C=3 \\`, '  REDIS_PASSWORD=Hx5tR8wN2qJ6'));
    assert.equal(fixed(text, found[2]), header + lines(`Environment=API_TOKEN=${TOKEN} MODE=prod`, `Environment=A=1 "DB_PASSWORD=Pw7xK2mQ9vL4" B=2`, 'Environment=C=3'));
    assert.equal(envAfter(found[1].fixes[0]), 'DB_PASSWORD=Pw7xK2mQ9vL4\n');
  });

  it('a key inside a longer value moves the whole assignment under its own name', () => {
    const text = lines('[Service]', `Environment="AUTH_HEADER=Bearer ${KEY.value}"`);
    const [f] = check(text);
    assert.deepEqual(f.range, rangeOf(text, KEY.value));
    assert.equal(fixed(text, f), lines('[Service]', `EnvironmentFile=${ENV}`));
    assert.equal(envAfter(f.fixes[0]), `AUTH_HEADER='Bearer ${KEY.value}'\n`);
  });

  it('an Exec*= argument becomes ${NAME}: named by its flag, or by the unit for a bare value', () => {
    const text = lines('[Service]', 'ExecStart=', `ExecStart=/usr/bin/litellm --api-key=${TOKEN} \\`, '  --auth-token Qm3pL7sK9dF2hJ6w', `ExecStartPost=/bin/notify ${KEY.value}`);
    const [a, b, c] = check(text);
    const header = lines('[Service]', `EnvironmentFile=${ENV}`);
    assert.equal(a.fixes[0].title, `Replace with \${API_KEY} and move the value to EnvironmentFile=${ENV}`);
    assert.equal(fixed(text, a), header + lines('ExecStart=', 'ExecStart=/usr/bin/litellm --api-key=${API_KEY} \\', '  --auth-token Qm3pL7sK9dF2hJ6w', `ExecStartPost=/bin/notify ${KEY.value}`));
    assert.equal(envAfter(a.fixes[0]), `API_KEY=${TOKEN}\n`);
    assert.equal(fixed(text, b), header + lines('ExecStart=', `ExecStart=/usr/bin/litellm --api-key=${TOKEN} \\`, '  --auth-token ${AUTH_TOKEN}', `ExecStartPost=/bin/notify ${KEY.value}`));
    assert.equal(fixed(text, c), header + lines('ExecStart=', `ExecStart=/usr/bin/litellm --api-key=${TOKEN} \\`, '  --auth-token Qm3pL7sK9dF2hJ6w', 'ExecStartPost=/bin/notify ${LITELLM_SECRET}'));
    assert.equal(envAfter(c.fixes[0]), `LITELLM_SECRET=${KEY.value}\n`);
  });

  it('keeps an EnvironmentFile= line that is already there (with or without -), and appends to an existing env file', () => {
    const text = lines('[Service]', `EnvironmentFile=-${ENV}`, `Environment=API_TOKEN=${TOKEN}`);
    const ws = workspace({ [ENV]: 'MODE=prod' });
    const [f] = withWorkspace(text, ws);
    assert.equal(applyFix(text, f.fixes[0], DROPIN), lines('[Service]', `EnvironmentFile=-${ENV}`));
    assert.equal(envAfter(f.fixes[0], 'MODE=prod'), `MODE=prod\nAPI_TOKEN=${TOKEN}\n`);
  });

  it('an env file that already holds the value: only the unit changes; another value under that name: no fix', () => {
    const text = lines('[Service]', `Environment=API_TOKEN=${TOKEN}`);
    const [same] = withWorkspace(text, workspace({ [ENV]: `API_TOKEN=${TOKEN}\n` }));
    assert.deepEqual(same.fixes[0].edits.filter((e) => e.file === ENV), []);
    const [other] = withWorkspace(text, workspace({ [ENV]: 'API_TOKEN=Other9value8here\n' }));
    assert.deepEqual(other.fixes, []);
  });

  it('%% is written to the env file as %', () => {
    const text = lines('[Service]', 'Environment=DB_PASSWORD=Pw7x%%K2mQ9vL4');
    const [f] = check(text);
    assert.equal(envAfter(f.fixes[0]), 'DB_PASSWORD=Pw7x%K2mQ9vL4\n');
  });

  it('the env file is written beside the unit the file names, EnvironmentFile= where the installed unit reads it: a unit, a user unit, units kept in a repository', () => {
    const text = lines('[Unit]', 'Description=x', '[Service]', `Environment=API_TOKEN=${TOKEN}`);
    const fix = (file: string) => check(text, file)[0].fixes[0];
    const title = (file: string) => fix(file)?.title;
    const envEdit = (file: string) => fix(file).edits.find((e) => e.file?.endsWith('.env'))?.file;
    assert.equal(title('/etc/systemd/system/ollama.service'), 'Move API_TOKEN to EnvironmentFile=/etc/systemd/system/ollama.service.d/secrets.env');
    assert.equal(title('/home/ana/.config/systemd/user/ollama.service'), 'Move API_TOKEN to EnvironmentFile=/home/ana/.config/systemd/user/ollama.service.d/secrets.env');
    // Kept in a repository: the file goes beside the unit (never to /etc on the machine running the fix), and the title says so.
    assert.equal(title('/work/project/deploy/ollama.service'), 'Move API_TOKEN to EnvironmentFile=/etc/systemd/system/ollama.service.d/secrets.env (written beside the unit: ollama.service.d/secrets.env)');
    assert.equal(envEdit('/work/project/deploy/ollama.service'), '/work/project/deploy/ollama.service.d/secrets.env');
    // A repository that mirrors the machine's layout: the installed path is the one below the repository.
    assert.equal(title('/work/project/etc/systemd/system/ollama.service'), 'Move API_TOKEN to EnvironmentFile=/etc/systemd/system/ollama.service.d/secrets.env (written beside the unit: ollama.service.d/secrets.env)');
    assert.equal(envEdit('/work/project/etc/systemd/system/ollama.service'), '/work/project/etc/systemd/system/ollama.service.d/secrets.env');
    assert.equal(envEdit('/work/project/usr/lib/systemd/system/ollama.service.d/override.conf'), '/work/project/usr/lib/systemd/system/ollama.service.d/secrets.env');
    assert.match(title('/work/project/usr/lib/systemd/system/ollama.service.d/override.conf'), /EnvironmentFile=\/usr\/lib\/systemd\/system\/ollama\.service\.d\/secrets\.env /);
    assert.equal(envEdit('/etc/systemd/system/ollama.service'), '/etc/systemd/system/ollama.service.d/secrets.env');
    // An EnvironmentFile= line naming either path already is kept.
    const listed = lines('[Service]', 'EnvironmentFile=-/etc/systemd/system/ollama.service.d/secrets.env', `Environment=API_TOKEN=${TOKEN}`);
    assert.equal(applyFix(listed, check(listed, '/work/project/deploy/ollama.service')[0].fixes[0], '/work/project/deploy/ollama.service'), lines('[Service]', 'EnvironmentFile=-/etc/systemd/system/ollama.service.d/secrets.env'));
    // Inserted in the section the assignment is in.
    assert.equal(applyFix(text, check(text, '/etc/systemd/system/ollama.service')[0].fixes[0], '/etc/systemd/system/ollama.service'), lines('[Unit]', 'Description=x', '[Service]', 'EnvironmentFile=/etc/systemd/system/ollama.service.d/secrets.env'));
  });

  it('offers no fix where the move would change what the program gets or where the file is unknown', () => {
    // A lone override.conf names no unit; `:` turns off ${} expansion; %i is a specifier; escapes are inexact.
    assert.deepEqual(check(lines('[Service]', `Environment=API_TOKEN=${TOKEN}`), '/work/project/override.conf')[0].fixes, []);
    assert.deepEqual(check(lines('[Service]', `ExecStart=:/usr/bin/litellm --api-key=${TOKEN}`))[0].fixes, []);
    assert.deepEqual(check(lines('[Service]', 'Environment=API_TOKEN=Zq8vN2rT5wX1y%iB4k'))[0].fixes, []);
    assert.deepEqual(check(lines('[Service]', 'Environment="API_TOKEN=Zq8vN2rT\\x355wX1yB4k"'))[0].fixes, []);
  });

  it('a key secretlint finds (asynchronous pass) gets the same move', async () => {
    const groq = fakeKeys().find((k) => k.provider === 'Groq')!.value;
    const text = lines('[Service]', `Environment=GROQ_API_KEY=${groq} MODE=prod`);
    const found = (await lintTextAsync(DROPIN, text)).findings.filter((f) => f.rule === RULE);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, groq)]);
    assert.equal(found[0].severity, 'error');
    assert.equal(applyFix(text, found[0].fixes[0], DROPIN), lines('[Service]', `EnvironmentFile=${ENV}`, 'Environment=MODE=prod'));
    assert.equal(envAfter(found[0].fixes[0]), `GROQ_API_KEY=${groq}\n`);
  });

  describe('the CLI', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-sd-secrets-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('reports masked in text, JSON and SARIF; --fix moves every secret of a user unit: env file created with mode 0600', async () => {
      // A user unit: its env file goes under the same folder (a system unit's would go to /etc).
      const units = join(dir, '.config/systemd/user');
      mkdirSync(join(units, 'ollama.service.d'), { recursive: true });
      const unit = join(units, 'ollama.service');
      const envFile = join(units, 'ollama.service.d/secrets.env');
      writeFileSync(unit, lines('[Service]', `Environment=API_TOKEN=${TOKEN} OLLAMA_HOST=127.0.0.1`, `ExecStart=/usr/bin/ollama serve --api-key=${KEY.value}`));
      for (const format of ['text', 'json', 'sarif']) {
        let report = '';
        const code = await runAsync(['--format', format, '.config/systemd/user/ollama.service'], { cwd: dir, stdout: (s) => (report += s), stderr: (s) => (report += s), isTTY: false });
        assert.equal(code, 1);
        assert.ok(report.includes(RULE) && !report.includes(TOKEN) && !report.includes(KEY.value), `${format}: reported, masked, fix edits included`);
      }
      let out = '';
      let err = '';
      const code = await runAsync(['--fix', '--format', 'json', '.config/systemd/user/ollama.service'], { cwd: dir, stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false });
      assert.ok(![out, err].some((o) => o.includes(TOKEN) || o.includes(KEY.value)), 'no secret in the output');
      assert.equal(readFileSync(unit, 'utf8'), lines('[Service]', `EnvironmentFile=${envFile}`, 'Environment=OLLAMA_HOST=127.0.0.1', 'ExecStart=/usr/bin/ollama serve --api-key=${API_KEY}'));
      assert.equal(readFileSync(envFile, 'utf8'), `API_TOKEN=${TOKEN}\nAPI_KEY=${KEY.value}\n`);
      assert.equal(statSync(envFile).mode & 0o777, 0o600);
      assert.ok(!JSON.parse(out).findings.some((f: Finding) => f.rule === RULE));
      assert.notEqual(code, 2);
    });
  });
});
