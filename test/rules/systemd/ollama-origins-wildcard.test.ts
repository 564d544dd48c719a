import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'systemd/ollama-origins-wildcard';
const DROPIN = '/etc/systemd/system/ollama.service.d/override.conf';
const check = (text: string) => only(lint(text, { file: DROPIN }), RULE);
const opts = { file: DROPIN };

describe(RULE, () => {
  it('reports OLLAMA_ORIGINS=* at the assignment', () => {
    const text = lines('[Service]', 'Environment="OLLAMA_ORIGINS=*"');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.range, rangeOf(text, 'OLLAMA_ORIGINS=*'));
  });

  it('reports * and any-host web origins inside a list', () => {
    const text = lines('[Service]', 'Environment=OLLAMA_ORIGINS=chrome-extension://*,http://* OTHER=1', 'Environment=OLLAMA_ORIGINS=https://*,app://x');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, 'OLLAMA_ORIGINS=chrome-extension://*,http://*'), rangeOf(text, 'OLLAMA_ORIGINS=https://*,app://x')]);
  });

  it('accepts extension wildcards and named origins', () => {
    assert.deepEqual(check(lines('[Service]', 'Environment="OLLAMA_ORIGINS=moz-extension://*,chrome-extension://*"', 'Environment=OLLAMA_ORIGINS=https://chat.example.com', 'Environment=OTHER_ORIGINS=*')), []);
  });

  describe('fixes', () => {
    it('removes the line when it sets only a wildcard', () => {
      assertFixWorks(lines('[Service]', 'Environment="OLLAMA_ORIGINS=*"', 'User=ollama'), RULE, undefined, lines('[Service]', 'User=ollama'), opts);
    });

    it('removes only the assignment when the line has others', () => {
      assertFixWorks(lines('[Service]', 'Environment="OLLAMA_HOST=127.0.0.1" "OLLAMA_ORIGINS=*"'), RULE, undefined, lines('[Service]', 'Environment="OLLAMA_HOST=127.0.0.1"'), opts);
      assertFixWorks(lines('[Service]', 'Environment=OLLAMA_ORIGINS=* A=1'), RULE, undefined, lines('[Service]', 'Environment=A=1'), opts);
    });

    it('narrows a list to its named origins', () => {
      assertFixWorks(lines('[Service]', 'Environment=OLLAMA_ORIGINS=*,moz-extension://*'), RULE, undefined, lines('[Service]', 'Environment=OLLAMA_ORIGINS=moz-extension://*'), opts);
    });
  });
});
