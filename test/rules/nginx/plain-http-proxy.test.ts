import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { at, assertWorkspaceFixWorks, findingsOf, nginxTree, places } from './workspace';

const RULE = 'nginx/plain-http-proxy';
const FILE = '/work/project/nginx/sites-available/ai.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports a port-80 server proxying Ollama, at its listen', () => {
    const text = lines('server {', '    listen 80;', '    server_name ai.example.com;', '    location / { proxy_pass http://127.0.0.1:11434; }', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'listen 80;'));
    assert.match(f.message, /plain HTTP \(80\) and proxies Ollama/);
  });

  it('reports a server with no listen (nginx listens on 80) at its name', () => {
    const text = lines('server {', '    location / { proxy_pass http://open-webui:8080; }', '}');
    assert.deepEqual(check(text)[0].range, rangeOf(text, 'server'));
  });

  it('accepts TLS-only, loopback-only, redirecting servers and unknown upstreams', () => {
    for (const text of [
      lines('server {', '    listen 443 ssl;', '    location / { proxy_pass http://127.0.0.1:11434; }', '}'),
      lines('server {', '    listen 127.0.0.1:8080;', '    location / { proxy_pass http://127.0.0.1:11434; }', '}'),
      lines('server {', '    listen 80;', '    return 301 https://$host$request_uri;', '    location / { proxy_pass http://127.0.0.1:11434; }', '}'),
      lines('server {', '    listen 80;', '    location / { proxy_pass http://127.0.0.1:3000; }', '}'),
    ]) {
      assert.deepEqual(check(text), [], text);
    }
  });

  describe('fixes', () => {
    it('redirects a plain server to HTTPS after its listen/server_name lines (preferred when the file has a TLS server)', () => {
      const text = lines('server {', '    listen 80;', '    server_name ai.example.com;', '    location / { proxy_pass http://127.0.0.1:11434; }', '}', 'server {', '    listen 443 ssl;', '    server_name ai.example.com;', '    location / { proxy_pass http://127.0.0.1:11434; }', '}');
      const expected = text.replace('server_name ai.example.com;\n', 'server_name ai.example.com;\n    return 301 https://$host$request_uri;\n');
      assertFixWorks(text, RULE, undefined, expected, { file: FILE });
    });
    it('uses if ($scheme = http) in a server that also serves TLS', () => {
      const text = lines('server {', '    listen 80;', '    listen 443 ssl;', '    location / { proxy_pass http://127.0.0.1:11434; }', '}');
      const expected = lines('server {', '    listen 80;', '    listen 443 ssl;', '    if ($scheme = http) {', '        return 301 https://$host$request_uri;', '    }', '    location / { proxy_pass http://127.0.0.1:11434; }', '}');
      assertFixWorks(text, RULE, undefined, expected, { file: FILE });
    });
  });

  describe('across files (includes resolved in the workspace)', () => {
    it('knows an upstream defined in conf.d/upstreams.conf', async () => {
      const files = nginxTree({
        'nginx.conf': lines('events {}', 'http {', '    include conf.d/*.conf;', '    include sites-enabled/*.conf;', '}'),
        'conf.d/upstreams.conf': lines('upstream llm {', '    server 127.0.0.1:11434;', '}'),
        'sites-enabled/ai.conf': lines('server {', '    listen 80;', '    location / { proxy_pass http://llm; }', '}'),
      });
      const [f, ...rest] = await findingsOf(files, RULE);
      assert.equal(rest.length, 0);
      assert.deepEqual({ file: f.file, range: f.range }, at(files, '/w/nginx/sites-enabled/ai.conf', 'listen 80;'));
      assert.match(f.message, /proxies Ollama/);
      // Alone, the site's upstream is unknown: quiet.
      assert.deepEqual(check(files['/w/nginx/sites-enabled/ai.conf']), []);
    });
  });
});
