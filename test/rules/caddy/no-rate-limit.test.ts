import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';
import { CADDYFILE, at, findingsOf, places } from './workspace';

const RULE = 'caddy/no-rate-limit';
const FILE = { file: '/work/project/Caddyfile' };
const check = (text: string) => only(lint(text, FILE), RULE);

describe(RULE, () => {
  it('notes a site proxying an AI or no-auth service with no rate_limit, at its addresses', () => {
    const text = lines('ai.example.com, www.ai.example.com {', '\treverse_proxy open-webui:8080', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'info');
    assert.deepEqual(f.range, rangeOf(text, 'ai.example.com, www.ai.example.com'));
    assert.match(f.message, /Open WebUI/);
  });

  it('finds a proxy inside handle blocks and snippets', () => {
    const text = lines('(o) {', '\treverse_proxy ollama:11434', '}', 'a.example.com {', '\thandle /x/* {', '\t\timport o', '\t}', '}');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, 'a.example.com')]);
  });

  it('leaves sites with a rate_limit (even in a snippet), other services and unknown imports alone', () => {
    const ok = [
      lines('(rl) {', '\trate_limit {', '\t\tzone z {', '\t\t\tkey {remote_host}', '\t\t\tevents 10', '\t\t\twindow 1m', '\t\t}', '\t}', '}', 'a.example.com {', '\timport rl', '\treverse_proxy ollama:11434', '}'),
      lines('a.example.com {', '\treverse_proxy app:3000', '}'),
      lines('a.example.com {', '\timport limits.caddy', '\treverse_proxy ollama:11434', '}'),
    ];
    for (const text of ok) assert.deepEqual(check(text), [], text);
  });

  it('offers no fix: rate_limit is a plugin the Caddy build must include', () => {
    assert.equal(check(lines('a.example.com {', '\treverse_proxy ollama:11434', '}'))[0].fixes.length, 0);
  });
});

describe(`${RULE}: imports followed across files`, () => {
  it('a rate_limit in an imported file counts; an imported file without one does not', async () => {
    const limit = lines('rate_limit {', '\tzone ai {', '\t\tkey {remote_host}', '\t\tevents 30', '\t\twindow 1m', '\t}', '}');
    const files = { [CADDYFILE]: lines('ai.example.com {', '\timport limits.caddy', '\treverse_proxy ollama:11434', '}'), '/w/limits.caddy': limit };
    assert.deepEqual(await findingsOf(files, RULE), []);
    const none = { ...files, '/w/limits.caddy': lines('encode gzip') };
    assert.deepEqual(places(await findingsOf(none, RULE)), [at(none, CADDYFILE, 'ai.example.com')]);
  });
});
