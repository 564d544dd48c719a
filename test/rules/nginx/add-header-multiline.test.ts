import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/add-header-multiline';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports a quoted header value spanning lines, at the value', () => {
    const text = lines('add_header Content-Security-Policy "', "    default-src 'none';", '    font-src data:;";');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.range.start.line, 0);
    assert.deepEqual(f.range.start, rangeOf(text, '"').start);
  });

  it('reports more_set_headers once per directive, but not its -t/-s option values', () => {
    assert.equal(check(lines("more_set_headers 'X-A: a", "  b' 'X-B: c", "  d';")).length, 1);
    assert.deepEqual(check(lines("more_set_headers -t 'text/html", "    text/plain' 'X-Foo: some';")), []);
  });

  it('accepts one-line values', () => {
    assert.deepEqual(check(lines('add_header X-Foo foo always;', "more_set_headers 'X-A: b';")), []);
  });
});
