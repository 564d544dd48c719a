import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { CADDYFILE, assertWorkspaceFixWorks, at, findingsOf, places } from './workspace';

const RULE = 'caddy/ollama-admin-api-exposed';
const FILE = { file: '/work/project/Caddyfile' };
const check = (text: string) => only(lint(text, FILE), RULE);

describe(RULE, () => {
  it('flags a proxy to Ollama that reaches /api/pull and friends, at the proxy', () => {
    const text = lines('ai.example.com {', '\treverse_proxy ollama:11434', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.range, rangeOf(text, 'reverse_proxy ollama:11434'));
    assert.match(f.message, /\/api\/pull, \/api\/push, \/api\/delete, \/api\/create, \/api\/copy/);
  });

  it('names only the endpoints left open, and follows handle_path prefixes', () => {
    const text = lines('ai.example.com {', '\trespond /api/pull 403', '\trespond /api/push* 403', '\thandle_path /ollama/* {', '\t\treverse_proxy localhost:11434', '\t}', '}');
    const [f] = check(text);
    assert.match(f.message, /reach Ollama's \/api\/delete, \/api\/create, \/api\/copy:/);
  });

  it('leaves blocked endpoints, proxies limited to other paths and other services alone', () => {
    const ok = [
      lines('a.example.com {', '\t@admin path /api/pull /api/push /api/delete /api/create /api/copy', '\trespond @admin 403', '\treverse_proxy ollama:11434', '}'),
      lines('a.example.com {', '\thandle /api/* {', '\t\tabort', '\t}', '\treverse_proxy ollama:11434', '}'),
      lines('a.example.com {', '\treverse_proxy /api/generate ollama:11434', '\treverse_proxy /api/chat ollama:11434', '}'),
      lines('a.example.com {', '\thandle /v1/* {', '\t\treverse_proxy ollama:11434', '\t}', '}'),
      lines('a.example.com {', '\treverse_proxy open-webui:8080', '}'),
    ];
    for (const text of ok) assert.deepEqual(check(text), [], text);
  });

  it('fix: inserts a matcher for the open endpoints and respond 403 above the proxy', () => {
    const text = lines('ai.example.com {', '\treverse_proxy ollama:11434', '}');
    assertFixWorks(
      text,
      RULE,
      undefined,
      lines('ai.example.com {', '\t@ollama_admin path /api/pull /api/push /api/delete /api/create /api/copy', '\trespond @ollama_admin 403', '\treverse_proxy ollama:11434', '}'),
      FILE,
    );
  });

  it('fix: picks a matcher name not already taken', () => {
    const text = lines('ai.example.com {', '\t@ollama_admin path /x', '\treverse_proxy ollama:11434', '}');
    const [f] = check(text);
    assert.match(f.fixes[0].edits[0].newText, /^\t@ollama_admin2 path/);
  });
});

describe(`${RULE}: imports followed across files`, () => {
  it('a block of the admin endpoints in an imported file counts', async () => {
    const files = {
      [CADDYFILE]: lines('ai.example.com {', '\timport block-admin.caddy', '\treverse_proxy ollama:11434', '}'),
      '/w/block-admin.caddy': lines('@admin path /api/pull /api/push /api/delete /api/create /api/copy', 'respond @admin 403'),
    };
    assert.deepEqual(await findingsOf(files, RULE), []);
    const partial = { ...files, '/w/block-admin.caddy': lines('@admin path /api/pull /api/push', 'respond @admin 403') };
    const [f] = await findingsOf(partial, RULE);
    assert.deepEqual(places([f]), [at(partial, CADDYFILE, 'reverse_proxy ollama:11434')]);
    assert.match(f.message, /\/api\/delete, \/api\/create, \/api\/copy/);
  });

  it('for a site of an imported file, the fix goes into that site', async () => {
    const files = { [CADDYFILE]: lines('import sites/*.caddy'), '/w/sites/ai.caddy': lines('ai.example.com {', '\timport ../ollama.caddy', '}'), '/w/ollama.caddy': lines('reverse_proxy ollama:11434') };
    const [f] = await findingsOf(files, RULE);
    assert.deepEqual(places([f]), [at(files, CADDYFILE, 'import sites/*.caddy')]);
    await assertWorkspaceFixWorks(files, RULE, undefined, {
      [CADDYFILE]: files[CADDYFILE],
      '/w/sites/ai.caddy': lines('ai.example.com {', '\t@ollama_admin path /api/pull /api/push /api/delete /api/create /api/copy', '\trespond @ollama_admin 403', '\timport ../ollama.caddy', '}'),
      '/w/ollama.caddy': files['/w/ollama.caddy'],
    });
  });
});

