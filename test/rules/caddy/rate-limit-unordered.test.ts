import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { CADDYFILE, at, findingsOf, places } from './workspace';

const RULE = 'caddy/rate-limit-unordered';
const FILE = { file: '/work/project/Caddyfile' };
const check = (text: string) => only(lint(text, FILE), RULE);
const RL = ['\trate_limit {', '\t\tzone z {', '\t\t\tkey {remote_host}', '\t\t\tevents 10', '\t\t\twindow 1m', '\t\t}', '\t}'];

describe(RULE, () => {
  it('flags rate_limit outside a route when no order is given, at the directive', () => {
    const text = lines('a.example.com {', ...RL, '\treverse_proxy app:3000', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, rangeOf(text, 'rate_limit'));
  });

  it('flags an order after authentication and an order relative to the old basicauth name', () => {
    const after = lines('{', '\torder rate_limit after basic_auth', '}', 'a.example.com {', ...RL, '}');
    assert.deepEqual(check(after).map((f) => f.range), [rangeOf(after, 'order rate_limit after basic_auth')]);
    const old = lines('{', '\torder rate_limit before basicauth', '}', 'a.example.com {', ...RL, '}');
    assert.deepEqual(check(old).map((f) => f.range), [rangeOf(old, 'basicauth')]);
  });

  it('leaves an ordered rate_limit, one inside a route, and basicauth in a file for Caddy < 2.8 alone', () => {
    const ok = [
      lines('{', '\torder rate_limit before basic_auth', '}', 'a.example.com {', ...RL, '}'),
      lines('a.example.com {', '\troute {', ...RL.map((l) => '\t' + l), '\t\treverse_proxy app:3000', '\t}', '}'),
      lines('{', '\torder rate_limit before basicauth', '}', 'a.example.com {', '\tbasicauth {', '\t\ta $2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG', '\t}', ...RL, '}'),
    ];
    for (const text of ok) assert.deepEqual(check(text), [], text);
  });

  it('fix: adds the order to an existing global options block', () => {
    const text = lines('{', '\temail ops@example.com', '}', 'a.example.com {', ...RL, '}');
    assertFixWorks(text, RULE, undefined, lines('{', '\torder rate_limit before basic_auth', '\temail ops@example.com', '}', 'a.example.com {', ...RL, '}'), FILE);
  });

  it('fix: creates the global options block, after leading comments', () => {
    const text = lines('# my site', 'a.example.com {', ...RL, '}');
    assertFixWorks(text, RULE, undefined, lines('# my site', '{', '\torder rate_limit before basic_auth', '}', '', 'a.example.com {', ...RL, '}'), FILE);
  });

  it('fix: moves rate_limit before auth; orders relative to basic_auth', () => {
    const after = lines('{', '\torder rate_limit after basic_auth', '}', 'a.example.com {', ...RL, '}');
    assertFixWorks(after, RULE, undefined, lines('{', '\torder rate_limit before basic_auth', '}', 'a.example.com {', ...RL, '}'), FILE);
    const old = lines('{', '\torder rate_limit before basicauth', '}', 'a.example.com {', ...RL, '}');
    assertFixWorks(old, RULE, undefined, lines('{', '\torder rate_limit before basic_auth', '}', 'a.example.com {', ...RL, '}'), FILE);
  });
});

describe(`${RULE}: imports followed across files`, () => {
  it('imports that are followed and hold no order no longer silence the rule; one that cannot be followed does', async () => {
    const site = lines('import snippets.caddy', 'ai.example.com {', '\trate_limit {', '\t\tzone z {', '\t\t\tkey {remote_host}', '\t\t\tevents 10', '\t\t\twindow 1m', '\t\t}', '\t}', '\treverse_proxy ollama:11434', '}');
    const files = { [CADDYFILE]: site, '/w/snippets.caddy': lines('(common) {', '\tencode gzip', '}') };
    assert.deepEqual(places(await findingsOf(files, RULE)), [at(files, CADDYFILE, 'rate_limit')]);
    assert.deepEqual(await findingsOf({ [CADDYFILE]: site }, RULE), []);
  });

  it('a fragment runs under the global options of the file that imports it', async () => {
    const limit = lines('encode gzip', 'rate_limit {', '\tzone z {', '\t\tkey {remote_host}', '\t\tevents 10', '\t\twindow 1m', '\t}', '}');
    const files = { [CADDYFILE]: lines('{', '\torder rate_limit before basic_auth', '}', 'a.example.com {', '\timport Caddyfile.limits', '}'), '/w/Caddyfile.limits': limit };
    assert.deepEqual(await findingsOf(files, RULE), []);
    const unordered = { ...files, [CADDYFILE]: lines('a.example.com {', '\timport Caddyfile.limits', '}') };
    assert.deepEqual(places(await findingsOf(unordered, RULE)), [at(unordered, '/w/Caddyfile.limits', 'rate_limit')]);
  });
});

