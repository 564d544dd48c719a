import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/access-log-off';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports access_log off at server level and in a proxying location', () => {
    const text = lines('server {', '    access_log off;', '    location /api/ {', '        access_log off;', '        proxy_pass http://127.0.0.1:8080;', '    }', '}');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'access_log off;'), rangeOf(text, 'access_log off;', 1)]);
    assert.equal(found[0].severity, 'info');
  });

  it('leaves static files, health checks and real logs alone', () => {
    const text = lines('server {', '    access_log /var/log/nginx/site.log;', '    location = /favicon.ico { access_log off; }', '    location ~* \\.(css|js)$ { access_log off; expires 7d; }', '}');
    assert.deepEqual(check(text), []);
  });
});
