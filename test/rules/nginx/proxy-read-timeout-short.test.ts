import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { at, assertWorkspaceFixWorks, findingsOf, nginxTree, places } from './workspace';

const RULE = 'nginx/proxy-read-timeout-short';
const FILE = '/work/project/nginx/conf.d/ai.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);
const site = (...inner: string[]) => lines('server {', '    listen 443 ssl;', ...inner, '}');

describe(RULE, () => {
  it('reports the 60s default for a streaming service, at the proxy_pass', () => {
    const text = site('    location / {', '        proxy_pass http://127.0.0.1:11434;', '    }');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'proxy_pass http://127.0.0.1:11434;'));
    assert.match(f.message, /default 60s/);
  });

  it('reports a short explicit value at the setting, in any unit', () => {
    for (const v of ['90s', '1m', '100', '1m30s']) {
      const text = site('    location / {', `        proxy_read_timeout ${v};`, '        proxy_pass http://127.0.0.1:11434;', '    }');
      assert.deepEqual(check(text)[0].range, rangeOf(text, `proxy_read_timeout ${v};`), v);
    }
  });

  it('accepts 120 s and more, inherited or local, and other services', () => {
    for (const v of ['120s', '5m', '1h', '3600']) assert.deepEqual(check(site(`    proxy_read_timeout ${v};`, '    location / { proxy_pass http://127.0.0.1:11434; }')), [], v);
    assert.deepEqual(check(site('    location / { proxy_pass http://127.0.0.1:9090; }')), []);
  });

  describe('fixes', () => {
    it('adds proxy_read_timeout 300s after the proxy_pass', () => {
      const text = site('    location / {', '        proxy_pass http://127.0.0.1:11434;', '    }');
      assertFixWorks(text, RULE, undefined, site('    location / {', '        proxy_pass http://127.0.0.1:11434;', '        proxy_read_timeout 300s;', '    }'), { file: FILE });
    });
    it('raises a local value in place', () => {
      const text = site('    location / {', '        proxy_read_timeout 60s;', '        proxy_pass http://127.0.0.1:11434;', '    }');
      assertFixWorks(text, RULE, undefined, text.replace('60s', '300s'), { file: FILE });
    });
  });

  describe('across files (includes resolved in the workspace)', () => {
    const main = (...http: string[]) => lines('events {}', 'http {', ...http, '    include sites-enabled/*.conf;', '}');
    const site = '/w/nginx/sites-enabled/ai.conf';
    const server = lines('server {', '    location / {', '        proxy_pass http://127.0.0.1:11434;', '    }', '}');

    it('accepts a long timeout set in nginx.conf or in an included snippet', async () => {
      assert.deepEqual(await findingsOf(nginxTree({ 'nginx.conf': main('    proxy_read_timeout 10m;'), 'sites-enabled/ai.conf': server }), RULE), []);
      const snippet = nginxTree({
        'nginx.conf': main(),
        'sites-enabled/ai.conf': lines('server {', '    include snippets/llm.conf;', '    location / { proxy_pass http://127.0.0.1:11434; }', '}'),
        'snippets/llm.conf': lines('proxy_read_timeout 600s;'),
      });
      assert.deepEqual(await findingsOf(snippet, RULE), []);
    });

    it('reports a short timeout inherited from nginx.conf at the proxy_pass, and sets a long one in the location', async () => {
      const files = nginxTree({ 'nginx.conf': main('    proxy_read_timeout 30s;'), 'sites-enabled/ai.conf': server });
      assert.deepEqual(places(await findingsOf(files, RULE)), [at(files, site, 'proxy_pass http://127.0.0.1:11434;')]);
      await assertWorkspaceFixWorks(files, RULE, /^Add proxy_read_timeout/, {
        [site]: lines('server {', '    location / {', '        proxy_pass http://127.0.0.1:11434;', '        proxy_read_timeout 300s;', '    }', '}'),
      });
    });
  });
});
