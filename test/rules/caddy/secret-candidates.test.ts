import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintTextAsync } from '../../../rules';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { fakeKeys } from '../secrets/fake-keys';

/** secrets/hardcoded-secret on Caddyfiles: the candidates rules/caddy/secrets.ts extracts. */
const RULE = 'secrets/hardcoded-secret';
const FILE = { file: '/work/project/Caddyfile' };
const check = (text: string) => only(lint(text, FILE), RULE);
const KEY = 'sk-0123456789abcdef0123456789abcdef';

describe(`${RULE} in a Caddyfile`, () => {
  it('finds a provider key in header_up (the token, not the Bearer scheme), masked', () => {
    const text = lines('a.example.com {', '\treverse_proxy litellm:4000 {', `\t\theader_up Authorization "Bearer ${KEY}"`, '\t}', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, rangeOf(text, KEY));
    assert.ok(!f.message.includes(KEY));
  });

  it('finds secret-named header values, one-line and in blocks, and query comparisons', () => {
    const text = lines('a.example.com {', '\theader /x/* X-Api-Key abcdEFGH12345678ijkl', '\theader {', '\t\tX-Auth-Token Qw3rTy9uIoP2aSdF8gHj', '\t}', '\t@k query api-key=Zx9vQ2mN8bT4kL1pR7sW', '}');
    assert.deepEqual(check(text).map((f) => f.range), ['abcdEFGH12345678ijkl', 'Qw3rTy9uIoP2aSdF8gHj', 'Zx9vQ2mN8bT4kL1pR7sW'].map((v) => rangeOf(text, v)));
  });

  it('leaves placeholders, ordinary headers and hashes to their own rules', () => {
    const text = lines('a.example.com {', '\theader X-Api-Key {$API_KEY}', '\theader X-Frame-Options DENY', '\theader_up Host {upstream_hostport}', '\t@k header Authorization "Bearer {env.TOKEN}"', '}');
    assert.deepEqual(check(text), []);
  });

  it('fix: replaces the value with a {$NAME} placeholder', () => {
    const text = lines('a.example.com {', '\theader X-Api-Key abcdEFGH12345678ijkl', '}');
    assertFixWorks(text, RULE, /^Replace with \{\$X_API_KEY\}/, lines('a.example.com {', '\theader X-Api-Key {$X_API_KEY}', '}'), FILE);
    const bearer = lines('a.example.com {', '\treverse_proxy litellm:4000 {', `\t\theader_up Authorization "Bearer ${KEY}"`, '\t}', '}');
    assertFixWorks(bearer, RULE, /^Replace with/, lines('a.example.com {', '\treverse_proxy litellm:4000 {', '\t\theader_up Authorization "Bearer {$AUTHORIZATION}"', '\t}', '}'), FILE);
  });

  it('every generated key in header_up, in a response header and in a header matcher: found once each, at the key, masked', async () => {
    const keys = fakeKeys(11).filter((k) => !k.name);
    const text = lines(
      'a.example.com {',
      ...keys.flatMap((k, i) => [`\t@m${i} header X-Key-${i} "${k.value}"`, `\theader X-Out-${i} "${k.value}"`]),
      '\treverse_proxy litellm:4000 {',
      ...keys.map((k, i) => `\t\theader_up X-In-${i} "Bearer ${k.value}"`),
      '\t}',
      '}',
    );
    const found = (await lintTextAsync(FILE.file, text)).findings.filter((f) => f.rule === RULE);
    assert.deepEqual(
      found.map((f) => f.range),
      [...keys.flatMap((k) => [rangeOf(text, k.value, 0), rangeOf(text, k.value, 1)]), ...keys.map((k) => rangeOf(text, k.value, 2))],
    );
    assert.ok(found.every((f) => f.severity === 'error'));
    for (const f of found) for (const k of keys) assert.ok(!f.message.includes(k.value), `secret in message: ${f.message}`);
  });
});
