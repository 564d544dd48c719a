import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/server-tokens-on';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports server_tokens on and build at the value', () => {
    const text = lines('server_tokens on;', 'server {', '    server_tokens build;', '}');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'on'), rangeOf(text, 'build')]);
    assert.equal(found[0].severity, 'info');
  });

  it('accepts off and custom strings', () => {
    assert.deepEqual(check(lines('server_tokens off;', 'server { server_tokens ""; }')), []);
  });

  it('fixes to off', () => {
    const text = lines('http {', '    server_tokens on;', '}');
    assertFixWorks(text, RULE, undefined, lines('http {', '    server_tokens off;', '}'), { file: FILE });
  });
});
