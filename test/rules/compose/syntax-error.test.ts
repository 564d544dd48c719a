import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'compose/syntax-error';
const check = (text: string) => only(lint(text), RULE);

describe(RULE, () => {
  it('reports one error, at the duplicate key', () => {
    const text = lines('services:', '  web:', '    image: a:1', '  web:', '    image: b:1');
    const found = check(text);
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'error');
    assert.deepEqual(found[0].range, rangeOf(text, 'web', 1));
    assert.match(found[0].message, /^YAML syntax error: Map keys must be unique/);
  });

  it('reports a tab used as indentation at the tab', () => {
    const text = 'services:\n\tweb:\n';
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, '\t')]);
  });

  it('reports an unclosed quote found at the end of the file on the last line written', () => {
    const text = lines('services:', '  web:', '    image: "web:1');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'image: "web:1'));
    assert.match(f.message, /Missing closing "quote/);
  });

  it('reports a file that is not a mapping', () => {
    const text = lines('- a', '- b');
    const [f] = check(text);
    assert.deepEqual(f.range.start, { line: 0, character: 0 });
    assert.match(f.message, /must be a mapping/);
  });

  it('still runs the other rules on what parsed: a port before a late error is reported', () => {
    const text = lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', '      - "11434:11434"', '  web:', '    image: web:1', '   bad: 1');
    const found = lint(text);
    assert.deepEqual(only(found, RULE).map((f) => f.range.start.line), [7]);
    assert.deepEqual(only(found, 'compose/port-exposed-all-interfaces').map((f) => f.range), [rangeOf(text, '"11434:11434"')]);
  });

  it('says nothing of valid YAML, anchors, merge keys, !reset and multi-line strings included', () => {
    const text = lines(
      'x-base: &base',
      '  restart: unless-stopped',
      'services:',
      '  web:',
      '    <<: *base',
      '    image: web:1',
      '    ports: !reset []',
      '    command: >',
      '      serve',
      '      --port 80',
    );
    assert.deepEqual(check(text), []);
    assert.deepEqual(check(''), []);
  });
});
