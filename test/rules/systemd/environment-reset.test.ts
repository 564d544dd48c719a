import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'systemd/environment-reset';
const DROPIN = '/etc/systemd/system/ollama.service.d/override.conf';
const check = (text: string, file = DROPIN) => only(lint(text, { file }), RULE);

describe(RULE, () => {
  it('reports an empty Environment= in a drop-in', () => {
    const text = lines('[Service]', 'Environment=', 'Environment="OLLAMA_HOST=127.0.0.1"');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.range, rangeOf(text, 'Environment='));
    assert.match(f.message, /PATH/);
  });

  it('does not report in a unit file, for other empty settings, or for Environment= with a value', () => {
    assert.deepEqual(check(lines('[Service]', 'Environment=', 'Environment=A=1'), '/srv/a.service'), []);
    assert.deepEqual(check(lines('[Service]', 'ExecStart=', 'EnvironmentFile=', 'Environment=A=')), []);
  });

  it('offers to remove the line (not preferred: clearing may be what you meant)', () => {
    const text = lines('[Service]', 'Environment=', 'Environment=A=1');
    const [f] = check(text);
    assert.equal(f.fixes[0].preferred, undefined);
    assertFixWorks(text, RULE, 'Remove the empty Environment= line', lines('[Service]', 'Environment=A=1'), { file: DROPIN });
  });
});
