import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { lintProject, lintText, memoryFileSystem, mergeConfig, normalizeConfig, Project, type Finding, type Format } from '../../rules';
import { parseSystemd } from '../../rules/systemd/model';
import { parseDotenv } from '../../rules/secrets/hardcoded-secret';
import { MAX_NESTING } from '../../rules/core/limits';

/**
 * Crafted inputs (issue 12): no parser or rule may take time that grows faster than the input, throw,
 * or overflow the stack, and nesting past the limit is a syntax error, never "no problems".
 * Each generator makes an input of about `bytes`; sizes double from 8 KB, and the last doubling
 * may at most triple the time (median of 3 runs). Kept under a minute in all.
 */

const lintOne = (file: string, text: string, format: Format): Finding[] =>
  lintText(file, text, {
    format,
    config: mergeConfig({}),
    onRuleError: ({ rule, error }) => assert.fail(`${rule} threw: ${(error as Error)?.stack ?? error}`),
  }).findings;

/** `unit` repeated to about `bytes` characters. */
const fill = (bytes: number, unit: (i: number) => string): string => {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const u = unit(i);
    parts.push(u);
    size += u.length;
  }
  return parts.join('');
};

/** Nesting: `open` repeated until the text (opens and closes) is about `bytes`. */
const nest = (bytes: number, head: string, open: string, close: string, tail: string): string => {
  const n = Math.max(1, Math.floor(bytes / (open.length + close.length)));
  return head + open.repeat(n) + close.repeat(n) + tail;
};

function median(run: () => void): number {
  const times: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[1];
}

// Top size per series: 128 KB keeps `npm test` short (the reproducers below go to the sizes of the
// issue, a megabyte and more); PORTCULLIS_ADVERSARIAL_MB=1 doubles every series up to 1 MB.
const SIZES = (process.env.PORTCULLIS_ADVERSARIAL_MB ? [16, 32, 64, 128, 256, 512, 1024] : [8, 16, 32, 64, 128]).map((k) => k * 1024);

function assertLinear(name: string, run: (bytes: number) => void) {
  let times = SIZES.map((bytes) => median(() => run(bytes)));
  // Six helpers share two cores: a doubling past the bound is measured once more before it counts.
  if (times[times.length - 1] >= 100 && times[times.length - 1] / Math.max(times[times.length - 2], 1) >= 3) times = SIZES.map((bytes) => median(() => run(bytes)));
  const [before, last] = times.slice(-2);
  // Under 100 ms a garbage collection or the JIT is all there is to see (a quadratic series at
  // 128 KB takes seconds).
  if (last < 100) return;
  assert.ok(last / Math.max(before, 1) < 3, `${name}: the last doubling took ${(last / before).toFixed(1)}× the time (${times.map((t) => t.toFixed(0)).join(', ')} ms)`);
}

type Series = [name: string, file: string, format: Format, gen: (bytes: number) => string];

const SERIES: Series[] = [
  ['compose lines', '/p/compose.yaml', 'compose', (b) => 'services:\n  app:\n    image: app:1.0\n    environment:\n' + fill(b, (i) => `      - K${i}=v\n`)],
  ['compose siblings', '/p/compose.yaml', 'compose', (b) => 'services:\n' + fill(b, (i) => `  s${i}:\n    image: s:1\n    ports: ["${1000 + (i % 60000)}:80"]\n`)],
  ['compose flow nesting', '/p/compose.yaml', 'compose', (b) => nest(b, 'services:\n  a:\n    image: a:1\n    x: ', '[', ']', '\n')],
  ['compose dash nesting', '/p/compose.yaml', 'compose', (b) => 'x:\n' + fill(b, () => '- ') + '1\n'],
  ['compose long token', '/p/compose.yaml', 'compose', (b) => `services:\n  a:\n    image: a:1\n    command: ${'x'.repeat(b)}\n`],
  ['nginx lines', '/p/nginx.conf', 'nginx', (b) => 'events {}\nhttp {\nserver {\nlisten 80;\n' + fill(b, (i) => `add_header X-${i} v;\n`) + '}\n}\n'],
  ['nginx nesting', '/p/nginx.conf', 'nginx', (b) => nest(b, 'events {}\nhttp {\nserver {\n', 'location / {\n', '}\n', '}\n}\n')],
  ['nginx sibling servers', '/p/nginx.conf', 'nginx', (b) => 'events {}\nhttp {\n' + fill(b, (i) => `server { listen 80; server_name s${i}.example.com; location / { proxy_pass http://127.0.0.1:11434; } }\n`) + '}\n'],
  ['nginx prefix+regex locations', '/p/nginx.conf', 'nginx', (b) => 'events {}\nhttp {\nserver {\nlisten 80;\n' + fill(b, (i) => `location /p${i} { proxy_pass http://127.0.0.1:11434; }\nlocation ~ ^/r${i}/ { return 403; }\n`) + '}\n}\n'],
  ['nginx long token', '/p/nginx.conf', 'nginx', (b) => `events {}\nhttp {\nserver {\nserver_name ${'x'.repeat(b)};\n}\n}\n`],
  ['caddy lines', '/p/Caddyfile', 'caddy', (b) => 'example.com {\n' + fill(b, (i) => `header X-${i} v\n`) + '}\n'],
  ['caddy nesting', '/p/Caddyfile', 'caddy', (b) => nest(b, 'example.com {\n', 'route {\n', '}\n', '}\n')],
  ['caddy sibling sites', '/p/Caddyfile', 'caddy', (b) => fill(b, (i) => `s${i}.example.com {\n\treverse_proxy 127.0.0.1:11434\n}\n`)],
  ['caddy snippet chain', '/p/Caddyfile', 'caddy', (b) => fill(b, (i) => `(s${i}) {\n\troute {\n\t\timport s${i + 1}\n\t}\n}\n`) + 'example.com {\n\timport s0\n}\n'],
  ['caddy long token', '/p/Caddyfile', 'caddy', (b) => `example.com {\n\trespond "${'x'.repeat(b)}"\n}\n`],
  ['systemd lines', '/p/app.service', 'systemd', (b) => '[Service]\nExecStart=/bin/true\n' + fill(b, (i) => `Environment=K${i}=v\n`)],
  ['systemd continuations', '/p/app.service', 'systemd', (b) => '[Service]\nExecStart=/bin/true \\\n' + fill(b, () => ' a \\\n') + ' b\n'],
  ['systemd long token', '/p/app.service', 'systemd', (b) => `[Service]\nExecStart=/bin/${'x'.repeat(b)}\n`],
];

