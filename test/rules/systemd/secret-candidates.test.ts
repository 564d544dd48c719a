/** systemd's part in secrets/hardcoded-secret: which values of a unit it checks, at exact ranges. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';
import { fakeKeys } from '../secrets/fake-keys';

const RULE = 'secrets/hardcoded-secret';
const DROPIN = '/etc/systemd/system/litellm.service.d/override.conf';
const check = (text: string) => only(lint(text, { file: DROPIN }), RULE);
const KEY = fakeKeys().find((k) => !k.library && !k.name)!;

describe('systemd secret candidates', () => {
  it('checks Environment= values, quoted or not, at the value', () => {
    const text = lines('[Service]', `Environment="LLM_KEY=${KEY.value}" MODE=prod`, 'Environment=API_TOKEN=Zq8vN2rT5wX1yB4k');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, KEY.value), rangeOf(text, 'Zq8vN2rT5wX1yB4k')]);
    assert.equal(found[0].severity, 'error');
    assert.equal(found[1].severity, 'warning');
    assert.ok(found.every((f) => !f.message.includes(KEY.value) && !f.message.includes('Zq8vN2rT5wX1yB4k')), 'masked');
  });

  it('checks Exec*= arguments: --flag=value, --flag value, bare keys', () => {
    const text = lines('[Service]', 'ExecStart=', `ExecStart=/usr/bin/litellm --api-key=Zq8vN2rT5wX1yB4k \\`, '  --auth-token Qm3pL7sK9dF2hJ6w', `ExecStartPost=/bin/echo ${KEY.value}`);
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, 'Zq8vN2rT5wX1yB4k'), rangeOf(text, 'Qm3pL7sK9dF2hJ6w'), rangeOf(text, KEY.value)]);
  });

  it('stays silent on placeholders, paths, *_FILE, commented lines, other settings and ignored sections', () => {
    const text = lines(
      '[Service]',
      'Environment=API_KEY=changeme OPENAI_API_KEY=your-api-key-here TOKEN_FILE=/run/secrets/token',
      'EnvironmentFile=/etc/litellm/secrets.env',
      '# Environment=API_TOKEN=Zq8vN2rT5wX1yB4k',
      'Description=Zq8vN2rT5wX1yB4k',
      '[X-Vendor]',
      'Environment=API_TOKEN=Zq8vN2rT5wX1yB4k',
    );
    assert.deepEqual(check(text), []);
  });

  it('offers no automatic fix yet (Environment= cannot reference a variable)', () => {
    const [f] = check(lines('[Service]', 'Environment=API_TOKEN=Zq8vN2rT5wX1yB4k'));
    assert.deepEqual(f.fixes, []);
  });
});
