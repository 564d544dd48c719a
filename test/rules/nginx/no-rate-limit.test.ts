import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/no-rate-limit';
const FILE = '/work/project/nginx/sites-available/ai.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports a proxy to a known service with no limit_req in effect, at the proxy_pass', () => {
    const text = lines('server {', '    listen 443 ssl;', '    location / { proxy_pass http://127.0.0.1:11434; }', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'info');
    assert.deepEqual(f.range, rangeOf(text, 'proxy_pass http://127.0.0.1:11434;'));
  });

  it('accepts limit_req here or inherited, unknown services and server fragments', () => {
    assert.deepEqual(check(lines('server {', '    limit_req zone=ai burst=5;', '    location / { proxy_pass http://127.0.0.1:11434; }', '}')), []);
    assert.deepEqual(check(lines('server {', '    location / { proxy_pass http://127.0.0.1:3000; }', '}')), []);
    assert.deepEqual(check(lines('location / { proxy_pass http://127.0.0.1:11434; }')), []);
  });
});
