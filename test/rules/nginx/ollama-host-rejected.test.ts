import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { at, assertWorkspaceFixWorks, findingsOf, nginxTree, places } from './workspace';

const RULE = 'nginx/ollama-host-rejected';
const FILE = '/work/project/nginx/sites-available/ollama.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);
const site = (...inner: string[]) => lines('server {', '    listen 443 ssl;', ...inner, '}');

describe(RULE, () => {
  it('reports proxy_set_header Host $host to Ollama on loopback, at the header', () => {
    const text = site('    location / {', '        proxy_pass http://127.0.0.1:11434;', '        proxy_set_header Host $host;', '    }');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'proxy_set_header Host $host;'));
    assert.match(f.message, /answers 403 Forbidden/);
  });

  it('reports $http_host inherited from the server at the proxy_pass, and an upstream named like a host', () => {
    const inherited = site('    proxy_set_header Host $http_host;', '    location / {', '        proxy_pass http://localhost:11434;', '    }');
    assert.deepEqual(check(inherited).map((f) => f.range), [rangeOf(inherited, 'proxy_pass http://localhost:11434;')]);
    const upstream = lines('upstream ollama {', '    server 127.0.0.1:11434;', '}', 'server {', '    location / { proxy_pass http://ollama; }', '}');
    const [f] = check(upstream);
    assert.deepEqual(f.range, rangeOf(upstream, 'proxy_pass http://ollama;'));
    assert.match(f.message, /upstream's name "ollama"/);
  });

  it('leaves nginx defaults, local Host values, and Ollama on other hosts alone', () => {
    for (const text of [
      site('    location / { proxy_pass http://127.0.0.1:11434; }'),
      site('    location / {', '        proxy_pass http://127.0.0.1:11434;', '        proxy_set_header Host localhost:11434;', '    }'),
      site('    location / {', '        proxy_pass http://127.0.0.1:11434;', '        proxy_set_header Host ollama.internal;', '    }'),
      site('    location / {', '        proxy_pass http://ollama:11434;', '        proxy_set_header Host $host;', '    }'),
      lines('upstream ollama.local {', '    server 127.0.0.1:11434;', '}', 'server {', '    location / { proxy_pass http://ollama.local; }', '}'),
    ]) {
      assert.deepEqual(check(text), [], text);
    }
  });

  describe('fixes', () => {
    it('replaces the Host value in place', () => {
      const text = site('    location / {', '        proxy_pass http://127.0.0.1:11434;', '        proxy_set_header Host $host;', '        proxy_set_header X-Real-IP $remote_addr;', '    }');
      assertFixWorks(text, RULE, undefined, text.replace('Host $host', 'Host localhost:11434'), { file: FILE });
    });
    it('copies the inherited headers into the location, since one proxy_set_header there drops them all', () => {
      const text = site('    proxy_set_header Host $host;', '    proxy_set_header X-Real-IP $remote_addr;', '    location / {', '        proxy_pass http://127.0.0.1:11434;', '    }');
      const expected = site(
        '    proxy_set_header Host $host;',
        '    proxy_set_header X-Real-IP $remote_addr;',
        '    location / {',
        '        proxy_pass http://127.0.0.1:11434;',
        '        proxy_set_header X-Real-IP $remote_addr;',
        '        proxy_set_header Host localhost:11434;',
        '    }',
      );
      assertFixWorks(text, RULE, undefined, expected, { file: FILE });
    });
  });

  describe('across files (includes resolved in the workspace)', () => {
    const main = (...http: string[]) => lines('events {}', 'http {', ...http, '    include sites-enabled/*.conf;', '}');
    const site = '/w/nginx/sites-enabled/ai.conf';

    it('resolves an upstream in conf.d/upstreams.conf: its name goes out as Host', async () => {
      const files = nginxTree({
        'nginx.conf': main('    include conf.d/*.conf;'),
        'conf.d/upstreams.conf': lines('upstream ollama_backend {', '    server 127.0.0.1:11434;', '}'),
        'sites-enabled/ai.conf': lines('server {', '    location / {', '        proxy_pass http://ollama_backend;', '    }', '}'),
      });
      const [f, ...rest] = await findingsOf(files, RULE);
      assert.equal(rest.length, 0);
      assert.deepEqual({ file: f.file, range: f.range }, at(files, site, 'proxy_pass http://ollama_backend;'));
      assert.match(f.message, /upstream's name "ollama_backend"/);
      // Without the file that defines the upstream, the include matches nothing: what it is stays unknown.
      const { '/w/nginx/conf.d/upstreams.conf': _, ...unknown } = files;
      assert.deepEqual(await findingsOf(unknown, RULE), []);
      await assertWorkspaceFixWorks(files, RULE, /^Send Host/, {
        [site]: lines('server {', '    location / {', '        proxy_pass http://ollama_backend;', '        proxy_set_header Host localhost:11434;', '    }', '}'),
      });
    });

    it('reports the client Host set in nginx.conf at the proxy_pass, and the fix sets Host in the location', async () => {
      const files = nginxTree({
        'nginx.conf': main('    proxy_set_header Host $host;'),
        'sites-enabled/ai.conf': lines('server {', '    location / {', '        proxy_pass http://127.0.0.1:11434;', '    }', '}'),
      });
      assert.deepEqual(places(await findingsOf(files, RULE)), [at(files, site, 'proxy_pass http://127.0.0.1:11434;')]);
      await assertWorkspaceFixWorks(files, RULE, /^Send Host/, {
        [site]: lines('server {', '    location / {', '        proxy_pass http://127.0.0.1:11434;', '        proxy_set_header Host localhost:11434;', '    }', '}'),
      });
    });

    it('reports a snippet included in the location that passes the client Host, without a fix (the snippet is shared)', async () => {
      const files = nginxTree({
        'nginx.conf': main(),
        'sites-enabled/ai.conf': lines('server {', '    location / {', '        include snippets/proxy.conf;', '        proxy_pass http://127.0.0.1:11434;', '    }', '}'),
        'snippets/proxy.conf': lines('proxy_set_header Host $host;', 'proxy_set_header X-Real-IP $remote_addr;'),
      });
      const [f, ...rest] = await findingsOf(files, RULE);
      assert.equal(rest.length, 0);
      assert.deepEqual({ file: f.file, range: f.range }, at(files, site, 'proxy_pass http://127.0.0.1:11434;'));
      assert.deepEqual(f.fixes, []);
    });
  });
});
