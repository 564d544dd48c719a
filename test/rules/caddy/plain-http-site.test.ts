import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { CADDYFILE, assertWorkspaceFixWorks, at, findingsOf, places } from './workspace';

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

describe(`${RULE}: imports followed across files`, () => {
  it('a plain-HTTP site in a glob-imported file is reported at the import; the fix edits that file', async () => {
    const files = {
      [CADDYFILE]: lines('import sites/*.caddy'),
      '/w/sites/ai.caddy': lines('http://ai.example.com {', '\timport ollama.caddy', '}'),
      '/w/sites/ollama.caddy': lines('reverse_proxy ollama:11434'),
    };
    const [f, ...rest] = await findingsOf(files, RULE);
    assert.equal(rest.length, 0);
    assert.deepEqual(places([f]), [at(files, CADDYFILE, 'sites/*.caddy')]);
    assert.deepEqual(f.related, [{ ...at(files, '/w/sites/ai.caddy', 'http://ai.example.com'), message: 'site address written here' }]);
    await assertWorkspaceFixWorks(files, RULE, undefined, { [CADDYFILE]: files[CADDYFILE], '/w/sites/ai.caddy': lines('ai.example.com {', '\timport ollama.caddy', '}') });
  });

  it('what makes a site sensitive may come from an imported file', async () => {
    const files = { [CADDYFILE]: lines('http://ai.example.com {', '\timport proxy.caddy', '}'), '/w/proxy.caddy': lines('reverse_proxy localhost:11434') };
    assert.deepEqual(places(await findingsOf(files, RULE)), [at(files, CADDYFILE, 'http://ai.example.com')]);
    assert.deepEqual(await findingsOf({ ...files, '/w/proxy.caddy': lines('file_server') }, RULE), []);
  });
});
