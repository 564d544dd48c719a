import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

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
});
