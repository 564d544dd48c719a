import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runAsync } from '../../../cli/main';
import { applyEdits, formatModule, lintAsyncFindings, lintText, lintTextAsync, maskSecret, mergeFindings, parseDocument, registerFormat, runRules, type Finding, type Fix, type FormatModule } from '../../../rules';
import { lines, rangeOf } from '../../helpers';
import { fakeKeys } from './fake-keys';

const RULE = 'secrets/hardcoded-secret';
const FILE = '/work/project/compose.yaml';
const KEYS = fakeKeys();

/** An in-memory workspace: the adapter's view of `.env` and `.gitignore`. */
function workspace(files: Record<string, string> = {}) {
  const map = new Map(Object.entries(files));
  return { map, read: (p: string) => map.get(p) };
}

const sync = (text: string, ws = workspace()) => lintText(FILE, text, { workspace: ws, onRuleError: failOnError }).findings.filter((f) => f.rule === RULE);
const all = async (text: string, ws = workspace()) => (await lintTextAsync(FILE, text, { workspace: ws, onRuleError: failOnError })).findings.filter((f) => f.rule === RULE);
function failOnError({ rule, error }: { rule: string; error: unknown }): never {
  throw new Error(`rule ${rule} threw: ${(error as Error)?.stack ?? error}`);
}

function assertMasked(f: Finding, secret: string) {
  assert.ok(!f.message.includes(secret), `the message carries the secret: ${f.message}`);
  assert.ok(f.message.includes(maskSecret(secret)), `the message shows the mask ${maskSecret(secret)}: ${f.message}`);
}

/** Applies a fix's edits to every file they touch: the compose text and the workspace's files. */
function applyAll(text: string, fix: Fix, ws: ReturnType<typeof workspace>): string {
  const byFile = new Map<string, typeof fix.edits>();
  for (const e of fix.edits) byFile.set(e.file ?? FILE, [...(byFile.get(e.file ?? FILE) ?? []), e]);
  let out = text;
  for (const [file, edits] of byFile) {
    const before = file === FILE ? text : (ws.map.get(file) ?? '');
    const { text: after, skipped } = applyEdits(before, edits);
    assert.equal(skipped.length, 0);
    if (file === FILE) out = after;
    else ws.map.set(file, after);
  }
  return out;
}

/** Every place compose takes a value, each holding `key` (named `name` where the place has names). */
const PLACES: { place: string; text: (key: string, name: string) => string; named: boolean }[] = [
  { place: 'environment list', named: true, text: (k, n) => lines('services:', '  app:', '    image: example/app:1', '    environment:', `      - ${n}=${k}`) },
  { place: 'environment map, plain', named: true, text: (k, n) => lines('services:', '  app:', '    image: example/app:1', '    environment:', `      ${n}: ${k}`) },
  { place: 'environment map, quoted', named: true, text: (k, n) => lines('services:', '  app:', '    image: example/app:1', '    environment:', `      ${n}: "${k}"`) },
  { place: 'environment flow list', named: true, text: (k, n) => lines('services:', '  app:', '    image: example/app:1', `    environment: ["${n}=${k}"]`) },
  {
    place: 'anchor merged into two services',
    named: true,
    text: (k, n) => lines('x-common: &common', '  environment:', `    ${n}: '${k}'`, 'services:', '  a:', '    <<: *common', '    image: example/a:1', '  b:', '    <<: *common', '    image: example/b:1'),
  },
  { place: 'labels map', named: false, text: (k) => lines('services:', '  app:', '    image: example/app:1', '    labels:', `      com.example.key: "${k}"`) },
  { place: 'labels list', named: false, text: (k) => lines('services:', '  app:', '    image: example/app:1', '    labels:', `      - "com.example.key=${k}"`) },
  { place: 'command string, --flag=value', named: false, text: (k) => lines('services:', '  app:', '    image: example/app:1', `    command: serve --api-key=${k} --port 8080`) },
  { place: 'command string, --flag value', named: false, text: (k) => lines('services:', '  app:', '    image: example/app:1', `    command: "serve --token ${k}"`) },
  { place: 'command list', named: false, text: (k) => lines('services:', '  app:', '    image: example/app:1', `    command: ["serve", "--key", "${k}"]`) },
];

