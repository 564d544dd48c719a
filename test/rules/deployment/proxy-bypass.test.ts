import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../../rules';
import { applyWorkspaceFix, lines, lintWorkspace, only, rangeOf } from '../../helpers';

const RULE = 'deployment/proxy-bypass';

const COMPOSE = '/w/compose.yaml';
const NGINX = '/w/nginx/conf.d/ollama.conf';
const CADDY = '/w/Caddyfile';
const UNIT = '/w/systemd/ollama.service.d/override.conf';

const compose = (port: string, ...more: string[]) => lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', `      - "${port}"`, ...more);
const nginx = (target: string, auth = true, before: string[] = []) =>
  lines(
    ...before,
    'server {',
    '    listen 443 ssl;',
    '    server_name ai.example.com;',
    '    location / {',
    ...(auth ? ['        auth_basic "Ollama";', '        auth_basic_user_file /etc/nginx/htpasswd;'] : []),
    `        proxy_pass ${target};`,
    '    }',
    '}',
  );
const caddy = (target: string, auth = true) =>
  lines('ai.example.com {', ...(auth ? ['\tbasic_auth {', '\t\talice $2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG', '\t}'] : []), `\treverse_proxy ${target}`, '}');
const unit = (host: string) => lines('[Service]', `Environment="OLLAMA_HOST=${host}"`);

/** Lints the workspace, checks each finding's fix (applied: gone, nothing new; the rest of the workspace untouched), returns the findings. */
async function bypasses(files: Record<string, string>): Promise<Finding[]> {
  const all = await lintWorkspace(files);
  const found = only(all, RULE);
  for (const f of found) {
    const fix = f.fixes.find((x) => x.preferred);
    // network_mode: host has no address to rewrite.
    if (!fix && /network_mode: host/.test(f.message)) continue;
    assert.ok(fix, `a preferred fix for ${f.message}`);
    assert.ok(fix.edits.every((e) => e.file === f.file), 'the fix edits the direct path only');
    const fixed = applyWorkspaceFix(files, fix);
    const after = await lintWorkspace(fixed);
    assert.equal(only(after, RULE).length, found.length - 1, 'the fix removes exactly its finding');
    assert.ok(!only(after, RULE).some((a) => a.file === f.file && JSON.stringify(a.range) === JSON.stringify(f.range)));
    for (const rule of new Set(after.map((a) => a.rule))) assert.ok(only(after, rule).length <= only(all, rule).length, `no new ${rule} finding`);
    // Applied twice: the finding is gone, so nothing is offered any more at that place.
    assert.deepEqual(applyWorkspaceFix(fixed, { title: 'none', edits: [] }), fixed);
  }
  return found;
}

