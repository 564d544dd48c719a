import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runExposure } from '../../cli/exposure';
import { lines } from '../helpers';

const COMPOSE = lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', '      - "11434:11434"', '    security_opt: [no-new-privileges:true]', '    mem_limit: 8g');
const NGINX = lines(
  'server {',
  '    listen 443 ssl;',
  '    server_name ai.example.com;',
  '    location / {',
  '        auth_basic "Ollama";',
  '        auth_basic_user_file /etc/nginx/htpasswd;',
  '        proxy_pass http://127.0.0.1:11434;',
  '    }',
  '}',
);

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-exposure-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function exposure(cwd: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runExposure(argv, { cwd, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false });
  return { code, stdout, stderr };
}

const BYPASS_MESSAGE =
  "compose service ollama (Ollama) is behind the authentication at ollama.conf:5, but compose.yaml:5 publishes it on every interface (port 11434): anyone can reach it directly and walk around the proxy's authentication.";

describe('portcullis exposure', () => {
  const files = { 'compose.yaml': COMPOSE, 'nginx/conf.d/ollama.conf': NGINX };

  it('prints the entry points as a table, hops indented under their proxy', async () => {
    const r = await exposure(project(files));
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      lines(
        'LISTENER  WHAT                             TLS  AUTH  RATE LIMIT  WORST FINDING',
        '*:11434   compose service ollama (Ollama)  no   no    no          error deployment/proxy-bypass (compose.yaml:5)',
        '*:443     nginx ai.example.com             yes  yes   no          error deployment/proxy-bypass (compose.yaml:5)',
        '    / -> http://127.0.0.1:11434 -> compose service ollama (Ollama)  [auth yes, rate limit no]  error deployment/proxy-bypass (compose.yaml:5)',
        '',
        '2 entry points reachable from other machines, in 2 files',
      ),
    );
  });

  it('prints the Exposure object as JSON, places 1-based and relative to the working directory', async () => {
    const dir = project(files);
    const r = await exposure(dir, '--format', 'json', '.');
    assert.equal(r.code, 0);
    const bypass = { rule: 'deployment/proxy-bypass', severity: 'error', message: BYPASS_MESSAGE, place: { file: 'compose.yaml', line: 5, column: 9, endLine: 5, endColumn: 22 } };
    assert.deepEqual(JSON.parse(r.stdout), {
      entries: [
        {
          address: '*:11434',
          port: 11434,
          kind: 'compose',
          name: 'compose service ollama',
          service: 'Ollama',
          protections: { tls: false, auth: false, rateLimit: false },
          place: { file: 'compose.yaml', line: 5, column: 9, endLine: 5, endColumn: 22 },
          hops: [],
          worst: bypass,
        },
        {
          address: '*:443',
          port: 443,
          kind: 'nginx',
          name: 'nginx ai.example.com',
          protections: { tls: true, auth: true, rateLimit: false },
          place: { file: 'nginx/conf.d/ollama.conf', line: 2, column: 5, endLine: 2, endColumn: 20 },
          hops: [
            {
              path: '/',
              target: 'http://127.0.0.1:11434',
              reaches: 'compose service ollama (Ollama)',
              service: 'Ollama',
              protections: { tls: true, auth: true, rateLimit: false },
              place: { file: 'nginx/conf.d/ollama.conf', line: 7, column: 9, endLine: 7, endColumn: 43 },
              worst: bypass,
            },
          ],
          worst: bypass,
        },
      ],
    });
    assert.ok(!r.stdout.includes(dir), 'no absolute path');
  });

  it('says so when nothing is reachable from outside', async () => {
    const r = await exposure(project({ 'compose.yaml': COMPOSE.replace('"11434:11434"', '"127.0.0.1:11434:11434"') }));
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '✔ nothing listens where other machines can reach it, in 1 file\n');
  });

  it('exits 2 on a usage error', async () => {
    const dir = project(files);
    for (const argv of [['--format', 'sarif'], ['--fix'], ['--bogus'], ['missing-folder']]) {
      const r = await exposure(dir, ...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, /^portcullis: /);
    }
    const help = await exposure(dir, '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: portcullis exposure/);
  });
});
