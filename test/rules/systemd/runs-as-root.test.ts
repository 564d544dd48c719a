import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'systemd/runs-as-root';
const UNIT = '/etc/systemd/system/llama.service';
const check = (text: string, file = UNIT) => only(lint(text, { file }), RULE);

describe(RULE, () => {
  it('reports a system service with no User= or DynamicUser=, at its [Service] header, as info', () => {
    const text = lines('[Unit]', 'Description=x', '[Service]', 'ExecStart=/usr/bin/llama-server', '[Install]', 'WantedBy=multi-user.target');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'info');
    assert.deepEqual(f.range, rangeOf(text, '[Service]'));
  });

  it('reports User=root and User=0, in units and drop-ins, at the setting', () => {
    const text = lines('[Service]', 'User=root');
    assert.deepEqual(check(text, '/etc/systemd/system/x.service.d/override.conf')[0].range, rangeOf(text, 'User=root'));
    const zero = lines('[Service]', 'ExecStart=/bin/a', 'User=0');
    assert.deepEqual(check(zero)[0].range, rangeOf(zero, 'User=0'));
  });

  it('accepts User=, DynamicUser=yes, drop-ins that do not set User=, user units, and .service files with no ExecStart=', () => {
    assert.deepEqual(check(lines('[Service]', 'ExecStart=/bin/a', 'User=ollama')), []);
    assert.deepEqual(check(lines('[Service]', 'ExecStart=/bin/a', 'DynamicUser=yes')), []);
    assert.deepEqual(check(lines('[Service]', 'Environment=A=1'), '/etc/systemd/system/x.service.d/override.conf'), []);
    assert.deepEqual(check(lines('[Service]', 'ExecStart=/bin/a'), '/home/me/.config/systemd/user/a.service'), []);
    assert.deepEqual(check(lines('[Service]', 'ExecStart=%h/bin/a')), []);
    assert.deepEqual(check(lines('[Service]', 'ExecStart=/bin/a', '[Install]', 'WantedBy=default.target')), []);
    assert.deepEqual(check(lines('[Service]', 'Environment="OLLAMA_HOST=0.0.0.0"')), []);
    assert.deepEqual(check(lines('[Socket]', 'ListenStream=80'), '/srv/a.socket'), []);
  });

  it('offers DynamicUser=yes (not preferred: the service may need a fixed user for its files)', () => {
    const text = lines('[Service]', 'ExecStart=/usr/bin/app');
    assert.equal(check(text)[0].fixes[0].preferred, undefined);
    assertFixWorks(text, RULE, /^Add DynamicUser=yes/, lines('[Service]', 'DynamicUser=yes', 'ExecStart=/usr/bin/app'), { file: UNIT });
  });
});
