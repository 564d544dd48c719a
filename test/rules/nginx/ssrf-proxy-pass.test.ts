import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/ssrf-proxy-pass';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports a query argument as the upstream, at the URL', () => {
    const text = lines('location /proxy/ {', '    proxy_pass $arg_target;', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, '$arg_target'));
    assert.equal(f.severity, 'error');
  });

  it('follows regex captures, named captures, set and map into the host or scheme', () => {
    for (const text of [
      lines('location ~ /p/(.*)/(.*)$ {', '    set $h $1;', '    proxy_pass http://$h/$2;', '}'),
      lines('location ~* ^/b/(?<path>.*) {', '    proxy_pass http://some$path;', '}'),
      lines('location / {', '    proxy_pass $http_x_scheme://backend/file;', '}'),
      lines('map $uri $backend {', '    ~^/api/(.*)$ $1;', '    default localhost;', '}', 'server {', '    location / { proxy_pass http://$backend; }', '}'),
    ]) {
      assert.equal(check(text).length, 1, text);
    }
  });

  it('accepts variables in the path, $request_uri after a fixed host, and internal locations', () => {
    for (const text of [
      lines('location ~ /proxy/(.*)$ {', '    proxy_pass http://static.example.com/$1;', '}'),
      lines('location / {', '    set $upstream "http://app$request_uri";', '    proxy_pass $upstream;', '}'),
      lines('location /p/ {', '    internal;', '    proxy_pass $arg_some;', '}'),
      lines('location / {', '    proxy_pass http://$host:8080;', '}'),
    ]) {
      assert.deepEqual(check(text), [], text);
    }
  });
});
