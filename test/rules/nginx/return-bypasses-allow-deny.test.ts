import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/return-bypasses-allow-deny';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports a return next to allow/deny, or in an if inside that location', () => {
    const text = lines('location /abc {', '    allow 127.0.0.2;', '    deny all;', '    return 200 "hello";', '}', 'location /d {', '    deny all;', '    if ($a) { return 200 "hi"; }', '}');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, 'return 200 "hello";'), rangeOf(text, 'return 200 "hi";')]);
  });

  it('accepts try_files next to allow/deny, a refusing return, and return in other locations', () => {
    assert.deepEqual(check(lines('location /abc {', '    deny all;', '    try_files "" @x;', '}', 'location / { return 301 https://a; }', 'location /x {', '    deny all;', '    return 403;', '}')), []);
  });
});
