import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'systemd/binds-all-interfaces';
const DROPIN = '/etc/systemd/system/ollama.service.d/override.conf';
const check = (text: string, file = DROPIN) => only(lint(text, { file }), RULE);
const opts = { file: DROPIN };

describe(RULE, () => {
  it('flags the override every Ollama guide pastes, at the address', () => {
    const text = lines('[Service]', 'Environment="OLLAMA_HOST=0.0.0.0"');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.range, rangeOf(text, '0.0.0.0'));
    assert.match(f.message, /Ollama, which has no authentication/);
  });

  it('flags every spelling of "all interfaces": with a port, no host, IPv6, a URL, other *_HOST/*_BIND/*_LISTEN variables', () => {
    const text = lines(
      '[Service]',
      'Environment=OLLAMA_HOST=0.0.0.0:11434',
      'Environment=OLLAMA_HOST=:11434',
      'Environment="OLLAMA_HOST=http://0.0.0.0"',
      'Environment=GRANIAN_HOST=:: HOST=[::]:8080',
      'Environment=LISTEN_ADDR=0.0.0.0:9000 SERVER_BIND=203.0.113.9',
    );
    const found = check(text);
    assert.deepEqual(
      found.map((f) => f.range),
      [rangeOf(text, '0.0.0.0:11434'), rangeOf(text, ':11434', 1), rangeOf(text, 'http://0.0.0.0'), rangeOf(text, '::'), rangeOf(text, '[::]:8080'), rangeOf(text, '0.0.0.0:9000'), rangeOf(text, '203.0.113.9')],
    );
    assert.match(found[2].message, /port 80, not 11434/);
  });

  it('flags --host, --bind, --listen and -H in ExecStart=, across continuation lines and inside sh -c', () => {
    const text = lines(
      '[Service]',
      'ExecStart=',
      'ExecStart=/usr/bin/llama-server \\',
      '  # the model',
      '  --model /m.gguf \\',
      '  --host 0.0.0.0 --port 8080',
      '[Unit]',
      'Description=x',
    );
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, '0.0.0.0')]);
    const more = lines('[Service]', 'ExecStart=/bin/sh -c "exec app --bind=0.0.0.0:8000"', 'ExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375 -H fd://', 'ExecStart=/bin/srv --listen :8080');
    assert.deepEqual(check(more, '/srv/a.service').map((f) => f.range), [rangeOf(more, '0.0.0.0:8000'), rangeOf(more, 'tcp://0.0.0.0:2375'), rangeOf(more, ':8080')]);
  });

  it('flags a socket unit listening on a bare port or on every interface', () => {
    const text = lines('[Socket]', 'ListenStream=11434', 'ListenDatagram=0.0.0.0:5353', 'ListenStream=[::]:8080', 'ListenStream=127.0.0.1:9000', 'ListenStream=/run/app.sock', 'ListenStream=@abstract', 'ListenStream=vsock:2:1234');
    assert.deepEqual(check(text, '/srv/ollama.socket').map((f) => f.range), [rangeOf(text, '11434'), rangeOf(text, '0.0.0.0:5353'), rangeOf(text, '[::]:8080')]);
  });

  it('leaves loopback, private, Tailscale, names, variables and client settings alone', () => {
    const text = lines(
      '[Service]',
      'Environment=OLLAMA_HOST=127.0.0.1:11434 HOST=localhost LISTEN=[::1]:80',
      'Environment=OLLAMA_HOST=192.168.1.5 OTHER_BIND=100.101.102.103:80 APP_HOST=$HOST',
      'Environment=DB_HOST=203.0.113.5 OLLAMA_HOSTNAME=0.0.0.0 HOST=',
      'Environment="OLLAMA_HOST=0.0.0.0 OLLAMA_ORIGINS=*"',
      'ExecStart=/usr/bin/app --host 127.0.0.1 --bind unix:///run/app.sock --port 0.0.0.0',
      '# Environment=OLLAMA_HOST=0.0.0.0',
    );
    assert.deepEqual(check(text), []);
  });

  describe('fixes', () => {
    it('binds to 127.0.0.1 and keeps the port and the quoting', () => {
      assertFixWorks(lines('[Service]', 'Environment="OLLAMA_HOST=0.0.0.0"'), RULE, undefined, lines('[Service]', 'Environment="OLLAMA_HOST=127.0.0.1"'), opts);
      assertFixWorks(lines('[Service]', 'Environment=OLLAMA_HOST=0.0.0.0:11434'), RULE, undefined, lines('[Service]', 'Environment=OLLAMA_HOST=127.0.0.1:11434'), opts);
      assertFixWorks(lines('[Service]', 'Environment=OLLAMA_HOST=:11434'), RULE, undefined, lines('[Service]', 'Environment=OLLAMA_HOST=127.0.0.1:11434'), opts);
      assertFixWorks(lines('[Service]', "Environment='HOST=[::]:8080'"), RULE, undefined, lines('[Service]', "Environment='HOST=127.0.0.1:8080'"), opts);
      assertFixWorks(lines('[Service]', 'Environment=OLLAMA_HOST=http://0.0.0.0'), RULE, undefined, lines('[Service]', 'Environment=OLLAMA_HOST=http://127.0.0.1'), opts);
    });

    it('fixes a flag in ExecStart=, one finding at a time', () => {
      const text = lines('[Service]', 'ExecStart=/bin/app --host 0.0.0.0 \\', '  --listen=0.0.0.0:9000');
      const once = assertFixWorks(text, RULE, undefined, lines('[Service]', 'ExecStart=/bin/app --host 127.0.0.1 \\', '  --listen=0.0.0.0:9000'), { file: '/srv/a.service' });
      assertFixWorks(once, RULE, undefined, lines('[Service]', 'ExecStart=/bin/app --host 127.0.0.1 \\', '  --listen=127.0.0.1:9000'), { file: '/srv/a.service' });
    });

    it('binds a socket to 127.0.0.1', () => {
      const file = { file: '/srv/ollama.socket' };
      assertFixWorks(lines('[Socket]', 'ListenStream=11434'), RULE, undefined, lines('[Socket]', 'ListenStream=127.0.0.1:11434'), file);
      assertFixWorks(lines('[Socket]', 'ListenStream=[::]:11434'), RULE, undefined, lines('[Socket]', 'ListenStream=127.0.0.1:11434'), file);
    });

    it('offers no fix where the address is written with escapes', () => {
      const [f] = check(lines('[Service]', 'Environment=HOST=0.0.0\\x2e0'));
      assert.deepEqual(f.fixes, []);
    });
  });
});
