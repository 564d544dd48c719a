import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintTextAsync, maskSecret, type Finding } from '../../../rules';
import { lines, lint, only, rangeOf } from '../../helpers';
import { fakeKeys } from '../secrets/fake-keys';

/** secrets/hardcoded-secret on nginx configs: what nginx's extractor offers it. */
const RULE = 'secrets/hardcoded-secret';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);
const KEY = 'sk-0123456789abcdef0123456789abcdef';
const TOKEN = 'Zq8vN2rT5wX1yB4kQm3p';

function assertMaskedNoFix(found: Finding[], secrets: string[]) {
  for (const f of found) {
    for (const s of secrets) assert.ok(!f.message.includes(s), `secret in message: ${f.message}`);
    assert.deepEqual(f.fixes, [], 'nginx offers no automatic fix');
    assert.match(f.message, /root-only file that the config includes/);
  }
}

describe('nginx secret candidates (secrets/hardcoded-secret)', () => {
  it('finds keys in header values and in if comparisons, at the key, masked, with no fix', () => {
    const text = lines('server {', `    if ($http_authorization != "Bearer ${KEY}") { return 401; }`, '    location / {', `        proxy_set_header Authorization "Bearer ${KEY}";`, '    }', '}');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, KEY, 0), rangeOf(text, KEY, 1)]);
    assert.ok(found.every((f) => f.severity === 'error'));
    assertMaskedNoFix(found, [KEY]);
  });

  it('finds secret-named values, set variables and URL passwords; leaves variables alone', () => {
    const text = lines('set $api_token hunter2hunter2SECRETvalue99;', 'proxy_set_header X-Api-Key $api_token;', 'location / {', '    proxy_pass http://admin:s3cr3tP4ss@127.0.0.1:4000;', '}');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, 'hunter2hunter2SECRETvalue99'), rangeOf(text, 's3cr3tP4ss')]);
  });

  it('the header check of the reference articles, with a real-looking token: the token after the scheme, quoted or not', () => {
    const text = lines(
      'location /api/ {',
      `    if ($http_authorization != "Bearer ${TOKEN}") { return 401; }`,
      '    if ($http_x_api_key != Hx5tR8wN2qJ6Pw7xK2) { return 401; }',
      "    if ($arg_token = 'Pw7xK2mQ9vL4Hx5tR8') { return 403; }",
      '    proxy_pass http://127.0.0.1:11434;',
      '}',
    );
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, TOKEN), rangeOf(text, 'Hx5tR8wN2qJ6Pw7xK2'), rangeOf(text, 'Pw7xK2mQ9vL4Hx5tR8')]);
    assert.ok(found.every((f) => f.severity === 'warning'));
    assert.ok(found[0].message.includes(`in $http_authorization (${maskSecret(TOKEN)})`), found[0].message);
    assertMaskedNoFix(found, [TOKEN, 'Hx5tR8wN2qJ6Pw7xK2', 'Pw7xK2mQ9vL4Hx5tR8']);
  });

  it('map entries: the values a secret header is compared with, and the results of a secret-named variable', () => {
    const text = lines(
      'map $http_x_api_key $api_client {',
      '    default "";',
      '    "Pw7xK2mQ9vL4Hx5tR8" alice;',
      '    ~^legacy- legacy;',
      '}',
      'map $host $upstream_token {',
      '    default Qm3pL7sK9dF2hJ6wZ;',
      `    ai.example.com "${TOKEN}";`,
      '    other.example.com $http_x_token;',
      '}',
      'map $uri $backend { default 127.0.0.1:8080; /long/path/x1y2z3q4w5 127.0.0.1:9090; }',
    );
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, 'Pw7xK2mQ9vL4Hx5tR8'), rangeOf(text, 'Qm3pL7sK9dF2hJ6wZ'), rangeOf(text, TOKEN)]);
  });

  it('header values of add_header, more_set_headers, grpc_set_header; env and fastcgi_param', () => {
    const text = lines(
      'env OPENAI_API_KEY=Hx5tR8wN2qJ6Pw7xK2;',
      'http {',
      '  server {',
      '    add_header Authorization "Basic dXNlcjpzM2NyM3RwYXNzd29yZA==" always;',
      "    more_set_headers -s 200 'X-Api-Key: Pw7xK2mQ9vL4Hx5tR8';",
      `    grpc_set_header x-api-token ${TOKEN};`,
      '    fastcgi_param DB_PASSWORD Qm3pL7sK9dF2hJ6wZ;',
      '  }',
      '}',
    );
    assert.deepEqual(check(text).map((f) => f.range), [
      rangeOf(text, 'Hx5tR8wN2qJ6Pw7xK2'),
      rangeOf(text, 'dXNlcjpzM2NyM3RwYXNzd29yZA=='),
      rangeOf(text, 'Pw7xK2mQ9vL4Hx5tR8'),
      rangeOf(text, TOKEN),
      rangeOf(text, 'Qm3pL7sK9dF2hJ6wZ'),
    ]);
  });

  it('a value nginx reads through an escape is reported as its whole word', () => {
    const text = lines(`proxy_set_header X-Api-Key "Zq8vN2rT\\"5wX1yB4kQm3p";`);
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, '"Zq8vN2rT\\"5wX1yB4kQm3p"')]);
  });

  it('stays silent on placeholders, variables, empty values, non-secret names and regex map keys', () => {
    const text = lines(
      'server {',
      '    if ($http_x_api_key != "your-secret-api-key-here") { return 401; }',
      '    if ($request_uri = /some/long/path/x1y2z3q4) { return 404; }',
      '    if ($http_authorization = "") { return 401; }',
      '    set $backend http://127.0.0.1:8080;',
      '    location / {',
      '        proxy_set_header Authorization $http_authorization;',
      '        proxy_set_header X-Api-Key "";',
      '        proxy_set_header X-Request-Id $request_id;',
      '        add_header X-Content-Type-Options nosniff;',
      '        proxy_set_header Authorization "Bearer <token>";',
      '        proxy_pass http://127.0.0.1:8080;',
      '    }',
      '}',
      'map $http_x_api_key $ok { default 0; ~^sk- 1; $http_x_other 1; }',
    );
    assert.deepEqual(check(text), []);
  });

  it('every generated key in a header value and in a comparison: found once each, at the key, masked', async () => {
    const keys = fakeKeys(5).filter((k) => !k.name);
    const text = lines('server {', ...keys.flatMap((k, i) => [`    proxy_set_header X-Key-${i} "${k.value}";`, `    if ($http_x_key_${i} = "Bearer ${k.value}") { return 200; }`]), '}');
    const found = (await lintTextAsync(FILE, text)).findings.filter((f) => f.rule === RULE);
    assert.deepEqual(
      found.map((f) => f.range),
      keys.flatMap((k) => [rangeOf(text, k.value, 0), rangeOf(text, k.value, 1)]),
    );
    assert.ok(found.every((f) => f.severity === 'error'));
    assertMaskedNoFix(found, keys.map((k) => k.value));
  });
});
