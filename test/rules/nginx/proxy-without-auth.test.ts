import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { at, findingsOf, nginxTree, places } from './workspace';

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

  describe('across files (includes resolved in the workspace)', () => {
    const main = (...http: string[]) => lines('events {}', 'http {', ...http, '    include sites-enabled/*.conf;', '}');
    const server = (...inner: string[]) => lines('server {', '    listen 80;', ...inner, '}');

    it('an included snippet that asks for a password silences it; one that does not, does not', async () => {
      const auth = nginxTree({
        'nginx.conf': main(),
        'sites-enabled/ai.conf': server('    include snippets/auth.conf;', '    location / { proxy_pass http://127.0.0.1:11434; }'),
        'snippets/auth.conf': lines('auth_basic "AI";', 'auth_basic_user_file /etc/nginx/.htpasswd;'),
      });
      assert.deepEqual(await findingsOf(auth, RULE), []);
      const noAuth = { ...auth, '/w/nginx/snippets/auth.conf': lines('client_max_body_size 10m;') };
      assert.deepEqual(places(await findingsOf(noAuth, RULE)), [at(noAuth, '/w/nginx/sites-enabled/ai.conf', 'proxy_pass http://127.0.0.1:11434;')]);
    });

    it('sees auth_basic in nginx.conf\'s http block from a site file, and auth_basic off in the site', async () => {
      const files = nginxTree({ 'nginx.conf': main('    auth_basic "AI";', '    auth_basic_user_file /etc/nginx/.htpasswd;'), 'sites-enabled/ai.conf': server('    location / { proxy_pass http://127.0.0.1:11434; }') });
      assert.deepEqual(await findingsOf(files, RULE), []);
      const off = { ...files, '/w/nginx/sites-enabled/ai.conf': server('    location / {', '        auth_basic off;', '        proxy_pass http://127.0.0.1:11434;', '    }') };
      assert.deepEqual(places(await findingsOf(off, RULE)), [at(off, '/w/nginx/sites-enabled/ai.conf', 'proxy_pass http://127.0.0.1:11434;')]);
    });

    it('checks a location fragment in the server that includes it, and reports it in the fragment', async () => {
      const files = nginxTree({
        'nginx.conf': main(),
        'sites-enabled/ai.conf': server('    include snippets/ollama.conf;'),
        'snippets/ollama.conf': lines('location / {', '    proxy_pass http://127.0.0.1:11434;', '}'),
      });
      assert.deepEqual(places(await findingsOf(files, RULE)), [at(files, '/w/nginx/snippets/ollama.conf', 'proxy_pass http://127.0.0.1:11434;')]);
      // The same fragment behind a server that asks for a password.
      const guarded = { ...files, '/w/nginx/sites-enabled/ai.conf': server('    auth_request /auth;', '    include snippets/ollama.conf;') };
      assert.deepEqual(await findingsOf(guarded, RULE), []);
      // A loopback-only includer is not reachable from outside.
      const loopback = { ...files, '/w/nginx/sites-enabled/ai.conf': lines('server {', '    listen 127.0.0.1:8080;', '    include snippets/ollama.conf;', '}') };
      assert.deepEqual(await findingsOf(loopback, RULE), []);
    });

    it('stays quiet when an include matches no file of the workspace', async () => {
      const files = nginxTree({ 'nginx.conf': main(), 'sites-enabled/ai.conf': server('    include snippets/authelia.conf;', '    location / { proxy_pass http://127.0.0.1:11434; }') });
      assert.deepEqual(await findingsOf(files, RULE), []);
    });

    it('follows glob includes (conf.d/*.conf) to an upstream in another file', async () => {
      const files = nginxTree({
        'nginx.conf': lines('events {}', 'http {', '    include conf.d/*.conf;', '    include sites-enabled/*.conf;', '}'),
        'conf.d/upstreams.conf': lines('upstream llm {', '    server 127.0.0.1:11434;', '}'),
        'conf.d/gzip.conf': lines('gzip on;'),
        'sites-enabled/ai.conf': server('    location / { proxy_pass http://llm; }'),
      });
      assert.deepEqual(places(await findingsOf(files, RULE)), [at(files, '/w/nginx/sites-enabled/ai.conf', 'proxy_pass http://llm;')]);
    });

    it('survives an include cycle (the repeated include stays unknown: quiet)', async () => {
      const files = nginxTree({
        'nginx.conf': main(),
        'sites-enabled/ai.conf': server('    include snippets/a.conf;', '    location / { proxy_pass http://127.0.0.1:11434; }'),
        'snippets/a.conf': lines('include snippets/b.conf;'),
        'snippets/b.conf': lines('include snippets/a.conf;'),
      });
      assert.deepEqual(await findingsOf(files, RULE), []);
    });
  });
});
