import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';
import { at, assertWorkspaceFixWorks, findingsOf, nginxTree, places } from './workspace';

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

  describe('across files (includes resolved in the workspace)', () => {
    const main = (...http: string[]) => lines('events {}', 'http {', '    limit_req_zone $binary_remote_addr zone=ai:10m rate=5r/s;', ...http, '    include sites-enabled/*.conf;', '}');
    const site = lines('server {', '    listen 80;', '    location / { proxy_pass http://127.0.0.1:11434; }', '}');

    it('sees limit_req in nginx.conf\'s http block or in an included snippet', async () => {
      assert.deepEqual(await findingsOf(nginxTree({ 'nginx.conf': main('    limit_req zone=ai burst=10;'), 'sites-enabled/x.conf': site }), RULE), []);
      const snippet = nginxTree({
        'nginx.conf': main(),
        'sites-enabled/x.conf': lines('server {', '    include snippets/limits.conf;', '    location / { proxy_pass http://127.0.0.1:11434; }', '}'),
        'snippets/limits.conf': lines('limit_req zone=ai burst=10;'),
      });
      assert.deepEqual(await findingsOf(snippet, RULE), []);
    });

    it('reports when no file of the tree limits the proxy, and checks location fragments in their includer', async () => {
      const files = nginxTree({ 'nginx.conf': main(), 'sites-enabled/x.conf': site });
      assert.deepEqual(places(await findingsOf(files, RULE)), [at(files, '/w/nginx/sites-enabled/x.conf', 'proxy_pass http://127.0.0.1:11434;')]);
      const fragment = nginxTree({
        'nginx.conf': main(),
        'sites-enabled/x.conf': lines('server {', '    include snippets/ollama.conf;', '}'),
        'snippets/ollama.conf': lines('location / {', '    proxy_pass http://127.0.0.1:11434;', '}'),
      });
      assert.deepEqual(places(await findingsOf(fragment, RULE)), [at(fragment, '/w/nginx/snippets/ollama.conf', 'proxy_pass http://127.0.0.1:11434;')]);
    });
  });
});
