import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/add-header-redefinition';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports a nested add_header that drops the outer ones, at its first add_header', () => {
    const text = lines('server {', '    add_header X-Frame-Options DENY always;', '    location /a {', '        add_header Cache-Control public;', '    }', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'add_header Cache-Control public;'));
    assert.match(f.message, /X-Frame-Options is no longer sent here/);
  });

  it('looks through levels without add_header, and into if blocks', () => {
    const text = lines('server {', '    add_header X-A a;', '    location / {', '        location /b { add_header X-B b; }', '        if ($x) { add_header X-C c; }', '    }', '}');
    assert.equal(check(text).length, 2);
  });

  it('accepts a level that repeats the outer headers, add_header_inherit, and levels without add_header', () => {
    assert.deepEqual(check(lines('server {', '    add_header X-A a;', '    location / {', '        add_header X-A a;', '        add_header X-B b;', '    }', '    location /c { root /x; }', '}')), []);
    assert.deepEqual(check(lines('server {', '    add_header X-A a;', '    location / {', '        add_header_inherit on;', '        add_header X-B b;', '    }', '}')), []);
  });

  it('fixes by repeating the dropped headers before the nested ones', () => {
    const text = lines('server {', '    add_header X-Frame-Options DENY always;', '    location /a {', '        add_header Cache-Control public;', '    }', '}');
    const expected = lines('server {', '    add_header X-Frame-Options DENY always;', '    location /a {', '        add_header X-Frame-Options DENY always;', '        add_header Cache-Control public;', '    }', '}');
    assertFixWorks(text, RULE, undefined, expected, { file: FILE });
  });
});
