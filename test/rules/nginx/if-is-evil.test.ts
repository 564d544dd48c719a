import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/if-is-evil';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports the first unsafe directive of the ifs in a location, once per location, the others as related', () => {
    const text = lines(
      'server {',
      '    location /a {',
      '        if ($arg_x) {',
      '            add_header X-First 1;',
      '        }',
      '        if ($arg_y) {',
      '            return 403;',
      '        }',
      '        if ($arg_z) {',
      '            proxy_pass http://127.0.0.1:8080;',
      '        }',
      '    }',
      '    location /b {',
      '        if ($args ~ post=140) { rewrite ^ /x break; }',
      '    }',
      '}',
    );
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'add_header X-First 1;'), rangeOf(text, 'rewrite ^ /x break;')]);
    assert.equal(found[0].severity, 'warning');
    assert.match(found[0].message, /^"add_header" inside "if" in a location .*\(and 1 more directive/);
    assert.deepEqual(found[0].related?.map((r) => r.range), [rangeOf(text, 'proxy_pass http://127.0.0.1:8080;')]);
    assert.match(found[1].message, /^"rewrite" inside/);
  });

  it('accepts return and rewrite … last, redirect or permanent in a location, and any if in server context', () => {
    const text = lines(
      'server {',
      '    if ($host = old.example.com) { set $x 1; add_header X-Old 1; }',
      '    location / {',
      '        set $true 1;',
      '        if ($true) { return 403; }',
      '        if ($arg_a) { rewrite ^ /a last; }',
      '        if ($arg_b) { rewrite ^ http://example.com/ redirect; }',
      '        if ($arg_c) { rewrite ^ http://example.com/ permanent; }',
      '        if ($arg_d) { }',
      '    }',
      '}',
    );
    assert.deepEqual(check(text), []);
  });

  it('accepts an if that answers itself: a CORS preflight with its headers and return 204', () => {
    const text = lines('location / {', "    if ($request_method = 'OPTIONS') {", "        add_header 'Access-Control-Allow-Origin' '*';", '        add_header Access-Control-Max-Age 1728000;', '        return 204;', '    }', '    proxy_pass http://app;', '}');
    assert.deepEqual(check(text), []);
    // A break stops the rewrite directives: the return is never reached.
    const broken = lines('location / {', '    if ($arg_x) {', '        add_header X-A 1;', '        break;', '        return 204;', '    }', '}');
    assert.deepEqual(check(broken).map((f) => f.range), [rangeOf(broken, 'add_header X-A 1;')]);
  });

  it('reports a fragment that starts with location, and nested locations', () => {
    const text = lines('location /x {', '    location /x/y {', '        if ($arg_q) {', '            set $q 1;', '        }', '    }', '}');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, 'set $q 1;')]);
  });
});
