import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/proxy-without-auth';
const FILE = '/work/project/nginx/sites-available/ollama.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

const site = (...inner: string[]) => lines('server {', '    listen 80;', '    server_name ai.example.com;', ...inner, '}');

describe(RULE, () => {
  it('reports Ollama proxied with nothing in front, at the proxy_pass', () => {
    const text = site('    location / {', '        proxy_pass http://127.0.0.1:11434;', '    }');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'proxy_pass http://127.0.0.1:11434;'));
    assert.match(f.message, /^Ollama has no authentication of its own/);
  });

  it('resolves upstream blocks and knows services by host name', () => {
    const text = lines('upstream ollama_backend {', '    server 10.0.0.5:11434;', '}', 'server {', '    listen 80;', '    location /a/ { proxy_pass http://ollama_backend/; }', '    location /r/ { proxy_pass http://redis:6379; }', '    location /w/ { proxy_pass http://127.0.0.1:3000; }', '}');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, 'proxy_pass http://ollama_backend/;'), rangeOf(text, 'proxy_pass http://redis:6379;')]);
  });

  it('sees auth_basic, auth_request, deny all and header checks, inherited from the server', () => {
    const cases = [
      site('    auth_basic "AI";', '    auth_basic_user_file /etc/nginx/.htpasswd;', '    location / { proxy_pass http://127.0.0.1:11434; }'),
      site('    location / {', '        auth_request /auth;', '        proxy_pass http://127.0.0.1:11434;', '    }'),
      site('    location / {', '        allow 192.168.1.0/24;', '        deny all;', '        proxy_pass http://127.0.0.1:11434;', '    }'),
      site('    if ($http_authorization != "Bearer $api_key") { return 401; }', '    location / { proxy_pass http://127.0.0.1:11434; }'),
      site('    location / {', '        internal;', '        proxy_pass http://127.0.0.1:11434;', '    }'),
    ];
    for (const text of cases) assert.deepEqual(check(text), [], text);
  });

  it('understands auth_basic off and allow/deny replaced by a nested level', () => {
    const off = site('    auth_basic "AI";', '    auth_basic_user_file /etc/nginx/.htpasswd;', '    location / {', '        auth_basic off;', '        proxy_pass http://127.0.0.1:11434;', '    }');
    assert.equal(check(off).length, 1);
    // A level with its own allow/deny drops the outer ones: "deny all" no longer applies here.
    const replaced = site('    deny all;', '    location / {', '        allow 203.0.113.7;', '        proxy_pass http://127.0.0.1:11434;', '    }');
    assert.equal(check(replaced).length, 1);
  });

  it('stays quiet where an include could bring auth, in server fragments, and on loopback-only servers', () => {
    assert.deepEqual(check(site('    include snippets/authelia.conf;', '    location / { proxy_pass http://127.0.0.1:11434; }')), []);
    assert.deepEqual(check(lines('location / {', '    proxy_pass http://127.0.0.1:11434;', '}')), []);
    assert.deepEqual(check(lines('server {', '    listen 127.0.0.1:8080;', '    location / { proxy_pass http://127.0.0.1:11434; }', '}')), []);
  });

  describe('fixes', () => {
    const text = site('    location / {', '        proxy_pass http://127.0.0.1:11434;', '    }');
    it('restricts to this host and private networks', () => {
      assertFixWorks(
        text,
        RULE,
        /^Allow only/,
        site('    location / {', '        proxy_pass http://127.0.0.1:11434;', '        allow 127.0.0.1;', '        allow 10.0.0.0/8;', '        allow 172.16.0.0/12;', '        allow 192.168.0.0/16;', '        deny all;', '    }'),
        { file: FILE },
      );
    });
    it('adds auth_basic at the location indentation (tabs kept)', () => {
      const tabs = 'server {\n\tlisten 80;\n\tlocation / {\n\t\tproxy_pass http://127.0.0.1:11434;\n\t}\n}\n';
      assertFixWorks(tabs, RULE, /^Require a password/, 'server {\n\tlisten 80;\n\tlocation / {\n\t\tproxy_pass http://127.0.0.1:11434;\n\t\tauth_basic "Restricted";\n\t\tauth_basic_user_file /etc/nginx/.htpasswd;\n\t}\n}\n', { file: FILE });
    });
    it('offers no preferred fix: a password file or an address list needs the user', () => {
      assert.ok(check(text)[0].fixes.every((f) => !f.preferred));
    });
  });
});
