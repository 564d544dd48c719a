import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/directive-not-allowed-here';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string, file = FILE) => only(lint(text, { file }), RULE);

describe(RULE, () => {
  it('reports proxy_pass at server level, at its name', () => {
    const text = lines('server {', '    listen 80;', '    proxy_pass http://127.0.0.1:8080;', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'proxy_pass'));
    assert.match(f.message, /^"proxy_pass" is not allowed in "server"; it belongs in: location, if, limit_except/);
  });

  it('reports listen in a location, server in server, events in http, and nested if', () => {
    const text = lines(
      'events {}',
      'http {',
      '    events {}',
      '    server {',
      '        server { listen 81; }',
      '        location / {',
      '            listen 82;',
      '            if ($a) { if ($b) { return 403; } }',
      '        }',
      '    }',
      '}',
    );
    const found = check(text, '/work/project/nginx.conf');
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'events', 1), rangeOf(text, 'server', 1), rangeOf(text, 'listen', 1), rangeOf(text, 'if', 1)]);
  });

  it('knows what "if" in a server allows (rewrite directives only) and what "if" in a location allows', () => {
    const text = lines('server {', '    listen 80;', '    if ($host = a) { return 301 https://b; proxy_pass http://x; }', '    location / { if ($host = a) { proxy_pass http://x; add_header X y; } }', '}');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'proxy_pass')]);
  });

  it('checks a fragment in the context it is included in', () => {
    // A file of location blocks is server contents; a file of server blocks is http contents.
    assert.deepEqual(check(lines('location / {', '    root /srv;', '}', 'location /a { alias /b/; }')), []);
    assert.deepEqual(check(lines('upstream u { server 127.0.0.1:1; }', 'server {', '    listen 80;', '}')), []);
  });

  it('accepts every directive in its documented contexts', () => {
    const text = lines('events { worker_connections 512; }', 'http {', '    limit_req_zone $binary_remote_addr zone=z:10m rate=5r/s;', '    server {', '        limit_req zone=z;', '        location / { limit_except GET { deny all; } }', '    }', '}', 'mail { server { listen 25; protocol smtp; } }');
    assert.deepEqual(check(text, '/work/project/nginx.conf'), []);
  });
});
