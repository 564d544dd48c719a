import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { CADDYFILE, assertWorkspaceFixWorks, at, findingsOf, places } from './workspace';

const RULE = 'caddy/ollama-host-rejected';
const FILE = { file: '/work/project/Caddyfile' };
const check = (text: string) => only(lint(text, FILE), RULE);

describe(RULE, () => {
  it('flags a proxy to Ollama on localhost, 127.0.0.1 and [::1] without header_up Host', () => {
    const text = lines('a.example.com {', '\treverse_proxy localhost:11434', '}', 'b.example.com {', '\treverse_proxy http://127.0.0.1:11434', '}', 'c.example.com {', '\treverse_proxy [::1]:11434 {', '\t\theader_up Host {host}', '\t}', '}');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), ['reverse_proxy localhost:11434', 'reverse_proxy http://127.0.0.1:11434', 'reverse_proxy [::1]:11434'].map((n) => rangeOf(text, n)));
    assert.ok(found.every((f) => f.severity === 'warning'));
    assert.match(found[0].message, /403/);
  });

  it('leaves a rewritten Host, an upstream placeholder, a container name and https alone', () => {
    const text = lines(
      'a.example.com {',
      '\treverse_proxy localhost:11434 {',
      '\t\theader_up Host localhost:11434',
      '\t}',
      '\treverse_proxy 127.0.0.1:11434 {',
      '\t\theader_up Host {upstream_hostport}',
      '\t}',
      '\treverse_proxy ollama:11434',
      '\treverse_proxy https://localhost:11434',
      '}',
    );
    assert.deepEqual(check(text), []);
  });

  it('fix: adds a block with header_up when the proxy has none', () => {
    const text = lines('a.example.com {', '\treverse_proxy localhost:11434', '}');
    assertFixWorks(text, RULE, undefined, lines('a.example.com {', '\treverse_proxy localhost:11434 {', '\t\theader_up Host localhost:11434', '\t}', '}'), FILE);
  });

  it('fix: adds header_up at the top of an existing block', () => {
    const text = lines('a.example.com {', '  reverse_proxy 127.0.0.1:11434 {', '    flush_interval -1', '  }', '}');
    assertFixWorks(text, RULE, undefined, lines('a.example.com {', '  reverse_proxy 127.0.0.1:11434 {', '    header_up Host localhost:11434', '    flush_interval -1', '  }', '}'), FILE);
  });

  it("fix: rewrites an explicit header_up Host {host} in place", () => {
    const text = lines('a.example.com {', '\treverse_proxy [::1]:11434 {', '\t\theader_up Host {host}', '\t}', '}');
    assertFixWorks(text, RULE, undefined, lines('a.example.com {', '\treverse_proxy [::1]:11434 {', '\t\theader_up Host localhost:11434', '\t}', '}'), FILE);
  });
});

describe(`${RULE}: imports followed across files`, () => {
  it('a header_up Host in an imported file counts', async () => {
    const files = {
      [CADDYFILE]: lines('ai.example.com {', '\treverse_proxy localhost:11434 {', '\t\timport ollama-headers.caddy', '\t}', '}'),
      '/w/ollama-headers.caddy': lines('header_up Host localhost:11434'),
    };
    assert.deepEqual(await findingsOf(files, RULE), []);
    const other = { ...files, '/w/ollama-headers.caddy': lines('header_up X-Real-IP {remote_host}') };
    assert.deepEqual(places(await findingsOf(other, RULE)), [at(other, CADDYFILE, 'reverse_proxy localhost:11434')]);
  });

  it('a proxy in an imported fragment is reported at the import; the fix edits the fragment', async () => {
    const files = { [CADDYFILE]: lines('ai.example.com {', '\timport ollama.caddy', '}'), '/w/ollama.caddy': lines('reverse_proxy 127.0.0.1:11434') };
    const [f] = await findingsOf(files, RULE);
    assert.deepEqual(places([f]), [at(files, CADDYFILE, 'import ollama.caddy')]);
    assert.match(f.message, /\(in ollama\.caddy:1\)/);
    await assertWorkspaceFixWorks(files, RULE, undefined, {
      [CADDYFILE]: files[CADDYFILE],
      '/w/ollama.caddy': lines('reverse_proxy 127.0.0.1:11434 {', '\theader_up Host localhost:11434', '}'),
    });
  });

  it('an import in the block that cannot be followed is unknown', async () => {
    const files = { [CADDYFILE]: lines('ai.example.com {', '\treverse_proxy localhost:11434 {', '\t\timport headers/*.caddy', '\t}', '}') };
    assert.deepEqual(await findingsOf(files, RULE), []);
  });
});

describe(`${RULE}: a fragment linted by itself`, () => {
  it('is reported once, in the fragment, not again at the import', async () => {
    const files = { [CADDYFILE]: lines('ai.example.com {', '\timport ollama.caddyfile', '}'), '/w/ollama.caddyfile': lines('reverse_proxy localhost:11434') };
    assert.deepEqual(places(await findingsOf(files, RULE)), [at(files, '/w/ollama.caddyfile', 'reverse_proxy localhost:11434')]);
  });
});
