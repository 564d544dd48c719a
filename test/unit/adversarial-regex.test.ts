/**
 * Issue 12: no regex the linter runs on file content or user patterns may backtrack. Each detector
 * and each regex-using rule gets inputs doubled from 16 KB to 1 MB; the time of the last doubling
 * must be less than 3 times the previous one (linear: about 2; quadratic: about 4; exponential:
 * never finishes). Growth, not absolute time, so a slow machine does not fail it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintText, mergeConfig, GlobSet } from '../../rules';
import { compileRegex } from '../../rules/core/nfa';
import { authorities, hasUrlCredentials, urlPasswordSpan } from '../../rules/core/scan';
import { namedGroups } from '../../rules/nginx/regex';
import { findKeys, isPlaceholder, isReference, isSecretName, looksLikeSecret, normalizeName } from '../../rules/secrets/detect';
import { parseDotenv } from '../../rules/secrets/hardcoded-secret';
import { parseGitignore } from '../../rules/deployment/gitignore';

const SIZES = [16, 32, 64, 128, 256, 512, 1024].map((k) => k * 1024);

function median(run: () => void): number {
  const times: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - t));
  }
  return times.sort((a, b) => a - b)[1];
}

/** Times `work(input(n))` for each size; asserts the last doubling's ratio (up to two retries: the machine is shared). */
function assertLinear(name: string, input: (n: number) => string, work: (s: string) => unknown): void {
  let ratio = Infinity;
  for (let attempt = 0; attempt < 3 && ratio >= 3; attempt++) {
    const times = SIZES.map((n) => {
      const s = input(n);
      return median(() => work(s));
    });
    // Timings of a few milliseconds are noise (GC, JIT tiers): compare against at least 10 ms. A
    // quadratic scan of 1 MB takes minutes, far above the floor.
    ratio = Math.max(times.at(-1)!, 1e7) / Math.max(times.at(-2)!, 1e7);
  }
  assert.ok(ratio < 3, `${name}: last doubling took ${ratio.toFixed(2)}× as long`);
}

