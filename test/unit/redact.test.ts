import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../rules';
import { escapeControls, quotedName, redactor, redactText } from '../../rules/secrets/redact';

const OPENROUTER = 'sk-or-v1-' + 'a1b2c3d4'.repeat(8);
const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };

describe('redactText', () => {
  it('masks provider keys as prefix…suffix, the format of the rules’ messages', () => {
    assert.equal(redactText(`key ${OPENROUTER} end`), 'key sk-or…c3d4 end');
  });
  it('masks the password of a URL, and only the password', () => {
    assert.equal(redactText('proxy_pass https://bob:s3cr3tPassw0rd@db.internal:5432/x;'), 'proxy_pass https://bob:s3cr…0rd@db.internal:5432/x;');
    assert.equal(redactText('redis://:hunter2hunter2@cache:6379'), 'redis://:hunt…er2@cache:6379');
  });
  it('leaves references, URLs without a password and plain text alone', () => {
    for (const s of ['https://u:${PW}@h/', 'http://example.com:8080/a@b', 'Unknown directive "proxy_set_headr"', 'Basic ${TOKEN}', 'Bearer your-token-here']) assert.equal(redactText(s), s);
  });
  it('masks the credential after an authorization scheme', () => {
    assert.equal(redactText('Authorization "Bearer eyJhbGciOiJIUzI1NiJ9abcdef"'), 'Authorization "Bearer eyJhb…cdef"');
  });
  it('masks the known secrets wherever they appear, overlapping spans once', () => {
    assert.equal(redactText('pw is hunter2hunter2! and again hunter2hunter2', ['hunter2hunter2']), 'pw is hunt…er2! and again hunt…er2');
    assert.equal(redactText(`x=${OPENROUTER}`, [OPENROUTER]), 'x=sk-or…c3d4');
  });
  it('masks a short known secret only as a whole token, a long one anywhere', () => {
    // The password `nextcloud` (awesome-compose): the service names that contain it stay readable.
    assert.equal(redactText('"nextcloud-app" has no limit; POSTGRES_PASSWORD (nextcloud), u:nextcloud@db', ['nextcloud']), '"nextcloud-app" has no limit; POSTGRES_PASSWORD (nex…d), u:nex…d@db');
    const key = 'Zq8vN2rT5wX1yB4kP7mQ';
    assert.equal(redactText(`x${key}y`, [key]), 'xZq8vN…P7mQy');
  });

  it('stays linear on adversarial text', () => {
    const t0 = performance.now();
    redactText('a'.repeat(200_000) + '://'.repeat(50_000) + ':'.repeat(100_000) + 'Bearer '.repeat(20_000));
    assert.ok(performance.now() - t0 < 2000);
  });
});

describe('quotedName', () => {
  it('shows a name’s first token, cut at 40 characters, control characters escaped', () => {
    assert.equal(quotedName('proxy_set_headr X-Real-IP $remote_addr'), 'proxy_set_headr');
    assert.equal(quotedName('x'.repeat(60)), 'x'.repeat(40) + '…');
    assert.equal(quotedName('a\x1bb\u202ec'), 'a\\x1bb\\u{202e}c');
    assert.equal(escapeControls('\x7f'), '\\x7f');
  });
  it('masks a name that is a key, a URL with a password, or holds a value after "="', () => {
    assert.equal(quotedName(OPENROUTER), 'sk-or…c3d4');
    assert.equal(quotedName('https://user:ghp_abcdefghijklmnop1234@github.com'), 'https….com');
    assert.equal(quotedName('//registry.npmjs.org/:_authToken=npm_abcdef1234567890abcdef'), '//registry.npmjs.org/:_authToken=npm_a…cdef');
    assert.equal(quotedName('AKIAIOSFODNN7EXAMPLE9'), 'AKIAI…PLE9');
  });
});

describe('redactor', () => {
  const secret = 'Zq8xW2mN4vB7kL1p';
  const finding = (over: Partial<Finding>): Finding => ({ rule: 'r/x', severity: 'warning', file: '/w/a', range, message: '', fixes: [], ...over });
  it('masks messages, titles, edits and related messages with the run’s secrets; drops the secret field', () => {
    const r = redactor([finding({ rule: 'secrets/hardcoded-secret', message: 'Hardcoded secret (Zq8xW…L1p)', secret })]);
    const shown = r.finding(
      finding({
        message: `copied ${secret}`,
        secret,
        fixes: [{ title: `Repeat ${secret}`, edits: [{ file: '/w/a', range, newText: `X-Key ${secret};` }], preferred: true }],
        related: [{ file: '/w/b', range, message: `here: ${secret}` }],
      }),
    );
    assert.deepEqual(shown, {
      rule: 'r/x',
      severity: 'warning',
      file: '/w/a',
      range,
      message: 'copied Zq8xW…L1p',
      fixes: [{ title: 'Repeat Zq8xW…L1p', edits: [{ file: '/w/a', range, newText: 'X-Key Zq8xW…L1p;' }], preferred: true }],
      related: [{ file: '/w/b', range, message: 'here: Zq8xW…L1p' }],
    });
  });
  it('prefers an edit’s own redacted form and drops it from the output', () => {
    const shown = redactor().fix({ title: 't', edits: [{ range, newText: 'K=abc', redacted: 'K=a…' }] });
    assert.deepEqual(shown, { title: 't', edits: [{ range, newText: 'K=a…' }] });
  });
  it('masks every string of an exposure but paths', () => {
    const place = { file: '/w/https://u:pw123456@x', range };
    const e = redactor().exposure({
      entries: [{ address: '*:80', port: 80, kind: 'nginx', name: 'nginx a', protections: { tls: false, auth: false, rateLimit: false }, place, hops: [{ path: '/', target: 'https://bob:s3cr3tPassw0rd@db', reaches: 'https://bob:s3cr3tPassw0rd@db', protections: { tls: false, auth: false, rateLimit: false }, place }] }],
    });
    assert.equal(e.entries[0].hops[0].target, 'https://bob:s3cr…0rd@db');
    assert.equal(e.entries[0].hops[0].reaches, 'https://bob:s3cr…0rd@db');
    assert.equal(e.entries[0].place.file, place.file);
  });
});
