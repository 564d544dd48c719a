import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyWorkspaceFix, lines, rangeOf } from '../helpers';
import { lintProject, memoryFileSystem, mergeConfig, Project, type FileFacts, type Place } from '../../rules';

/** nginx's deployment facts (rules/nginx/facts.ts): one proxy per http server, includes followed, exact places. */

async function factsOf(files: Record<string, string>): Promise<Map<string, FileFacts>> {
  const fs = memoryFileSystem(files);
  const fail = ({ error }: { error: unknown }) => {
    throw error;
  };
  const project = new Project(fs, { onRuleError: fail });
  await lintProject(project, Object.entries(files).map(([file, text]) => ({ file, text })), { config: mergeConfig({}), onRuleError: fail }, (f) => fs.stamp(f));
  return new Map(project.all().map((d) => [d.facts.file, d.facts]));
}

const place = (files: Record<string, string>, file: string, needle: string, nth = 0): Place => ({ file, range: rangeOf(files[file], needle, nth) });

const MAIN = lines('events {}', 'http {', '    include conf.d/*.conf;', '    include sites-enabled/*.conf;', '}');
const SITE = '/w/nginx/sites-enabled/ai.conf';

describe('nginx deployment facts', () => {
  it('gives each server its names, TLS listeners and routes with auth, rate limit and upstream resolved across files', async () => {
    const files = {
      '/w/nginx/nginx.conf': MAIN,
      '/w/nginx/conf.d/upstreams.conf': lines('upstream ollama_backend {', '    server 127.0.0.1:11434;', '}'),
      '/w/nginx/conf.d/zones.conf': lines('limit_req_zone $binary_remote_addr zone=ai:10m rate=5r/s;'),
      '/w/nginx/snippets/auth.conf': lines('auth_basic "AI";', 'auth_basic_user_file /etc/nginx/.htpasswd;'),
      [SITE]: lines(
        'server {',
        '    listen 443 ssl;',
        '    listen [::]:443 ssl;',
        '    server_name ai.example.com www.ai.example.com;',
        '    limit_req zone=ai burst=10;',
        '    location /api/ {',
        '        include snippets/auth.conf;',
        '        proxy_pass http://ollama_backend;',
        '    }',
        '    location = /health {',
        '        auth_basic off;',
        '        proxy_pass http://10.0.0.7:8080/health;',
        '    }',
        '}',
      ),
    };
    const facts = await factsOf(files);
    assert.deepEqual(facts.get('/w/nginx/nginx.conf')?.proxies, []);
    assert.deepEqual(facts.get('/w/nginx/conf.d/upstreams.conf')?.proxies, []);
    const [proxy, ...more] = facts.get(SITE)!.proxies!;
    assert.equal(more.length, 0);
    assert.deepEqual(proxy, {
      server: 'nginx',
      names: ['ai.example.com', 'www.ai.example.com'],
      listeners: [
        { address: '', port: 443, exposed: true, place: place(files, SITE, 'listen 443 ssl;'), tls: true, bindLoopback: { title: 'Listen on 127.0.0.1:443 only', edits: [{ ...place(files, SITE, '443'), newText: '127.0.0.1:443' }] } },
        { address: '', port: 443, exposed: true, place: place(files, SITE, 'listen [::]:443 ssl;'), tls: true, bindLoopback: { title: 'Listen on [::1]:443 only', edits: [{ ...place(files, SITE, '[::]:443'), newText: '[::1]:443' }] } },
      ],
      routes: [
        {
          path: '/api/',
          target: { url: 'http://ollama_backend', scheme: 'http', endpoints: [{ host: '127.0.0.1', port: 11434 }], upstream: 'ollama_backend', known: 'Ollama' },
          auth: place(files, '/w/nginx/snippets/auth.conf', 'auth_basic "AI";'),
          rateLimit: place(files, SITE, 'limit_req zone=ai burst=10;'),
          place: place(files, SITE, 'proxy_pass http://ollama_backend;'),
        },
        {
          path: '= /health',
          target: { url: 'http://10.0.0.7:8080/health', scheme: 'http', endpoints: [{ host: '10.0.0.7', port: 8080 }] },
          rateLimit: place(files, SITE, 'limit_req zone=ai burst=10;'),
          place: place(files, SITE, 'proxy_pass http://10.0.0.7:8080/health;'),
        },
      ],
      place: place(files, SITE, 'server'),
    });
  });

  it('gives a server with no listen nginx\'s *:80, whose fix listens on 127.0.0.1:80', async () => {
    const files = { '/w/nginx/nginx.conf': MAIN, [SITE]: lines('server {', '    location / {', '        proxy_pass http://127.0.0.1:11434;', '    }', '}') };
    const [proxy] = (await factsOf(files)).get(SITE)!.proxies!;
    assert.equal(proxy.names.length, 0);
    const [listener, ...more] = proxy.listeners;
    assert.equal(more.length, 0);
    assert.deepEqual({ ...listener, bindLoopback: undefined }, { address: '', port: 80, exposed: true, tls: false, place: place(files, SITE, 'server'), bindLoopback: undefined });
    const fixed = applyWorkspaceFix(files, listener.bindLoopback!);
    assert.equal(fixed[SITE], lines('server {', '    listen 127.0.0.1:80;', '    location / {', '        proxy_pass http://127.0.0.1:11434;', '    }', '}'));
    const [after] = (await factsOf(fixed)).get(SITE)!.proxies!;
    assert.deepEqual(after.listeners.map((l) => [l.address, l.port, l.exposed, l.bindLoopback]), [['127.0.0.1', 80, false, undefined]]);
  });

  it('keeps loopback and private listeners unexposed, skips unix sockets, and reads deny all and grpc_pass', async () => {
    const files = {
      '/w/nginx/nginx.conf': MAIN,
      [SITE]: lines(
        'server {',
        '    listen 127.0.0.1:8080;',
        '    listen 192.168.1.10:80;',
        '    listen unix:/run/nginx.sock;',
        '    location / {',
        '        deny all;',
        '        grpc_pass grpc://127.0.0.1:9000;',
        '    }',
        '}',
      ),
    };
    const [proxy] = (await factsOf(files)).get(SITE)!.proxies!;
    assert.deepEqual(proxy.listeners.map((l) => [l.address, l.port, l.exposed, !!l.bindLoopback]), [['127.0.0.1', 8080, false, false], ['192.168.1.10', 80, false, false]]);
    assert.deepEqual(proxy.routes, [
      {
        path: '/',
        target: { url: 'grpc://127.0.0.1:9000', scheme: 'other', endpoints: [{ host: '127.0.0.1', port: 9000 }] },
        auth: place(files, SITE, 'deny all;'),
        place: place(files, SITE, 'grpc_pass grpc://127.0.0.1:9000;'),
      },
    ]);
  });

  it('puts the routes of an included location fragment under the server that includes it, at their own places', async () => {
    const files = {
      '/w/nginx/nginx.conf': MAIN,
      [SITE]: lines('server {', '    listen 80;', '    auth_basic "AI";', '    include snippets/ollama.conf;', '}'),
      '/w/nginx/snippets/ollama.conf': lines('location /ollama/ {', '    proxy_pass http://127.0.0.1:11434/;', '}'),
    };
    const facts = await factsOf(files);
    assert.deepEqual(facts.get('/w/nginx/snippets/ollama.conf')?.proxies, []);
    const [proxy] = facts.get(SITE)!.proxies!;
    assert.deepEqual(proxy.routes, [
      {
        path: '/ollama/',
        target: { url: 'http://127.0.0.1:11434/', scheme: 'http', endpoints: [{ host: '127.0.0.1', port: 11434 }], known: 'Ollama' },
        auth: place(files, SITE, 'auth_basic "AI";'),
        place: place(files, '/w/nginx/snippets/ollama.conf', 'proxy_pass http://127.0.0.1:11434/;'),
      },
    ]);
  });

  it('follows set $var to the target, written as is', async () => {
    const files = { '/w/nginx/nginx.conf': MAIN, [SITE]: lines('server {', '    listen 80;', '    set $backend http://127.0.0.1:11434;', '    location / {', '        proxy_pass $backend;', '    }', '}') };
    const [proxy] = (await factsOf(files)).get(SITE)!.proxies!;
    assert.deepEqual(proxy.routes.map((r) => r.target), [{ url: '$backend', scheme: 'http', endpoints: [{ host: '127.0.0.1', port: 11434 }], known: 'Ollama' }]);
  });

  it('ignores stream servers', async () => {
    const files = { '/w/nginx/nginx.conf': lines('events {}', 'stream {', '    server {', '        listen 5432;', '        proxy_pass 10.0.0.2:5432;', '    }', '}') };
    assert.deepEqual((await factsOf(files)).get('/w/nginx/nginx.conf')?.proxies, []);
  });
});
