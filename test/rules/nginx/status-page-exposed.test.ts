import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/status-page-exposed';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports stub_status with no access control, at the directive', () => {
    const text = lines('server {', '    listen 80;', '    location /nginx_status {', '        stub_status;', '    }', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'stub_status;'));
  });

  it('accepts allow/deny, auth_basic, and loopback-only servers', () => {
    for (const text of [
      lines('server {', '    location /s {', '        stub_status;', '        allow 127.0.0.1;', '        deny all;', '    }', '}'),
      lines('server {', '    auth_basic "x";', '    location /s { stub_status; }', '}'),
      lines('server {', '    listen 127.0.0.1:8080;', '    location /s { stub_status; }', '}'),
    ]) {
      assert.deepEqual(check(text), [], text);
    }
  });

  it('restricts to 127.0.0.1', () => {
    const text = lines('server {', '    listen 80;', '    location /nginx_status {', '        stub_status;', '    }', '}');
    assertFixWorks(text, RULE, undefined, lines('server {', '    listen 80;', '    location /nginx_status {', '        stub_status;', '        allow 127.0.0.1;', '        deny all;', '    }', '}'), { file: FILE });
  });
});
