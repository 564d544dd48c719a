import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'systemd/execstart-not-reset';
const DROPIN = '/etc/systemd/system/ollama.service.d/override.conf';
const check = (text: string, file = DROPIN) => only(lint(text, { file }), RULE);

describe(RULE, () => {
  it('reports a drop-in ExecStart= that is not cleared first, as an error at the line', () => {
    const text = lines('[Service]', 'Environment=OLLAMA_MODELS=/srv/models', 'ExecStart=/usr/local/bin/ollama serve');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, rangeOf(text, 'ExecStart=/usr/local/bin/ollama serve'));
    assert.match(f.message, /refuses/);
  });

  it('reports the whole continued command', () => {
    const text = lines('[Service]', 'ExecStart=/bin/app \\', '  --flag');
    assert.deepEqual(check(text)[0].range, rangeOf(text, 'ExecStart=/bin/app \\\n  --flag'));
  });

  it('accepts a cleared list, Type=oneshot, other Exec*= settings, and an override.conf without [Service]', () => {
    assert.deepEqual(check(lines('[Service]', 'ExecStart=', 'ExecStart=/bin/app')), []);
    assert.deepEqual(check(lines('[Service]', 'Type=oneshot', 'ExecStart=/bin/a', 'ExecStart=/bin/b')), []);
    assert.deepEqual(check(lines('[Service]', 'ExecStartPre=/bin/a', 'ExecStartPost=/bin/b', 'ExecReload=/bin/kill -HUP $MAINPID')), []);
    assert.deepEqual(check(lines('[Unit]', 'ExecStart=/bin/a'), '/tmp/override.conf'), []);
    assert.deepEqual(check(lines('[Socket]', 'ExecStartPre=/bin/a'), '/etc/systemd/system/a.socket.d/override.conf'), []);
  });

  it('in a unit file, reports a second ExecStart= for a service that is not oneshot (no fix: which one to keep is yours)', () => {
    const text = lines('[Service]', 'ExecStart=/bin/a', 'ExecStart=/bin/b');
    const [f, ...rest] = check(text, '/srv/app.service');
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'ExecStart=/bin/b'));
    assert.deepEqual(f.fixes, []);
    assert.deepEqual(check(lines('[Service]', 'ExecStart=/bin/a'), '/srv/app.service'), []);
    assert.deepEqual(check(lines('[Service]', 'ExecStart=/bin/a', 'ExecStart=', 'ExecStart=/bin/b'), '/srv/app.service'), []);
  });

  it('inserts the empty ExecStart= line, keeping CRLF', () => {
    assertFixWorks(lines('[Service]', 'ExecStart=/usr/local/bin/ollama serve'), RULE, undefined, lines('[Service]', 'ExecStart=', 'ExecStart=/usr/local/bin/ollama serve'), { file: DROPIN });
    assertFixWorks('[Service]\r\n  ExecStart=/bin/a\r\n', RULE, undefined, '[Service]\r\nExecStart=\r\n  ExecStart=/bin/a\r\n', { file: DROPIN });
  });
});
