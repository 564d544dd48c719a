import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'caddy/admin-api-exposed';
const FILE = { file: '/work/project/Caddyfile' };
const check = (text: string) => only(lint(text, FILE), RULE);

describe(RULE, () => {
  for (const addr of ['0.0.0.0:2019', ':2019', '[::]:2019', '203.0.113.7:2019']) {
    it(`flags admin ${addr} as an error, at the address`, () => {
      const text = lines('{', `\tadmin ${addr}`, '}', ':8080 {', '\trespond "ok"', '}');
      const [f, ...rest] = check(text);
      assert.equal(rest.length, 0);
      assert.equal(f.severity, 'error');
      assert.deepEqual(f.range, rangeOf(text, addr));
    });
  }

  it('leaves loopback, private addresses, unix sockets, off, placeholders and sites alone', () => {
    for (const addr of ['localhost:2019', '127.0.0.1:2019', '[::1]:2019', '10.0.0.5:2019', 'unix//run/caddy-admin.sock', 'off', '{$ADMIN_ADDR}']) {
      assert.deepEqual(check(lines('{', `\tadmin ${addr}`, '}')), [], addr);
    }
    assert.deepEqual(check(lines('{', '\tadmin {', '\t\torigins localhost', '\t}', '}')), []);
    assert.deepEqual(check(lines('a.example.com {', '\trespond "admin 0.0.0.0:2019"', '}')), []);
  });

  it('fix: binds the admin API to localhost, keeping the port', () => {
    const text = lines('{', '\tadmin 0.0.0.0:2020 {', '\t\torigins example.com', '\t}', '}');
    assertFixWorks(text, RULE, undefined, lines('{', '\tadmin localhost:2020 {', '\t\torigins example.com', '\t}', '}'), FILE);
    assertFixWorks(lines('{', '\tadmin :2019', '}'), RULE, undefined, lines('{', '\tadmin localhost:2019', '}'), FILE);
  });
});
