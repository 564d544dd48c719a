import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/valid-referers-none';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports none first, in the middle or last, at the word', () => {
    for (const text of [lines('valid_referers none server_names *.example.com;'), lines('valid_referers server_names', '    none bar.com;'), lines('valid_referers server_names foo.com none;')]) {
      assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, 'none')], text);
    }
  });

  it('accepts lists without none, and names that contain it', () => {
    assert.deepEqual(check(lines('valid_referers server_names foo.com *.none.com none.ru;')), []);
  });

  it('removes none with its blank', () => {
    assertFixWorks(lines('valid_referers none blocked server_names;'), RULE, undefined, lines('valid_referers blocked server_names;'), { file: FILE });
    assertFixWorks(lines('valid_referers server_names none;'), RULE, undefined, lines('valid_referers server_names;'), { file: FILE });
  });
});
