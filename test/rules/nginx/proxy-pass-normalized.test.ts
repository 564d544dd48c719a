import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/proxy-pass-normalized';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports a proxy_pass with a URI part, in a location or an if or limit_except inside one', () => {
    const text = lines(
      'server {',
      '    location /api/ {',
      '        proxy_pass http://backend/v1/;',
      '    }',
      '    location /s {',
      '        proxy_pass "http://unix:/run/app.sock:/s/";',
      '    }',
      '    location @named {',
      '        proxy_pass $upstream_url/;',
      '    }',
      '    location /l {',
      '        limit_except GET { proxy_pass http://127.0.0.1:8000/; }',
      '    }',
      '}',
    );
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [
      rangeOf(text, 'http://backend/v1/'),
      rangeOf(text, '"http://unix:/run/app.sock:/s/"'),
      rangeOf(text, '$upstream_url/'),
      rangeOf(text, 'http://127.0.0.1:8000/'),
    ]);
    assert.match(found[0].message, /^With a URI part \("\/v1\/"\)/);
    assert.equal(found[0].severity, 'warning');
    assert.deepEqual(found[0].fixes, [], 'outside "location /" dropping the URI part changes the path the upstream gets');
  });

  it('reports "rewrite ^ $request_uri" without $1 or $uri in proxy_pass', () => {
    const text = lines('location /b {', '    rewrite ^ $request_uri;', '    proxy_pass http://127.0.0.1:8000;', '}', 'location /c {', '    rewrite ^ $request_uri;', '    if ($arg_x) { proxy_pass http://127.0.0.1:8000/; }', '}');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'http://127.0.0.1:8000'), rangeOf(text, 'http://127.0.0.1:8000/')]);
    assert.match(found[0].message, /%252F/);
  });

  it('accepts no URI part, exact locations, bare variables, stream proxies and the raw URI passed with $1 or $uri', () => {
    const text = lines(
      'location / { proxy_pass http://backend; }',
      'location /u { proxy_pass http://unix:/run/app.sock; }',
      'location = /foo { proxy_pass https://example.com/bar/foo; }',
      'location @x { proxy_pass $target; }',
      'location /r {',
      '    rewrite ^ $request_uri;',
      '    rewrite ^/r(/.*) $1 break;',
      '    return 400;',
      '    proxy_pass http://127.0.0.1:8080/$1;',
      '}',
      'location /h {',
      '    rewrite ^ $request_uri;',
      '    proxy_pass http://127.0.0.1:8000$uri;',
      '}',
    );
    assert.deepEqual(check(text), []);
    assert.deepEqual(check(lines('stream {', '    server {', '        listen 12345;', '        proxy_pass backend:12345;', '    }', '}')), []);
  });

  it('in "location /", drops the trailing "/" (the same path, passed unchanged)', () => {
    const text = lines('server {', '    location / {', '        proxy_pass http://127.0.0.1:3000/;', '    }', '}');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, 'http://127.0.0.1:3000/')]);
    assertFixWorks(text, RULE, undefined, text.replace('3000/;', '3000;'), { file: FILE });
    const quoted = lines('location ^~ / {', "    proxy_pass 'http://app/';", '}');
    assertFixWorks(quoted, RULE, undefined, quoted.replace("app/'", "app'"), { file: FILE });
  });
});
