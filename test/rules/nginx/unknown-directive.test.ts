import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/unknown-directive';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports a misspelt directive at its name, with a did-you-mean fix', () => {
    const text = lines('server {', '    listen 80;', '    location / {', '        proxy_pas http://127.0.0.1:8080;', '    }', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'proxy_pas'));
    assert.equal(f.message, 'Unknown directive "proxy_pas": did you mean "proxy_pass"?');
    assertFixWorks(text, RULE, undefined, text.replace('proxy_pas ', 'proxy_pass '), { file: FILE });
  });

  it('suggests a directive allowed where the typo is, and fixes transpositions', () => {
    const text = lines('server {', '    listen 80;', '    server_nmae example.com;', '    proxy_buffering of;', '    add_haeder X-A b;', '}');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'server_nmae'), rangeOf(text, 'add_haeder')]);
    assertFixWorks(text, RULE, 'Change to "server_name"', text.replace('server_nmae', 'server_name'), { file: FILE });
    assertFixWorks(text, RULE, undefined, text.replace('server_nmae', 'server_name'), { file: FILE });
  });

  it('offers no fix when nothing is close', () => {
    const text = lines('server {', '    listen 80;', '    frobnicate_everything on;', '}');
    const [f] = check(text);
    assert.equal(f.message, 'Unknown directive "frobnicate_everything"');
    assert.deepEqual(f.fixes, []);
  });

  it('knows directives newer than Debian nginx, NGINX Plus ones, and common third-party modules', () => {
    const text = lines('server {', '    listen 443 ssl;', '    http2 on;', '    http3 on;', '    quic_retry on;', '    more_set_headers "Server: x";', '    location / {', '        content_by_lua_block { ngx.say("hi") }', '    }', '}');
    assert.deepEqual(check(text), []);
  });

  it('leaves template placeholders and the insides of map, types and geo alone', () => {
    const text = lines('{{ upstream_directives }}', 'map $uri $x {', '    default 0;', '    /a 1;', '}', 'types { text/html html; }', 'geo $g { 10.0.0.0/8 1; }');
    assert.deepEqual(check(text), []);
  });
});
