import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/wrong-argument-count';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports too few arguments at the name', () => {
    const text = lines('server {', '    listen 80;', '    location / {', '        proxy_set_header Host;', '    }', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'proxy_set_header'));
    assert.equal(f.message, '"proxy_set_header" takes 2 arguments, found 1');
  });

  it('reports extra arguments on them', () => {
    const text = lines('server {', '    listen 80;', '    gzip on off;', '    return 301 https://a extra;', '}');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'off'), rangeOf(text, 'extra')]);
    assert.equal(found[0].message, '"gzip" takes 1 argument, found 2');
    assert.equal(found[1].message, '"return" takes 1 to 2 arguments, found 3');
  });

  it('explains a missing ";" that makes the next line extra arguments, with a fix', () => {
    const text = lines('server {', '    listen 80;', '    location / {', '        proxy_pass http://127.0.0.1:8080', '        proxy_set_header Host $host;', '    }', '}');
    const [f] = check(text);
    assert.deepEqual(f.range, rangeOf(text, 'http://127.0.0.1:8080'));
    assert.match(f.message, /^Missing ";" after "http:\/\/127\.0\.0\.1:8080"/);
    assertFixWorks(text, RULE, undefined, text.replace('8080\n', '8080;\n'), { file: FILE });
  });

  it('accepts the counts nginx accepts: flags, optional parameters, any number', () => {
    const text = lines(
      'server {',
      '    listen 443 ssl default_server reuseport backlog=512;',
      '    server_name a.example b.example c.example;',
      '    error_page 500 502 503 504 /50x.html;',
      '    add_header X-A b always;',
      '    try_files $uri $uri/ /index.html;',
      '    keepalive_timeout 65 60;',
      '    ssl_protocols TLSv1.2 TLSv1.3;',
      '    location / { internal; }',
      '}',
    );
    assert.deepEqual(check(text), []);
  });
});
