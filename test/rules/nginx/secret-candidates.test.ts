import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

/** secrets/hardcoded-secret on nginx configs: what nginx's extractor offers it. */
const RULE = 'secrets/hardcoded-secret';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);
const KEY = 'sk-0123456789abcdef0123456789abcdef';

describe('nginx secret candidates (secrets/hardcoded-secret)', () => {
  it('finds keys in header values and in if comparisons, at the key, masked, with no fix', () => {
    const text = lines('server {', `    if ($http_authorization != "Bearer ${KEY}") { return 401; }`, '    location / {', `        proxy_set_header Authorization "Bearer ${KEY}";`, '    }', '}');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, KEY, 0), rangeOf(text, KEY, 1)]);
    assert.ok(found.every((f) => f.severity === 'error' && !f.message.includes(KEY) && f.fixes.length === 0));
  });

  it('finds secret-named values, set variables and URL passwords; leaves variables alone', () => {
    const text = lines('set $api_token hunter2hunter2SECRETvalue99;', 'proxy_set_header X-Api-Key $api_token;', 'location / {', '    proxy_pass http://admin:s3cr3tP4ss@127.0.0.1:4000;', '}');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, 'hunter2hunter2SECRETvalue99'), rangeOf(text, 's3cr3tP4ss')]);
  });
});