const lint = (file: string) => (text: string) => lintText(file, text, { config: mergeConfig({}) });
const fill = (unit: string, n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

describe('detectors are linear on adversarial values', () => {
  it('URL userinfo (`a…a://`, `://:::`) by the scanner', () => {
    assertLinear('urlPasswordSpan a…a://', (n) => fill('a', n) + '://', urlPasswordSpan);
    assertLinear('urlPasswordSpan ://:::', (n) => 'a://' + fill(':', n), urlPasswordSpan);
    assertLinear('hasUrlCredentials', (n) => fill('a://a:', n), (s) => hasUrlCredentials(s));
    assertLinear('authorities', (n) => fill('a:/', n), (s) => [...authorities(s)].length);
  });

  it('key formats, names, placeholders, references, dotenv lines', () => {
    assertLinear('findKeys sk-', (n) => fill('sk-', n), findKeys);
    assertLinear('findKeys sk-or-v1-', (n) => fill('sk-or-v1-a', n), findKeys);
    assertLinear('normalizeName ___', (n) => fill('_', n) + 'x', normalizeName);
    assertLinear('isSecretName', (n) => fill('_TOKEN', n) + 'x', isSecretName);
    assertLinear('isPlaceholder xxx', (n) => 'a' + fill('x', n) + '!', isPlaceholder);
    assertLinear('isPlaceholder here', (n) => fill('her', n), isPlaceholder);
    assertLinear('isReference $$$', (n) => fill('$', n), isReference);
    assertLinear('isReference a$$', (n) => fill('a$$', n), isReference);
    assertLinear('looksLikeSecret', (n) => 'a://' + fill(':', n), looksLikeSecret);
    assertLinear('parseDotenv spaces', (n) => 'A=x' + fill(' ', n) + 'y', parseDotenv);
    assertLinear('parseDotenv lines', (n) => fill('A=b \n', n), parseDotenv);
  });
});

describe('user patterns run linearly', () => {
  it('nginx regexes by the NFA, named groups by a scanner', () => {
    const re = compileRegex('^' + '(.*)'.repeat(4) + 'X$')!;
    assertLinear('nfa (.*)^4 X$', (n) => fill('/api/pull', n), (s) => assert.equal(re.test(s), false));
    const nested = compileRegex('^(a+)+$')!;
    assertLinear('nfa (a+)+$', (n) => fill('a', n) + 'b', (s) => assert.equal(nested.test(s), false));
    assertLinear('namedGroups', (n) => fill('(?<a', n), namedGroups);
  });

  it('exclude globs: `*a*a*a*a*a*a*a*a*b`', () => {
    const g = new GlobSet(['*a*a*a*a*a*a*a*a*b', 'x/**/y']);
    assertLinear('glob', (n) => fill('a', n), (s) => assert.equal(g.matches(s), false));
    const ignore = parseGitignore('*a*a*a*a*a*a*a*a*b\n')[0].re;
    assertLinear('.gitignore pattern', (n) => fill('a', n), (s) => assert.equal(ignore.test(s), false));
    assertLinear('.gitignore lines', (n) => 'a' + fill(' ', n) + 'b\n', parseGitignore);
  });
});

describe('rules end to end', () => {
  it('the issue’s nginx location `^(.*)(.*)…X$` (234 bytes) against the Ollama admin paths', () => {
    const regex = '^/ab' + '(.*)'.repeat(57) + 'X$';
    assert.equal(regex.length, 234);
    const server = `server {\n  listen 80;\n  location ~ ${regex} { return 403; }\n  location / { proxy_pass http://127.0.0.1:11434; }\n}\n`;
    const findings = lint('/p/nginx.conf')(`http {\n${server}}\n`).findings;
    // It completes, and still knows the regex does not take /api/pull.
    assert.ok(findings.some((f) => f.rule === 'nginx/ollama-admin-api-exposed'));
    // The matcher's cost grows with the pattern, linearly: twice the groups, about twice the time
    // (as the regex is bounded to 1000 characters, the file-size series below uses the subjects).
    const withGroups = (k: number) => `http {\nserver {\n  listen 80;\n  location ~ ^/ab${'(.*)'.repeat(k)}X$ { return 403; }\n  location / { proxy_pass http://127.0.0.1:11434; }\n}\n}\n`;
    const time = (k: number) => median(() => lint('/p/nginx.conf')(withGroups(k)));
    time(57);
    let ratio = Infinity;
    for (let attempt = 0; attempt < 2 && ratio >= 3; attempt++) ratio = Math.max(time(228), 1e7) / Math.max(time(114), 1e7);
    assert.ok(ratio < 3, `twice the groups: ${ratio.toFixed(2)}× the time`);
  });

  it('URL values in every format (`a…a://` 190 KB in the issue)', () => {
    assertLinear('compose', (n) => `services:\n  a:\n    image: x\n    environment:\n      DB_URL: "${fill('a', n)}://"\n`, lint('/p/compose.yaml'));
    assertLinear('nginx proxy_pass', (n) => `http { server { location / { proxy_pass http://${fill(':', n)}; add_header X-Token "${fill('a', n)}://"; } } }\n`, lint('/p/nginx.conf'));
    assertLinear('systemd', (n) => `[Service]\nEnvironment=DB_URL=${fill('a', n)}://\nExecStart=/bin/x --url ${fill('a', n)}://\n`, lint('/p/x.service'));
    assertLinear('caddy', (n) => `x.com {\n  reverse_proxy ${fill('a', n)}://x\n  header X-Token "${fill('a', n)}://"\n}\n`, lint('/p/Caddyfile'));
  });

  it('http-splitting and ssrf-proxy-pass on long capture regexes', () => {
    assertLinear('http-splitting [^', (n) => `http { server { location ~ "^/(?<x>${fill('[^', n)})" { add_header X $x; proxy_pass http://$x; } } }\n`, lint('/p/nginx.conf'));
    assertLinear('http-splitting (?<', (n) => `http { server { location ~ "^/${fill('(?<a', n)}" { add_header X $a; proxy_pass http://$a; } } }\n`, lint('/p/nginx.conf'));
  });
});
