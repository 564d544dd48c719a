import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/host-header-spoofing';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports Host set from $http_host or a query argument, at the value, in any case', () => {
    const text = lines('location / {', '    proxy_pass http://app:3000;', '    proxy_set_header HoSt $http_host;', '}', 'location /b/ {', '    proxy_pass http://app:3000;', '    proxy_set_header host $arg_host;', '}');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, '$http_host'), rangeOf(text, '$arg_host')]);
  });

  it('accepts $host, literals and other headers', () => {
    assert.deepEqual(check(lines('proxy_set_header Host $host;', 'proxy_set_header Host app.internal;', 'proxy_set_header X-Forwarded-Host $http_host;')), []);
  });

  it('fixes to $host', () => {
    const text = lines('server {', '    proxy_set_header Host $http_host;', '}');
    assertFixWorks(text, RULE, undefined, lines('server {', '    proxy_set_header Host $host;', '}'), { file: FILE });
  });
});