describe(RULE, () => {
  it('compose <-> nginx: a published port behind nginx with auth_basic', async () => {
    const files = { [COMPOSE]: compose('11434:11434'), [NGINX]: nginx('http://127.0.0.1:11434') };
    const [f, ...rest] = await bypasses(files);
    assert.equal(rest.length, 0);
    assert.equal(f.file, COMPOSE);
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, rangeOf(files[COMPOSE], '"11434:11434"'));
    assert.equal(
      f.message,
      "compose service ollama (Ollama) is behind the authentication at ollama.conf:5, but compose.yaml:5 publishes it on every interface (port 11434): anyone can reach it directly and walk around the proxy's authentication.",
    );
    assert.deepEqual(f.related, [
      { file: NGINX, range: rangeOf(files[NGINX], 'proxy_pass http://127.0.0.1:11434;'), message: 'the proxy route to compose service ollama (Ollama)' },
      { file: NGINX, range: rangeOf(files[NGINX], 'auth_basic "Ollama";'), message: 'the authentication that the direct path skips' },
    ]);
    const fixed = applyWorkspaceFix(files, f.fixes[0]);
    assert.equal(fixed[COMPOSE], compose('127.0.0.1:11434:11434'));
  });

  it('unit <-> nginx: OLLAMA_HOST=0.0.0.0 in a drop-in, nginx to localhost:11434', async () => {
    const files = { [UNIT]: unit('0.0.0.0'), [NGINX]: nginx('http://localhost:11434') };
    const [f, ...rest] = await bypasses(files);
    assert.equal(rest.length, 0);
    assert.equal(f.file, UNIT);
    assert.deepEqual(f.range, rangeOf(files[UNIT], '0.0.0.0'));
    assert.equal(
      f.message,
      "ollama.service (Ollama) is behind the authentication at ollama.conf:5, but override.conf:2 listens on every interface (port 11434): anyone can reach it directly and walk around the proxy's authentication.",
    );
    assert.equal(applyWorkspaceFix(files, f.fixes[0])[UNIT], unit('127.0.0.1'));
  });

  it('compose <-> Caddy: Caddy on the host with basic_auth in front of a published port', async () => {
    const files = { [COMPOSE]: compose('11434:11434'), [CADDY]: caddy('localhost:11434') };
    const [f, ...rest] = await bypasses(files);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(files[COMPOSE], '"11434:11434"'));
    assert.equal(
      f.message,
      "compose service ollama (Ollama) is behind the authentication at Caddyfile:2, but compose.yaml:5 publishes it on every interface (port 11434): anyone can reach it directly and walk around the proxy's authentication.",
    );
    assert.deepEqual(
      f.related?.map((r) => [r.file, r.range]),
      [
        [CADDY, rangeOf(files[CADDY], 'localhost:11434')],
        [CADDY, rangeOf(files[CADDY], 'basic_auth')],
      ],
    );
    assert.equal(applyWorkspaceFix(files, f.fixes[0])[COMPOSE], compose('127.0.0.1:11434:11434'));
  });

  it('unit <-> Caddy: a unit listening on every interface behind Caddy', async () => {
    const service = lines('[Unit]', 'Description=Ollama', '[Service]', 'ExecStart=/usr/bin/ollama serve', 'Environment=OLLAMA_HOST=0.0.0.0:11434');
    const files = { '/w/systemd/ollama.service': service, [CADDY]: caddy('127.0.0.1:11434') };
    const [f, ...rest] = await bypasses(files);
    assert.equal(rest.length, 0);
    assert.equal(f.file, '/w/systemd/ollama.service');
    assert.deepEqual(f.range, rangeOf(service, '0.0.0.0:11434'));
    assert.match(f.message, /^ollama\.service \(Ollama\) is behind the authentication at Caddyfile:2, but ollama\.service:5 listens on every interface \(port 11434\)/);
    assert.equal(applyWorkspaceFix(files, f.fixes[0])['/w/systemd/ollama.service'], service.replace('0.0.0.0', '127.0.0.1'));
  });

  it('Docker DNS name from Caddy in the same project, and a container_name', async () => {
    const stack = lines('services:', '  llm:', '    image: ollama/ollama:0.5.7', '    container_name: ollama', '    ports: ["11434:11434"]', '  caddy:', '    image: caddy:2.8', '    ports: ["443:443"]');
    const files = { [COMPOSE]: stack, [CADDY]: caddy('ollama:11434') };
    const [f, ...rest] = await bypasses(files);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(stack, '"11434:11434"'));
    assert.match(f.message, /^compose service llm \(Ollama\)/);
    // Caddy in a container reaching `localhost` reaches itself, not the published port.
    assert.deepEqual(await bypasses({ [COMPOSE]: stack, [CADDY]: caddy('localhost:11434') }), []);
  });

  it('Caddy in compose reaching the host through host.docker.internal: a unit on every interface', async () => {
    const stack = lines('services:', '  caddy:', '    image: caddy:2.8', '    ports: ["443:443"]', '    extra_hosts: ["host.docker.internal:host-gateway"]');
    const files = { [COMPOSE]: stack, [CADDY]: caddy('host.docker.internal:11434'), [UNIT]: unit('0.0.0.0') };
    const [f, ...rest] = await bypasses(files);
    assert.equal(rest.length, 0);
    assert.equal(f.file, UNIT);
    // Bound to loopback, the unit is out of the container's reach too: no bypass, whatever else breaks.
    assert.deepEqual(await bypasses({ ...files, [UNIT]: unit('127.0.0.1') }), []);
  });

  it('nginx upstream block: every endpoint is followed', async () => {
    const conf = nginx('http://ollama_backend', true, ['upstream ollama_backend {', '    server 127.0.0.1:11434;', '}']);
    const files = { [COMPOSE]: compose('0.0.0.0:11434:11434'), [NGINX]: conf };
    const [f, ...rest] = await bypasses(files);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(files[COMPOSE], '"0.0.0.0:11434:11434"'));
    assert.match(f.message, /authentication at ollama\.conf:8,/);
    assert.equal(applyWorkspaceFix(files, f.fixes[0])[COMPOSE], compose('127.0.0.1:11434:11434'));
  });

  it('Docker DNS name: nginx in the same compose project reaches ollama:11434 over a shared network', async () => {
    const stack = (ollamaNets: string) =>
      lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', '      - "11434:11434"', `    networks: [${ollamaNets}]`, '  nginx:', '    image: nginx:1.27', '    networks: [front]', '    ports: ["443:443"]');
    const files = { [COMPOSE]: stack('front'), [NGINX]: nginx('http://ollama:11434') };
    const [f, ...rest] = await bypasses(files);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(files[COMPOSE], '"11434:11434"'));
    // On another network the name does not resolve from nginx: nothing to bypass.
    assert.deepEqual(await bypasses({ [COMPOSE]: stack('back'), [NGINX]: nginx('http://ollama:11434') }), []);
  });

  it('a long-syntax port: reported at its address line, fixed by host_ip', async () => {
    const text = lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', '      - target: 11434', '        published: 11434', '        host_ip: 0.0.0.0');
    const files = { [COMPOSE]: text, [NGINX]: nginx('http://127.0.0.1:11434') };
    const [f] = await bypasses(files);
    assert.deepEqual(f.range, rangeOf(text, 'host_ip: 0.0.0.0'));
    assert.equal(applyWorkspaceFix(files, f.fixes[0])[COMPOSE], text.replace('0.0.0.0', '"127.0.0.1"'));
  });

  it('network_mode: host is a direct path too, reported at the service, with no automatic fix', async () => {
    const text = lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    network_mode: host');
    const [f, ...rest] = await bypasses({ [COMPOSE]: text, [NGINX]: nginx('http://127.0.0.1:11434') });
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'ollama'));
    assert.equal(
      f.message,
      "compose service ollama (Ollama) is behind the authentication at ollama.conf:5, but compose.yaml:2 runs it with network_mode: host (port 11434): anyone can reach it directly and walk around the proxy's authentication.",
    );
    assert.deepEqual(f.fixes, []);
  });

  it('is silent when the proxy has no auth, the direct path is on 127.0.0.1, or the ports differ', async () => {
    assert.deepEqual(await bypasses({ [COMPOSE]: compose('11434:11434'), [NGINX]: nginx('http://127.0.0.1:11434', false) }), []);
    assert.deepEqual(await bypasses({ [COMPOSE]: compose('11434:11434'), [CADDY]: caddy('localhost:11434', false) }), []);
    assert.deepEqual(await bypasses({ [COMPOSE]: compose('10.0.0.5:11434:11434'), [CADDY]: caddy('localhost:11434') }), []);
    assert.deepEqual(await bypasses({ [COMPOSE]: compose('127.0.0.1:11434:11434'), [NGINX]: nginx('http://127.0.0.1:11434') }), []);
    assert.deepEqual(await bypasses({ [UNIT]: unit('127.0.0.1:11434'), [NGINX]: nginx('http://127.0.0.1:11434') }), []);
    assert.deepEqual(await bypasses({ [COMPOSE]: compose('11435:11434'), [NGINX]: nginx('http://127.0.0.1:11434') }), []);
    assert.deepEqual(await bypasses({ [UNIT]: unit('0.0.0.0:11500'), [NGINX]: nginx('http://127.0.0.1:11434') }), []);
  });

  it('is silent for a file linted alone, and obeys a disable comment at the direct path', async () => {
    assert.deepEqual(await bypasses({ [COMPOSE]: compose('11434:11434') }), []);
    const disabled = lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', `      # portcullis-disable-next-line ${RULE}`, '      - "11434:11434"');
    assert.deepEqual(await bypasses({ [COMPOSE]: disabled, [NGINX]: nginx('http://127.0.0.1:11434') }), []);
  });

  it('reports a direct path once when several authenticated routes reach it', async () => {
    const conf = lines(
      'server {',
      '    listen 443 ssl;',
      '    auth_basic "Ollama";',
      '    auth_basic_user_file /etc/nginx/htpasswd;',
      '    location / { proxy_pass http://127.0.0.1:11434; }',
      '    location /api/ { proxy_pass http://127.0.0.1:11434; }',
      '}',
    );
    const found = await bypasses({ [COMPOSE]: compose('11434:11434'), [NGINX]: conf });
    assert.equal(found.length, 1);
    assert.match(found[0].message, /authentication at ollama\.conf:3,/);
  });
});
