import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'compose/privileged';
const check = (text: string) => only(lint(text), RULE);

describe(RULE, () => {
  it('flags privileged: true in the spellings compose accepts, at the entry', () => {
    const text = lines('services:', '  a:', '    image: a:1', '    privileged: true', '  b:', '    image: b:1', '    privileged: yes', '  c:', '    image: c:1', '    privileged: True');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'privileged: true'), rangeOf(text, 'privileged: yes'), rangeOf(text, 'privileged: True')]);
    assert.ok(found.every((f) => f.severity === 'warning' && f.fixes.length === 0));
    assert.match(found[0].message, /"a" runs privileged/);
  });

  it('leaves privileged: false, a missing key and interpolation alone', () => {
    const text = lines('services:', '  a:', '    image: a:1', '    privileged: false', '  b:', '    image: b:1', '  c:', '    image: c:1', '    privileged: ${PRIV:-false}', '  d:', '    image: d:1', '    cap_add: [SYS_ADMIN]');
    assert.deepEqual(check(text), []);
  });

  it('reports once at an anchor shared by two services', () => {
    const text = lines('x-p: &p', '  privileged: true', 'services:', '  a:', '    <<: *p', '    image: a:1', '  b:', '    <<: *p', '    image: b:1');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, 'privileged: true')]);
  });

  it('follows !reset', () => {
    const text = lines('x-p: &p', '  privileged: true', 'services:', '  a:', '    <<: *p', '    image: a:1', '    privileged: !reset null');
    assert.deepEqual(check(text), []);
  });
});
