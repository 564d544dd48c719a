import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/alias-traversal';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports a prefix location without a trailing slash, at the alias', () => {
    const text = lines('location /files {', '    alias /home/;', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'alias /home/;'));
    assert.match(f.message, /^Path traversal through alias/);
  });

  it('reports a regex capture that can be ".." placed after a non-slash', () => {
    for (const [loc, alias] of [['~ /images(.*)', '/app/static/$1'], ['~ /site/(.*)', '/lol$1'], ['~ /site(2)(.*)', '/lol/$2']]) {
      assert.equal(check(lines(`location ${loc} {`, `    alias ${alias};`, '}')).length, 1, loc);
    }
  });

  it('accepts slashed prefixes, anchored captures, captures that cannot hold a dot, and files', () => {
    for (const [loc, alias] of [['/files/', '/home/'], ['/files/', '/home'], ['~ /images/(.*)$', '/app/static/$1'], ['~ /images(/.*)', '/app/static$1'], ['~ /images([^\\.]*)', '/app/static/$1'], ['~* ^/files-(en|fr|es)', '/home/'], ['= /favicon.ico', '/srv/favicon.ico'], ['/robots.txt', '/srv/robots.txt']]) {
      assert.deepEqual(check(lines(`location ${loc} {`, `    alias ${alias};`, '}')), [], loc);
    }
  });
});
