import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'caddy/undefined-snippet';
const FILE = { file: '/work/project/Caddyfile' };
const check = (text: string) => only(lint(text, FILE), RULE);

describe(RULE, () => {
  it('flags an import of a snippet that is not defined, at the name', () => {
    const text = lines('(common) {', '\tencode gzip', '}', 'example.com {', '\timport comon', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'comon'));
    assert.match(f.message, /Did you mean "common"/);
  });

  it('flags a snippet imported before its definition', () => {
    const text = lines('example.com {', '\timport later', '}', '(later) {', '\tencode gzip', '}');
    const [f] = check(text);
    assert.deepEqual(f.range, rangeOf(text, 'later'));
    assert.match(f.message, /defined further down/);
  });

  it('leaves file imports, globs, placeholders and defined snippets alone', () => {
    const text = lines('(s) {', '\timport {args[0]}', '}', 'import sites/*.caddy', 'example.com {', '\timport s', '\timport ./extra.conf', '}');
    assert.deepEqual(check(text), []);
  });

  it('says nothing once a file is imported: it may define the snippet', () => {
    const text = lines('import snippets.caddy', 'example.com {', '\timport from_file', '}');
    assert.deepEqual(check(text), []);
  });

  it('fix: imports the closest defined snippet', () => {
    const text = lines('(common) {', '\tencode gzip', '}', 'example.com {', '\timport comon', '}');
    assertFixWorks(text, RULE, undefined, lines('(common) {', '\tencode gzip', '}', 'example.com {', '\timport common', '}'), FILE);
  });
});
