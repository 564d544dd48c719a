/**
 * The systemd secrets fix against the real tool: units and drop-ins holding every generated key
 * format (and secret-named values) in `Environment=` words and `Exec*=` arguments, every preferred
 * fix applied until none is left — the unit then passes `systemd-analyze verify` as cleanly as
 * before, no secret is left in it, and the env file gives back each value as written.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { applyEdits, collectPreferredEdits, lintTextAsync, type Finding } from '../../rules';
import { lines } from '../helpers';
import { fakeKeys } from '../rules/secrets/fake-keys';
import { ENVIRONMENTAL, hasSystemdAnalyze, verify } from './systemd-tool';

const RULE = 'secrets/hardcoded-secret';
const KEYS = fakeKeys(13);

function complaints(file: string, text: string): string[] {
  const v = verify(file, text);
  return [...v.lines.map(([l, m]) => `${l}: ${m}`), ...v.unit].map((m) => m.replace(/pcx\d+-?/g, '')).filter((m) => !ENVIRONMENTAL.test(m));
}

/** What `--fix` does, in memory: the preferred fix of every finding, pass after pass, until none is left. */
async function fixAll(file: string, text: string, files: Map<string, string>): Promise<{ text: string; passes: number; findings: Finding[] }> {
  const ws = { read: (p: string) => (p === file ? text : files.get(p)) };
  let passes = 0;
  for (;;) {
    const findings = (await lintTextAsync(file, text, { workspace: ws })).findings.filter((f) => f.rule === RULE);
    const { byFile } = collectPreferredEdits(findings);
    if (!byFile.size || passes > 50) return { text, passes, findings };
    for (const [f, edits] of byFile) {
      const before = f === file ? text : (files.get(f) ?? '');
      const out = applyEdits(before, edits).text;
      if (f === file) text = out;
      else files.set(f, out);
    }
    passes++;
  }
}

/** The variables the env file sets, as a shell reading it with `set -a` sees them. */
function sourced(envText: string, names: string[]): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-envfile-'));
  try {
    writeFileSync(join(dir, 'secrets.env'), envText);
    const script = `set -a; . ./secrets.env; ${names.map((n) => `printf '%s\\0' "$${n}"`).join('; ')}`;
    const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', env: {} });
    assert.equal(r.status, 0, r.stderr);
    const values = r.stdout.split('\0');
    return Object.fromEntries(names.map((n, i) => [n, values[i]]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Case {
  name: string;
  file: string;
  envFile: string;
  text: string;
  /** Variable → the value the service received before the fix. */
  expected: Record<string, string>;
}

function cases(): Case[] {
  const named = KEYS.filter((k) => !k.name);
  const aws = KEYS.find((k) => k.name)!;
  const expected: Record<string, string> = {};
  const env = named.map((k, i) => {
    expected[`KEY_${i}`] = k.value;
    return i % 3 === 0 ? `"KEY_${i}=${k.value}"` : `KEY_${i}=${k.value}`;
  });
  expected[aws.name!] = aws.value;
  expected.DB_PASSWORD = 'Pw7x%K2mQ9vL4';
  expected.API_KEY = KEYS[0].value;
  expected.AUTH_TOKEN = 'Qm3pL7sK9dF2hJ6w';
  expected.LITELLM_SECRET = KEYS[1].value;
  const service = [
    // Several assignments per line, one alone, one continued over two lines, one with %% (a literal %).
    `Environment=MODE=prod ${env.slice(0, 5).join(' ')} PORT=4000`,
    ...env.slice(5).map((e) => `Environment=${e}`),
    `Environment=${aws.name}=${aws.value} \\`,
    '  DB_PASSWORD=Pw7x%%K2mQ9vL4',
    'ExecStart=',
    `ExecStart=/usr/bin/litellm --api-key=${KEYS[0].value} \\`,
    '  --auth-token Qm3pL7sK9dF2hJ6w --port 4000',
    `ExecStartPost=/bin/echo ${KEYS[1].value}`,
  ];
  return [
    {
      name: 'drop-in',
      file: '/etc/systemd/system/litellm.service.d/override.conf',
      envFile: '/etc/systemd/system/litellm.service.d/secrets.env',
      text: lines('[Service]', ...service),
      expected,
    },
    {
      name: 'unit kept in a repository',
      file: '/work/project/deploy/litellm.service',
      // Written beside the unit (EnvironmentFile= names /etc/systemd/system/litellm.service.d/secrets.env, where it is installed).
      envFile: '/work/project/deploy/litellm.service.d/secrets.env',
      text: lines('[Unit]', 'Description=LiteLLM proxy', 'After=network-online.target', '', '[Service]', 'User=litellm', ...service.filter((l) => l !== 'ExecStart='), 'Restart=always', '', '[Install]', 'WantedBy=multi-user.target'),
      expected,
    },
    {
      name: 'user unit with the env file already listed and holding other values',
      file: '/home/ana/.config/systemd/user/ollama.service',
      envFile: '/home/ana/.config/systemd/user/ollama.service.d/secrets.env',
      text: lines('[Service]', 'EnvironmentFile=-/home/ana/.config/systemd/user/ollama.service.d/secrets.env', `Environment=OLLAMA_API_KEY=${KEYS[2].value}`, 'ExecStart=/usr/bin/ollama serve'),
      expected: { OLLAMA_API_KEY: KEYS[2].value, OTHER: 'kept' },
    },
  ];
}

describe('secrets: fixed systemd units stay valid for systemd-analyze verify', { skip: !hasSystemdAnalyze && 'systemd-analyze is not installed' }, () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  for (const c of cases()) {
    it(`${c.name}: every secret moved to ${c.envFile}, the unit verified, the values kept`, async () => {
      const before = complaints(c.file, c.text);
      assert.deepEqual(before, [], 'the generated unit is valid to begin with');
      const files = new Map<string, string>(c.expected.OTHER ? [[c.envFile, 'OTHER=kept\n']] : []);
      const found = (await lintTextAsync(c.file, c.text)).findings.filter((f) => f.rule === RULE);
      assert.ok(found.length >= Object.keys(c.expected).length - (c.expected.OTHER ? 1 : 0), `every secret found (${found.length})`);
      assert.ok(found.every((f) => f.fixes.some((x) => x.preferred)), 'every finding has a fix');

      const { text, passes, findings } = await fixAll(c.file, c.text, files);
      assert.deepEqual(findings, [], 'no secret left');
      for (const k of Object.values(c.expected)) if (k !== 'kept') assert.ok(!text.includes(k.replace('%', '%%')) && !text.includes(k), 'value gone from the unit');
      assert.equal(text.split('\n').filter((l) => /^EnvironmentFile=-?/.test(l)).length, 1, 'one EnvironmentFile= line');
      assert.deepEqual(complaints(c.file, text), [], `systemd-analyze verify accepts the fixed unit:\n${text}`);
      assert.ok(!/^Environment=\s*$/m.test(text), 'no emptied Environment= (it would reset every variable)');

      const envText = files.get(c.envFile)!;
      assert.deepEqual(sourced(envText, Object.keys(c.expected)), c.expected, 'the env file gives back every value as written');
      console.log(`secrets-systemd ${c.name}: ${found.length} findings fixed in ${passes} passes, verified`);
    });
  }
});
