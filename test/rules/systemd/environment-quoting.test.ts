import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'systemd/environment-quoting';
const DROPIN = '/etc/systemd/system/ollama.service.d/override.conf';
const check = (text: string) => only(lint(text, { file: DROPIN }), RULE);

describe(RULE, () => {
  it('reports one quoted string with several assignments, at the string, naming the variables never set', () => {
    const text = lines('[Service]', 'Environment="OLLAMA_HOST=127.0.0.1 OLLAMA_MODELS=/srv/models"');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.range, rangeOf(text, '"OLLAMA_HOST=127.0.0.1 OLLAMA_MODELS=/srv/models"'));
    assert.match(f.message, /sets OLLAMA_HOST to everything after its "=", and never sets OLLAMA_MODELS/);
  });

  it('never shows the values (they may be secrets)', () => {
    const [f] = check(lines('[Service]', "Environment='OPENAI_API_KEY=sk-proj-abcdef123456 MODE=prod'"));
    assert.doesNotMatch(f.message, /sk-proj|prod/);
  });

  it('accepts one assignment per quoted string, unquoted lists, and values with spaces or options', () => {
    const text = lines(
      '[Service]',
      'Environment="OLLAMA_HOST=127.0.0.1" "OLLAMA_ORIGINS=app://*"',
      'Environment=A=1 B=2',
      'Environment="JAVA_OPTS=-Xmx1g -Dfoo=bar" "MSG=hello world"',
      'Environment=ARGS="--a b=c"',
    );
    assert.deepEqual(check(text), []);
  });

  it('splits the string into one quoted string per assignment', () => {
    assertFixWorks(lines('[Service]', 'Environment="A=1 B=2  C=x y"'), RULE, undefined, lines('[Service]', 'Environment="A=1" "B=2" "C=x y"'), { file: DROPIN });
    assertFixWorks(lines('[Service]', "Environment='A=a\\\\b B=\"q\"'"), RULE, undefined, lines('[Service]', "Environment='A=a\\\\b' 'B=\"q\"'"), { file: DROPIN });
  });
  it('inserts only quotes: the edit copies no value (a key would reach JSON and SARIF output)', () => {
    const text = lines('[Service]', 'Environment="OPENAI_API_KEY=sk-proj-abcdef123456 MODE=prod   X=\\"y\\""');
    const [f] = check(text);
    const col = (needle: string) => text.split('\n')[1].indexOf(needle);
    const span = (from: number, to: number) => ({ start: { line: 1, character: from }, end: { line: 1, character: to } });
    assert.deepEqual(f.fixes[0].edits, [
      { file: DROPIN, range: span(col(' MODE'), col(' MODE') + 1), newText: '" "' },
      { file: DROPIN, range: span(col('   X'), col('   X') + 3), newText: '" "' },
    ]);
    assertFixWorks(text, RULE, undefined, lines('[Service]', 'Environment="OPENAI_API_KEY=sk-proj-abcdef123456" "MODE=prod" "X=\\"y\\""'), { file: DROPIN });
  });
});