describe('adversarial inputs: time grows linearly, nothing throws', () => {
  for (const [name, file, format, gen] of SERIES) {
    it(name, () => assertLinear(name, (bytes) => lintOne(file, gen(bytes), format)));
  }

  it('.env files', () => {
    assertLinear('.env lines', (bytes) => parseDotenv(fill(bytes, (i) => `K${i}="v\\n${i}"\n`)));
    assertLinear('.env long value', (bytes) => parseDotenv(`K=${'x'.repeat(bytes)}\n`));
  });

  it('.portcullis.json', () => {
    const read = (text: string) => normalizeConfig(JSON.parse(text), []);
    assertLinear('config services', (bytes) => read(JSON.stringify({ services: Array.from({ length: Math.floor(bytes / 40) }, (_, i) => ({ name: `svc${i}`, ports: [1000 + i] })) })));
    assertLinear('config exclude', (bytes) => read(JSON.stringify({ exclude: Array.from({ length: Math.floor(bytes / 16) }, (_, i) => `dir${i}/**`) })));
    assertLinear('config nesting', (bytes) => read(nest(bytes, '{"rules":', '[', ']', '}')));
  });
});

describe('the reproducers of issue 12', () => {
  it('130,000 one-character lines in a Caddyfile: lintProject reports, no RangeError', async () => {
    const text = 'a\n'.repeat(130_000);
    const fs = memoryFileSystem({ '/p/Caddyfile': text });
    const project = new Project(fs, {});
    const { findings } = await lintProject(project, [{ file: '/p/Caddyfile', text }], { config: mergeConfig({}), workspace: { read: (p) => fs.read(p) } });
    assert.ok(findings.length > 0);
    assert.ok(findings.some((f) => f.severity === 'error'));
  });

  it('1,800 nested `route {` blocks: a syntax error where the limit is reached', () => {
    const n = 1800;
    const text = 'example.com {\n' + 'route {\n'.repeat(n) + '}\n'.repeat(n) + '}\n';
    const errors = lintOne('/p/Caddyfile', text, 'caddy').filter((f) => f.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(errors.map((f) => f.message)));
    assert.equal(errors[0].rule, 'caddy/syntax-error');
    assert.match(errors[0].message, /nested more than 256 levels/);
    // The `{` of route number MAX_NESTING + 1 (line 0 holds the site address).
    assert.deepEqual(errors[0].range, { start: { line: MAX_NESTING + 1, character: 6 }, end: { line: MAX_NESTING + 1, character: 7 } });
  });

  it('deep blocks do not hide the rest of the file (Caddy and nginx)', () => {
    const deep = 'route {\n'.repeat(400) + '}\n'.repeat(400);
    const caddy = lintOne('/p/Caddyfile', `example.com {\n${deep}}\n\nhttp://other.example.com {\n\treverse_proxy 0.0.0.0:11434\n}\n`, 'caddy');
    assert.ok(caddy.some((f) => f.range.start.line > 800), 'the site after the deep one is still linted');
    const nginxDeep = 'location / {\n'.repeat(400) + '}\n'.repeat(400);
    const nginx = lintOne('/p/nginx.conf', `events {}\nhttp {\nserver {\nlisten 80;\n${nginxDeep}}\nserver {\nlisten 80;\nserver_tokens on;\n}\n}\n`, 'nginx');
    const nested = nginx.filter((f) => /nested more than/.test(f.message));
    assert.equal(nested.length, 1);
    // http and server count: the location at depth MAX_NESTING + 1 is on line 3 + (MAX_NESTING - 1).
    assert.deepEqual(nested[0].range, { start: { line: MAX_NESTING + 2, character: 0 }, end: { line: MAX_NESTING + 2, character: 8 } });
    assert.ok(nginx.some((f) => f.rule === 'nginx/server-tokens-on'), 'the server after the deep one is still linted');
  });

  it('10,000 nested `[` in a compose file: "nested too deeply", the services still linted', () => {
    const text = 'services:\n  a:\n    image: a\n    x: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n';
    const findings = lintOne('/p/compose.yaml', text, 'compose');
    const syntax = findings.filter((f) => f.rule === 'compose/syntax-error');
    assert.equal(syntax.length, 1);
    assert.match(syntax[0].message, /nested too deeply/);
    // The bracket that passes the limit: column 7 on line 3 is the first `[`.
    assert.deepEqual(syntax[0].range.start, { line: 3, character: 7 + MAX_NESTING });
    assert.ok(findings.some((f) => f.rule === 'compose/unpinned-image'));
  });

  it('100,000 systemd continuation lines parse in linear time with exact offsets', () => {
    const text = '[Service]\nExecStart=/bin/true \\\n' + ' a \\\n'.repeat(100_000) + ' b\n';
    const t0 = performance.now();
    const model = parseSystemd(text, '/p/app.service');
    lintOne('/p/app.service', text, 'systemd');
    assert.ok(performance.now() - t0 < 10_000, 'well under the 30 s of the issue');
    const words = model.assignments[0].words;
    assert.equal(words.length, 100_002);
    const last = words[words.length - 1];
    assert.equal(last.value, 'b');
    assert.equal(last.start, text.lastIndexOf('b'));
    assert.equal(words[50_000].start, text.indexOf(' a ', 31 + 5 * 49_999) + 1);
  });

  it('20,000 nginx servers and 1,000 prefix+regex location pairs', () => {
    const servers = 'events {}\nhttp {\n' + Array.from({ length: 20_000 }, (_, i) => `server { listen 80; server_name s${i}.example.com; location / { proxy_pass http://127.0.0.1:${1000 + (i % 5000)}; } }\n`).join('') + '}\n';
    let t0 = performance.now();
    lintOne('/p/nginx.conf', servers, 'nginx');
    assert.ok(performance.now() - t0 < 15_000, `20k servers: ${(performance.now() - t0).toFixed(0)} ms`);
    // Each prefix proxies Ollama; beside it a regex, a case-insensitive regex and an exact location
    // hide four of the five admin endpoints: only /api/create stays reachable, in each of them.
    const locations = 'events {}\nhttp {\nserver {\nlisten 80;\n' + Array.from({ length: 1000 }, (_, i) => `location /p${i}/ { proxy_pass http://127.0.0.1:11434/; }\nlocation ~ ^/p${i}/api/(pull|push) { deny all; }\nlocation ~* ^/P${i}/API/DEL { deny all; }\nlocation = /p${i}/api/copy { return 404; }\n`).join('') + '}\n}\n';
    t0 = performance.now();
    const findings = lintOne('/p/nginx.conf', locations, 'nginx');
    assert.ok(performance.now() - t0 < 10_000, `1k location pairs: ${(performance.now() - t0).toFixed(0)} ms`);
    const admin = findings.filter((f) => f.rule === 'nginx/ollama-admin-api-exposed');
    assert.equal(admin.length, 1000);
    assert.ok(admin.every((f) => f.message.includes('(/api/create) is reachable')));
    assert.deepEqual(admin[1].range, { start: { line: 8, character: 16 }, end: { line: 8, character: 51 } });
  });
});

describe('the built CLI on the reproducers', () => {
  const bin = join(__dirname, '..', '..', 'dist', 'cli.js');
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const run = (name: string, text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-adversarial-'));
    dirs.push(dir);
    writeFileSync(join(dir, name), text);
    return spawnSync(process.execPath, [bin, '--format', 'json', name], { cwd: dir, encoding: 'utf8', timeout: 60_000, maxBuffer: 512 * 1024 * 1024 });
  };

  it('130k one-character lines and 1,800 nested routes: exit 1 with a report', () => {
    assert.ok(existsSync(bin), 'dist/cli.js is built by `npm run build` (npm test builds first)');
    const lines = run('Caddyfile', 'a\n'.repeat(130_000));
    assert.equal(lines.status, 1, lines.stderr);
    assert.ok(JSON.parse(lines.stdout).findings.length > 0);
    const nested = run('Caddyfile', 'example.com {\n' + 'route {\n'.repeat(1800) + '}\n'.repeat(1800) + '}\n');
    assert.equal(nested.status, 1, nested.stderr);
    const findings = JSON.parse(nested.stdout).findings as Finding[];
    assert.ok(findings.some((f) => f.rule === 'caddy/syntax-error' && /nested more than/.test(f.message)));
  });
});
