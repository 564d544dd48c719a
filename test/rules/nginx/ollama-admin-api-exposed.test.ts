import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { at, assertWorkspaceFixWorks, findingsOf, nginxTree, places } from './workspace';

const RULE = 'nginx/ollama-admin-api-exposed';
const FILE = '/work/project/nginx/sites-available/ollama.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);
const site = (...inner: string[]) => lines('server {', '    listen 443 ssl;', ...inner, '}');

describe(RULE, () => {
  it('reports Ollama proxied at / with its admin endpoints reachable, at the proxy_pass', () => {
    const text = site('    location / {', '        proxy_pass http://127.0.0.1:11434;', '    }');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'proxy_pass http://127.0.0.1:11434;'));
    assert.match(f.message, /\/api\/pull, \/api\/push, \/api\/delete, \/api\/create, \/api\/copy/);
  });

  it('maps a prefix to the proxy_pass URI, and lists only the endpoints still open', () => {
    const text = site('    location /ollama/ {', '        proxy_pass http://127.0.0.1:11434/;', '    }', '    location = /ollama/api/pull { return 403; }');
    assert.match(check(text)[0].message, /\(\/api\/push, \/api\/delete, \/api\/create, \/api\/copy\)/);
  });

  it('accepts a deny location in front, a location that only serves chat, and deny all', () => {
    for (const text of [
      site('    location ~ ^/api/(pull|push|delete|create|copy) { deny all; }', '    location / { proxy_pass http://127.0.0.1:11434; }'),
      site('    location /api/chat { proxy_pass http://127.0.0.1:11434; }'),
      site('    location = /api/generate { proxy_pass http://127.0.0.1:11434; }'),
      site('    location / {', '        deny all;', '        proxy_pass http://127.0.0.1:11434;', '    }'),
    ]) {
      assert.deepEqual(check(text), [], text);
    }
  });

  describe('fixes', () => {
    it('adds a deny location before the proxy location', () => {
      const text = site('    location / {', '        proxy_pass http://127.0.0.1:11434;', '    }');
      const expected = site('    location ~ ^/api/(pull|push|delete|create|copy) {', '        deny all;', '    }', '    location / {', '        proxy_pass http://127.0.0.1:11434;', '    }');
      assertFixWorks(text, RULE, undefined, expected, { file: FILE });
    });
    it('uses the client path under a prefix, and nests the block in a ^~ location', () => {
      const prefixed = site('    location /ollama/ {', '        proxy_pass http://127.0.0.1:11434/;', '    }');
      const expected = site('    location ~ ^/ollama/api/(pull|push|delete|create|copy) {', '        deny all;', '    }', '    location /ollama/ {', '        proxy_pass http://127.0.0.1:11434/;', '    }');
      assertFixWorks(prefixed, RULE, undefined, expected, { file: FILE });
      const noregex = site('    location ^~ / {', '        proxy_pass http://127.0.0.1:11434;', '    }');
      const nested = site('    location ^~ / {', '        location ~ ^/api/(pull|push|delete|create|copy) {', '            deny all;', '        }', '        proxy_pass http://127.0.0.1:11434;', '    }');
      assertFixWorks(noregex, RULE, undefined, nested, { file: FILE });
    });
  });

  describe('across files (includes resolved in the workspace)', () => {
    const main = lines('events {}', 'http {', '    include sites-enabled/*.conf;', '}');

    it('accepts deny all from a snippet, and reports a location fragment in the fragment', async () => {
      const denied = nginxTree({
        'nginx.conf': main,
        'sites-enabled/ai.conf': lines('server {', '    location / {', '        include snippets/lan-only.conf;', '        proxy_pass http://127.0.0.1:11434;', '    }', '}'),
        'snippets/lan-only.conf': lines('allow 192.168.0.0/16;', 'deny all;'),
      });
      assert.deepEqual(await findingsOf(denied, RULE), []);
      const fragment = nginxTree({
        'nginx.conf': main,
        'sites-enabled/ai.conf': lines('server {', '    include snippets/ollama.conf;', '}'),
        'snippets/ollama.conf': lines('location / {', '    proxy_pass http://127.0.0.1:11434;', '}'),
      });
      assert.deepEqual(places(await findingsOf(fragment, RULE)), [at(fragment, '/w/nginx/snippets/ollama.conf', 'proxy_pass http://127.0.0.1:11434;')]);
    });
  });
});