describe(RULE, () => {
  for (const { place, text, named } of PLACES) {
    it(`finds every supported key format once, at the key, masked — ${place}`, async () => {
      for (const key of KEYS) {
        if (key.name && !named) continue;
        const src = text(key.value, key.name ?? 'APP_SETTING');
        const found = await all(src);
        assert.equal(found.length, 1, `${key.provider} in ${place}: ${found.map((f) => f.message).join(' | ')}`);
        const [f] = found;
        assert.deepEqual(f.range, rangeOf(src, key.value), `${key.provider} in ${place}`);
        assert.equal(f.severity, 'error', `${key.provider} in ${place}`);
        assertMasked(f, key.value);
        if (!key.library) assert.deepEqual(sync(src).map((s) => s.range), [f.range], `${key.provider} is found synchronously too`);
      }
    });
  }

  it('warns for a literal value of a secret-named setting, at the value', () => {
    const values: [string, string][] = [
      ['DB_PASSWORD', 'Zq8vLr2mXw9p'],
      ['SMTP_PASS', 'k3J!x9#pQ2'],
      ['GITEA_TOKEN', 'a81f22c0d9e34b7a'],
      ['APP_SECRET_KEY_BASE', 'c4f8e1a9b2d7c6e5f0a3b8d1'],
      ['MY_PRIVATE_KEY', 'MIIEvQIBADANBgkqhkiG9w0B'],
      ['GOOGLE_CREDENTIALS', 'u7Yt5Rr4Ee3Ww2Qq'],
      ['webui_secret_key', 'Hh8Jj7Kk6Ll5'],
    ];
    const text = lines('services:', '  app:', '    image: example/app:1', '    environment:', ...values.map(([n, v]) => `      ${n}: "${v}"`));
    const found = sync(text);
    assert.deepEqual(
      found.map((f) => f.range),
      values.map(([, v]) => rangeOf(text, v)),
    );
    for (const [i, f] of found.entries()) {
      assert.equal(f.severity, 'warning');
      assertMasked(f, values[i][1]);
    }
  });

  it('warns for a password in a URL, at the password', () => {
    const text = lines('services:', '  app:', '    image: example/app:1', '    environment:', '      - REDIS_URL=redis://default:Pq7Rs9Tu1Vw@redis:6379/0');
    const [f, ...rest] = sync(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'Pq7Rs9Tu1Vw'));
    assertMasked(f, 'Pq7Rs9Tu1Vw');
    assert.match(f.fixes[0].edits[0].newText, /^\$\{REDIS_URL_PASSWORD\}$/);
  });

  it('the connection-string detector supersedes the URL warning: one finding, an error, whose fix moves only the password', async () => {
    const text = lines('services:', '  app:', '    image: example/app:1', '    environment:', '      - DATABASE_URL=postgres://app:Xy7Wv5Ut3Sr@db:5432/app');
    const found = await all(text);
    assert.equal(found.length, 1, found.map((f) => f.message).join(' | '));
    assert.equal(found[0].severity, 'error');
    assert.ok(!found[0].message.includes('Xy7Wv5Ut3Sr'));
    assert.deepEqual(found[0].fixes[0].edits[0].range, rangeOf(text, 'Xy7Wv5Ut3Sr'));
  });

  it('stays silent on references, placeholders, *_FILE, Docker secrets, empty and non-secret values', async () => {
    const text = lines(
      'services:',
      '  app:',
      '    image: example/app:1',
      '    secrets: [db_password]',
      '    environment:',
      '      OPENAI_API_KEY: ${OPENAI_API_KEY}',
      '      ANTHROPIC_API_KEY: ${ANTHROPIC_API_KEY:-}',
      '      HF_TOKEN: ${HF_TOKEN:?set HF_TOKEN in .env}',
      '      GROQ_API_KEY: $GROQ_API_KEY',
      '      DB_PASSWORD_FILE: /run/secrets/db_password',
      '      POSTGRES_PASSWORD_FILE: /run/secrets/postgres_password',
      '      REDIS_PASSWORD: ""',
      '      MYSQL_PASSWORD:',
      '      ADMIN_PASSWORD: changeme',
      '      SMTP_PASSWORD: xxx',
      '      OPENROUTER_API_KEY: sk-...',
      '      OPENAI_KEY: sk-xxxxxxxxxxxxxxxxxxxxxxxx',
      '      LITELLM_MASTER_KEY: your-api-key-here',
      '      WEBUI_SECRET_KEY: <generate-with-openssl-rand>',
      '      API_TOKEN: "********"',
      '      JWT_SECRET: REPLACE_ME',
      '      TOKEN_TTL: "3600"',
      '      PASSWORD_MIN_LENGTH: 12',
      '      AUTH_PASSWORD_REQUIRED: "true"',
      '      AUTH_TOKEN_HEADER: X-Api-Key',
      '      SECRET_STORE: /var/lib/app/secrets',
      '      API_KEY_HINT: "Set this in the admin panel please"',
      '      OLLAMA_BASE_URL: http://ollama:11434',
      '      DATABASE_URL: postgres://app:${DB_PASSWORD}@db:5432/app',
      '      LOG_LEVEL: debug',
      '    labels:',
      '      - "traefik.enable=true"',
      '    command: ["serve", "--api-key", "${API_KEY}", "--port", "8080"]',
      'secrets:',
      '  db_password:',
      '    file: ./db_password.txt',
    );
    assert.deepEqual(sync(text), []);
    assert.deepEqual(await all(text), []);
  });

  it('moves the value: ${NAME} in place, NAME=value in a new .env, .env in a new .gitignore — one fix, three files', () => {
    const key = KEYS[0].value;
    const text = lines('services:', '  app:', '    image: example/app:1', '    environment:', `      - OPENROUTER_API_KEY=${key}`);
    const ws = workspace();
    const [f] = sync(text, ws);
    const fix = f.fixes.find((x) => x.preferred)!;
    assert.equal(fix.title, 'Move the value to .env as OPENROUTER_API_KEY and reference it as ${OPENROUTER_API_KEY}');
    assert.deepEqual(
      fix.edits.map((e) => e.file),
      [FILE, '/work/project/.env', '/work/project/.gitignore'],
    );
    const fixed = applyAll(text, fix, ws);
    assert.equal(fixed, lines('services:', '  app:', '    image: example/app:1', '    environment:', '      - OPENROUTER_API_KEY=${OPENROUTER_API_KEY}'));
    assert.equal(ws.map.get('/work/project/.env'), `OPENROUTER_API_KEY=${key}\n`);
    assert.equal(ws.map.get('/work/project/.gitignore'), '.env\n');
    // The edit that carries the secret says how outputs may show it.
    assert.equal(fix.edits[1].redacted, `OPENROUTER_API_KEY=${maskSecret(key)}\n`);
    assert.deepEqual(sync(fixed, ws), []);
    // Applied twice: the rule no longer offers it, so nothing changes.
    assert.equal(applyAll(fixed, { title: '', edits: sync(fixed, ws).flatMap((x) => x.fixes[0]?.edits ?? []) }, ws), fixed);
  });

  it('appends to an existing .env and .gitignore, keeps quoting, and reuses or renames the variable', () => {
    const text = lines('services:', '  app:', '    image: example/app:1', '    environment:', '      DB_PASSWORD: "Zq8vLr2mXw9p"', '      ADMIN_PASSWORD: \'Aa1$$Bb2#Cc3\'');
    const ws = workspace({ '/work/project/.env': 'DB_PASSWORD=other-value-1234\nTZ=UTC', '/work/project/.gitignore': 'node_modules/\n' });
    const [first] = sync(text, ws);
    let fixed = applyAll(text, first.fixes[0], ws);
    assert.equal(fixed, lines('services:', '  app:', '    image: example/app:1', '    environment:', '      DB_PASSWORD: "${DB_PASSWORD_2}"', '      ADMIN_PASSWORD: \'Aa1$$Bb2#Cc3\''));
    assert.equal(ws.map.get('/work/project/.env'), 'DB_PASSWORD=other-value-1234\nTZ=UTC\nDB_PASSWORD_2=Zq8vLr2mXw9p\n');
    assert.equal(ws.map.get('/work/project/.gitignore'), 'node_modules/\n.env\n');
    const [second, ...rest] = sync(fixed, ws);
    assert.equal(rest.length, 0);
    // .gitignore already has .env: only two files change now. Compose's `$$` is a `$`, which .env
    // holds single-quoted (a lone `$` in compose would be interpolation, not a literal).
    assert.equal(second.fixes[0].edits.length, 2);
    fixed = applyAll(fixed, second.fixes[0], ws);
    assert.ok(fixed.includes("ADMIN_PASSWORD: '${ADMIN_PASSWORD}'"));
    assert.ok(ws.map.get('/work/project/.env')!.endsWith("ADMIN_PASSWORD='Aa1$Bb2#Cc3'\n"));
    assert.deepEqual(sync(fixed, ws), []);
    // The same value already in .env under the name: only the reference is written.
    const again = workspace({ '/work/project/.env': 'DB_PASSWORD=Zq8vLr2mXw9p\n', '/work/project/.gitignore': '*.env\n!.env.example\n.env\n' });
    const [f] = sync(lines('services:', '  db:', '    image: postgres:16', '    environment:', '      - DB_PASSWORD=Zq8vLr2mXw9p'), again);
    assert.deepEqual(f.fixes[0].edits.map((e) => e.newText), ['${DB_PASSWORD}']);
  });

  it('reports a value reached through an anchor once, and its fix edits the anchor', async () => {
    const key = KEYS.find((k) => k.provider === 'GitHub')!.value;
    const text = PLACES[4].text(key, 'GITHUB_TOKEN');
    const ws = workspace();
    const found = await all(text, ws);
    assert.equal(found.length, 1);
    const fixed = applyAll(text, found[0].fixes[0], ws);
    assert.ok(fixed.includes("    GITHUB_TOKEN: '${GITHUB_TOKEN}'"));
    assert.deepEqual(await all(fixed, ws), []);
  });

  it('offers the fix in labels and command too, where compose interpolates as well', () => {
    for (const place of PLACES.slice(5)) {
      const key = KEYS[1].value;
      const text = place.text(key, '');
      const ws = workspace();
      const [f] = sync(text, ws);
      const fixed = applyAll(text, f.fixes[0], ws);
      assert.ok(!fixed.includes(key), place.place);
      assert.match(fixed, /\$\{[A-Z_]+\}/, place.place);
      assert.deepEqual(sync(fixed, ws), [], place.place);
    }
  });

  it('finds keys outside the known places too (comments, healthchecks) in the asynchronous pass, without a fix', async () => {
    const own = KEYS.find((k) => k.provider === 'xAI')!.value;
    const lib = KEYS.find((k) => k.provider === 'Groq')!.value;
    const text = lines('# XAI_API_KEY=' + own, 'services:', '  app:', '    image: example/app:1', '    healthcheck:', `      test: ["CMD", "curl", "-H", "Authorization: Bearer ${lib}", "http://localhost"]`);
    assert.deepEqual(sync(text), []);
    const found = await all(text);
    assert.deepEqual(
      found.map((f) => [f.range, f.severity, f.fixes.length]),
      [
        [rangeOf(text, own), 'error', 0],
        [rangeOf(text, lib), 'error', 0],
      ],
    );
    assertMasked(found[0], own);
    assertMasked(found[1], lib);
  });

  it('honours portcullis-disable comments', () => {
    const text = lines('services:', '  app:', '    image: example/app:1', '    environment:', '      # portcullis-disable-next-line secrets/hardcoded-secret', `      - KEY=${KEYS[2].value}`);
    assert.deepEqual(sync(text), []);
  });

  it('masks with at most the first 5 and last 4 characters, never more than half', () => {
    assert.equal(maskSecret('sk-proj-abcdefghij9f2k'), 'sk-pr…9f2k');
    for (let n = 0; n < 60; n++) {
      const v = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWX'.slice(0, n);
      const shown = maskSecret(v).replace('…', '').length;
      assert.ok(shown <= Math.floor(n / 2) && shown <= 9, `${n}: ${maskSecret(v)}`);
    }
  });

  it('merges: the asynchronous finding replaces a synchronous one of the same rule on an overlapping range', () => {
    const base = { rule: RULE, file: FILE, message: '', fixes: [] };
    const r = (a: number, b: number) => ({ start: { line: 1, character: a }, end: { line: 1, character: b } });
    const merged = mergeFindings(
      [
        { ...base, severity: 'warning', range: r(10, 30) },
        { ...base, severity: 'warning', range: r(40, 50) },
      ],
      [{ ...base, severity: 'error', range: r(5, 35) }],
    );
    assert.deepEqual(
      merged.map((f) => [f.severity, f.range.start.character]),
      [
        ['error', 5],
        ['warning', 40],
      ],
    );
  });

  it('runs on any format whose module lists its candidates: the plug-in point for systemd, Caddy and nginx', async () => {
    // A stand-in Caddy module whose extractor reads `header_up X-Api-Key <value>` lines.
    const stub: FormatModule<string> = {
      format: 'caddy',
      parse: (text) => text,
      rules: [],
      secretCandidates: (text) =>
        [...text.matchAll(/header_up (\S+) (\S+)/g)].map((m) => {
          const start = m.index! + m[0].length - m[2].length;
          return { name: m[1], value: m[2], valueSpan: [start, start + m[2].length] as const, where: 'header' as const, move: { variable: 'UPSTREAM_KEY', reference: (v: string) => `{$${v}}` } };
        }),
    };
    const restore = registerFormat(stub);
    try {
      const key = KEYS.find((k) => k.provider === 'Replicate')!.value;
      const hf = KEYS.find((k) => k.provider === 'Hugging Face')!.value;
      const text = lines('example.com {', '  reverse_proxy localhost:8080 {', `    header_up X-Api-Key ${key}`, `    header_up X-Upstream ${hf}`, '    header_up X-Other {$OTHER}', '  }', '}');
      const file = '/work/project/Caddyfile';
      const found = (await lintTextAsync(file, text, { format: 'caddy' })).findings;
      assert.deepEqual(
        found.map((f) => [f.rule, f.range]),
        [
          [RULE, rangeOf(text, key)],
          [RULE, rangeOf(text, hf)],
        ],
      );
      assert.deepEqual(found[0].fixes[0].edits, [{ file, range: rangeOf(text, key), newText: '{$UPSTREAM_KEY}' }]);
      // The server's call: the synchronous findings first, then the merged list.
      const doc = parseDocument(file, text, 'caddy')!;
      const first = runRules(doc);
      assert.equal(first.length, 1);
      assert.deepEqual(await lintAsyncFindings(doc, first), found);
    } finally {
      restore();
    }
    assert.notEqual(formatModule('caddy'), stub);
  });

  it('reports a value whose source is not character for character (escapes) as a whole, without a fix', () => {
    const key = KEYS[0].value;
    const text = lines('services:', '  app:', '    image: example/app:1', '    environment:', `      - "OPENROUTER_API_KEY=\\t${key}"`);
    const [f, ...rest] = sync(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, `"OPENROUTER_API_KEY=\\t${key}"`));
    assert.deepEqual(f.fixes, []);
    assertMasked(f, key);
  });

  describe('CLI output never carries a secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-secrets-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const named = KEYS.filter((k) => !k.name);
    const text = lines('services:', '  app:', '    image: example/app:1', '    environment:', ...named.map((k, i) => `      - KEY_${i}=${k.value}`), '      - AWS_SECRET_ACCESS_KEY=' + KEYS.find((k) => k.name)!.value);

    for (const format of ['text', 'json', 'sarif']) {
      it(`--format ${format}`, async () => {
        writeFileSync(join(dir, 'compose.yaml'), text);
        let out = '';
        const code = await runAsync(['--format', format, 'compose.yaml'], { cwd: dir, stdout: (s) => (out += s), stderr: (s) => (out += s), isTTY: false });
        assert.equal(code, 1);
        for (const k of KEYS) assert.ok(!out.includes(k.value), `${k.provider}'s key printed in ${format} output`);
        assert.equal(out.split(RULE).length - 1 >= KEYS.length, true, `every key reported in ${format}`);
      });
    }

    it('--fix moves every key: .env created with mode 0600, .gitignore created, compose file clean', async () => {
      writeFileSync(join(dir, 'compose.yaml'), text);
      let out = '';
      let err = '';
      await runAsync(['--fix', '--format', 'json', 'compose.yaml'], { cwd: dir, stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false });
      out += err;
      for (const k of KEYS) assert.ok(!out.includes(k.value), `${k.provider}'s key printed by --fix`);
      const compose = readFileSync(join(dir, 'compose.yaml'), 'utf8');
      const env = readFileSync(join(dir, '.env'), 'utf8');
      for (const k of KEYS) {
        assert.ok(!compose.includes(k.value), `${k.provider} left in compose.yaml`);
        assert.ok(env.includes(k.value), `${k.provider} moved to .env`);
      }
      assert.equal(statSync(join(dir, '.env')).mode & 0o777, 0o600);
      assert.equal(readFileSync(join(dir, '.gitignore'), 'utf8'), '.env\n');
      assert.ok(!JSON.parse(out.slice(0, out.length - err.length)).findings.some((f: Finding) => f.rule === RULE));
    });
  });
});
