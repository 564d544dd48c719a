import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/http-splitting';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports $uri in a header or redirect, at the value', () => {
    const text = lines('add_header X-Uri $uri;', 'return 301 https://$host$uri;');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, '$uri'), rangeOf(text, 'https://$host$uri')]);
    assert.equal(found[0].severity, 'error');
  });

  it('follows captures that can hold a line break, set and map', () => {
    for (const text of [
      lines('location ~ /proxy/(a|b)/(\\W*)$ {', '    proxy_pass http://storage/$2;', '}'),
      lines('location ~* ^/test/([^/]+)/ {', '    set $p $1;', '    proxy_pass http://10.0.0.1/$p;', '}'),
      lines('map $host $h {', '    a $uri;', '    default 1;', '}', 'add_header X-H $h;'),
    ]) {
      assert.equal(check(text).length, 1, text);
    }
  });

  it('accepts $request_uri, captures that exclude line breaks, and a rewrite of its own captures', () => {
    for (const text of [
      lines('return 301 https://example.com$request_uri;'),
      lines('location ~* ^/test/(.*) {', '    proxy_pass http://10.0.0.1/$1;', '}'),
      lines('location ~ /p/(a|b)/(\\W*)$ {', '    set $p $1;', '    proxy_pass http://storage/$p;', '}'),
      lines('rewrite ^/p/(?<path>\\W*)$ http://storage/$path redirect;'),
      lines('return 403;'),
    ]) {
      assert.deepEqual(check(text), [], text);
    }
  });
});
