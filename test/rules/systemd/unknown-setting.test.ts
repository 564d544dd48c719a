import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'systemd/unknown-setting';
const DROPIN = '/etc/systemd/system/ollama.service.d/override.conf';
const UNIT = '/etc/systemd/system/ollama.service';
const check = (text: string, file = DROPIN) => only(lint(text, { file }), RULE);

describe(RULE, () => {
  it('reports a misspelt key at the key, with a did-you-mean', () => {
    const text = lines('[Service]', 'Enviroment="OLLAMA_HOST=127.0.0.1"');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.range, rangeOf(text, 'Enviroment'));
    assert.match(f.message, /Unknown setting Enviroment= in \[Service\].*Did you mean Environment=\?/);
  });

  it('knows keys are case-sensitive, and suggests the right case', () => {
    const text = lines('[Unit]', 'after=network.target', '[Service]', 'ExecStart=/bin/true', 'Restrat=always');
    const found = check(text, UNIT);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'after'), rangeOf(text, 'Restrat')]);
    assert.match(found[0].message, /After=/);
    assert.match(found[1].message, /Restart=/);
  });

  it('reports a key that belongs to another section of the unit', () => {
    const text = lines('[Service]', 'StartLimitIntervalSec=60', '[Unit]', 'Description=x');
    const [f] = check(text);
    assert.deepEqual(f.range, rangeOf(text, 'StartLimitIntervalSec'));
    assert.match(f.message, /belongs in \[Unit\], not \[Service\]/);
  });

  it('reports unknown sections and sections of another unit type; not X- sections or X- keys', () => {
    const text = lines('[service]', 'User=a', '[Socket]', 'ListenStream=80', '[X-Vendor]', 'Foo=1', '[Service]', 'X-Custom=1', 'ExecStart=/bin/true');
    const found = check(text, UNIT);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, '[service]'), rangeOf(text, '[Socket]')]);
    assert.match(found[0].message, /Unknown section \[service\].*Did you mean \[Service\]\?/);
    assert.match(found[1].message, /A \.service unit has no \[Socket\] section/);
    assert.deepEqual(found[1].fixes, []);
  });

  it('knows the settings of every unit type, and of a drop-in whose unit type is unknown', () => {
    assert.deepEqual(check(lines('[Socket]', 'ListenStream=8080', 'Accept=no'), '/srv/a.socket'), []);
    assert.deepEqual(check(lines('[Timer]', 'OnCalendar=daily', 'Persistent=true'), '/srv/a.timer'), []);
    assert.deepEqual(check(lines('[Service]', 'Environment=A=1', '[Socket]', 'ListenStream=1'), '/tmp/override.conf'), []);
    assert.equal(check(lines('[Timer]', 'Persistant=true'), '/srv/a.timer')[0].fixes[0].title, 'Change to Persistent=');
  });

  it('offers no suggestion for a key nothing resembles', () => {
    const [f] = check(lines('[Service]', 'PrivatePIDs=yes'));
    assert.deepEqual(f.fixes, []);
  });

  describe('fixes', () => {
    it('fixes the spelling', () => {
      assertFixWorks(lines('[Service]', 'Enviroment=A=1'), RULE, undefined, lines('[Service]', 'Environment=A=1'), { file: DROPIN });
      assertFixWorks(lines('[Unit]', 'after=x.target'), RULE, undefined, lines('[Unit]', 'After=x.target'), { file: UNIT });
    });

    it('renames a misspelt section', () => {
      assertFixWorks(lines('[service]', 'User=a'), RULE, undefined, lines('[Service]', 'User=a'), { file: DROPIN });
    });

    it('moves a setting under its section, all its lines, or into a new section at the end', () => {
      const text = lines('[Unit]', 'Description=x', 'ExecStart=/bin/a \\', '  --flag', '[Service]', 'User=a');
      assertFixWorks(text, RULE, 'Move to [Service]', lines('[Unit]', 'Description=x', '[Service]', 'ExecStart=/bin/a \\', '  --flag', 'User=a'), { file: UNIT });
      assertFixWorks('[Unit]\nWantedBy=multi-user.target\n[Path]\nPathChanged=/in', RULE, 'Move to [Install]', '[Unit]\n[Path]\nPathChanged=/in\n\n[Install]\nWantedBy=multi-user.target\n', { file: '/srv/in.path' });
    });
  });
});
