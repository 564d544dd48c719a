import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'caddy/plain-http-site';
const FILE = { file: '/work/project/Caddyfile' };
const check = (text: string) => only(lint(text, FILE), RULE);
const HASH = '$2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG';

describe(RULE, () => {
  it('flags http:// and :80 sites for public names proxying Ollama, at the address', () => {
    const text = lines('http://ai.example.com, api.example.com:80 {', '\treverse_proxy ollama:11434', '}');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'http://ai.example.com'), rangeOf(text, 'api.example.com:80')]);
    assert.equal(found[0].severity, 'warning');
  });

  it('flags a nameless :80 or http:// site (every name) that carries credentials, not other ports', () => {
    const text = lines(':80, http://, :8080 {', '\tbasic_auth {', `\t\ta ${HASH}`, '\t}', '\treverse_proxy app:3000', '}');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, ':80'), rangeOf(text, 'http://')]);
  });

  it('leaves HTTPS sites, private names and addresses, and sites with nothing sensitive alone', () => {
    const text = lines(
      'ai.example.com {',
      '\treverse_proxy ollama:11434',
      '}',
      'http://ollama.lan, http://localhost, http://192.168.1.5, http://ai.home.arpa {',
      '\treverse_proxy ollama:11434',
      '}',
      'http://www.example.com {',
      '\tredir https://example.com{uri}',
      '}',
      ':443 {',
      '\treverse_proxy ollama:11434',
      '}',
    );
    assert.deepEqual(check(text), []);
  });

  it('fix: drops http:// (or :80) so Caddy serves the name over HTTPS', () => {
    const text = lines('http://ai.example.com {', '\treverse_proxy ollama:11434', '}');
    assertFixWorks(text, RULE, undefined, lines('ai.example.com {', '\treverse_proxy ollama:11434', '}'), FILE);
    const port = lines('ai.example.com:80 {', '\treverse_proxy ollama:11434', '}');
    assertFixWorks(port, RULE, undefined, lines('ai.example.com {', '\treverse_proxy ollama:11434', '}'), FILE);
  });

  it('offers no fix for a nameless site (there is no name to get a certificate for)', () => {
    const text = lines(':80 {', '\treverse_proxy ollama:11434', '}');
    assert.equal(check(text)[0].fixes.length, 0);
  });
});
