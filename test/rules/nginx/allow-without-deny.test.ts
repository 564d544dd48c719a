import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/allow-without-deny';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports an allow list with no deny all at the same level, at the first allow', () => {
    const text = lines('location = /admin/ {', '    allow 10.0.0.0/8;', '    allow 192.168.0.0/16;', '    proxy_pass http://app:3000;', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'allow 10.0.0.0/8;'));
  });

  it('knows an outer deny all does not apply to a level with its own allow list', () => {
    assert.equal(check(lines('server {', '    deny all;', '    location / { allow 10.0.0.1; }', '}')).length, 1);
  });

  it('accepts allow + deny all, allow all, and a level with an include', () => {
    assert.deepEqual(check(lines('location / {', '    allow 10.0.0.1;', '    deny all;', '}', 'location /b/ { allow all; }', 'location /c/ { allow 10.0.0.1; include snippets/deny.conf; }')), []);
  });

  it('adds deny all after the last allow', () => {
    const text = lines('location / {', '\tallow 10.0.0.1;', '\tallow 10.0.0.2;', '}');
    assertFixWorks(text, RULE, undefined, lines('location / {', '\tallow 10.0.0.1;', '\tallow 10.0.0.2;', '\tdeny all;', '}'), { file: FILE });
  });
});
