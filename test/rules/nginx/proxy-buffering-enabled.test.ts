import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { at, assertWorkspaceFixWorks, findingsOf, nginxTree, places } from './workspace';

const RULE = 'nginx/proxy-buffering-enabled';
const FILE = '/work/project/nginx/conf.d/ai.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);
const site = (...inner: string[]) => lines('server {', '    listen 443 ssl;', ...inner, '}');

describe(RULE, () => {
  it('reports a streaming service with buffering on by default, at the proxy_pass', () => {
    const text = site('    location /v1/ {', '        proxy_pass http://vllm:8000;', '    }');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'proxy_pass http://vllm:8000;'));
    assert.match(f.message, /^vLLM streams its responses, but proxy buffering is on by default/);
  });

  it('reports an explicit proxy_buffering on in the location at the setting', () => {
    const text = site('    location / {', '        proxy_buffering on;', '        proxy_pass http://127.0.0.1:11434;', '    }');
    assert.deepEqual(check(text)[0].range, rangeOf(text, 'proxy_buffering on;'));
  });

  it('never flags proxy_buffering off, here or inherited; ignores services that do not stream', () => {
    assert.deepEqual(check(site('    location / {', '        proxy_buffering off;', '        proxy_pass http://127.0.0.1:11434;', '    }')), []);
    assert.deepEqual(check(lines('proxy_buffering off;', 'server {', '    location / { proxy_pass http://127.0.0.1:11434; }', '}')), []);
    assert.deepEqual(check(site('    location / { proxy_pass http://redis:6379; }')), []);
  });

  describe('fixes', () => {
    it('adds proxy_buffering off after the proxy_pass, at its indentation', () => {
      const text = site('    location / {', '        proxy_pass http://127.0.0.1:11434;  # ollama', '    }');
      assertFixWorks(text, RULE, undefined, site('    location / {', '        proxy_pass http://127.0.0.1:11434;  # ollama', '        proxy_buffering off;', '    }'), { file: FILE });
    });
    it('turns an explicit on off in place; keeps a server-level on for others and overrides it in the location', () => {
      const local = site('    location / {', '        proxy_buffering on;', '        proxy_pass http://127.0.0.1:11434;', '    }');
      assertFixWorks(local, RULE, undefined, local.replace('proxy_buffering on;', 'proxy_buffering off;'), { file: FILE });
      const outer = site('    proxy_buffering on;', '    location / { proxy_pass http://127.0.0.1:11434; }');
      assertFixWorks(outer, RULE, undefined, outer.replace('11434; }', '11434; proxy_buffering off; }'), { file: FILE });
    });
    it('keeps CRLF line breaks', () => {
      const text = 'server {\r\n  location / {\r\n    proxy_pass http://127.0.0.1:11434;\r\n  }\r\n}\r\n';
      assertFixWorks(text, RULE, undefined, 'server {\r\n  location / {\r\n    proxy_pass http://127.0.0.1:11434;\r\n    proxy_buffering off;\r\n  }\r\n}\r\n', { file: FILE });
    });
  });

  describe('across files (includes resolved in the workspace)', () => {
    const main = (...http: string[]) => lines('events {}', 'http {', ...http, '    include sites-enabled/*.conf;', '}');
    const site = '/w/nginx/sites-enabled/ai.conf';

    it('sees proxy_buffering off in an included file, at the location or in nginx.conf', async () => {
      const snippet = nginxTree({
        'nginx.conf': main(),
        'sites-enabled/ai.conf': lines('server {', '    location / {', '        include snippets/stream.conf;', '        proxy_pass http://127.0.0.1:11434;', '    }', '}'),
        'snippets/stream.conf': lines('proxy_buffering off;', 'proxy_read_timeout 600s;'),
      });
      assert.deepEqual(await findingsOf(snippet, RULE), []);
      const http = nginxTree({ 'nginx.conf': main('    proxy_buffering off;'), 'sites-enabled/ai.conf': lines('server {', '    location / { proxy_pass http://127.0.0.1:11434; }', '}') });
      assert.deepEqual(await findingsOf(http, RULE), []);
    });

    it('reports buffering turned on in nginx.conf, at the proxy_pass, and the fix sets it off in the location', async () => {
      const files = nginxTree({ 'nginx.conf': main('    proxy_buffering on;'), 'sites-enabled/ai.conf': lines('server {', '    location / {', '        proxy_pass http://127.0.0.1:11434;', '    }', '}') });
      const [f, ...rest] = await findingsOf(files, RULE);
      assert.equal(rest.length, 0);
      assert.deepEqual({ file: f.file, range: f.range }, at(files, site, 'proxy_pass http://127.0.0.1:11434;'));
      const fixed = await assertWorkspaceFixWorks(files, RULE, /^Add proxy_buffering off/, {
        [site]: lines('server {', '    location / {', '        proxy_pass http://127.0.0.1:11434;', '        proxy_buffering off;', '    }', '}'),
        '/w/nginx/nginx.conf': files['/w/nginx/nginx.conf'],
      });
      assert.deepEqual((await findingsOf(fixed, RULE)).flatMap((x) => x.fixes), [], 'applied twice: nothing left to apply');
    });

    it('offers no fix when a snippet included in the location turns buffering on (a second setting there would be a duplicate)', async () => {
      const files = nginxTree({
        'nginx.conf': main(),
        'sites-enabled/ai.conf': lines('server {', '    location / {', '        include snippets/proxy.conf;', '        proxy_pass http://127.0.0.1:11434;', '    }', '}'),
        'snippets/proxy.conf': lines('proxy_buffering on;'),
      });
      const [f, ...rest] = await findingsOf(files, RULE);
      assert.equal(rest.length, 0);
      assert.deepEqual({ file: f.file, range: f.range }, at(files, site, 'proxy_pass http://127.0.0.1:11434;'));
      assert.deepEqual(f.fixes, []);
    });
  });
});
