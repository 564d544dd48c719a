/**
 * Fixes across included files against the real nginx: a workspace of nginx.conf, conf.d/,
 * sites-enabled/ and snippets/ (relative includes, read from nginx.conf's folder as nginx does
 * with -c), where every fix the rules offer and every listener's bind-to-loopback fix from the
 * deployment facts, applied alone, leaves a tree that `nginx -t` accepts, and removes its finding.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { applyWorkspaceFix, lines, lintWorkspace } from '../helpers';
import { lintProject, memoryFileSystem, mergeConfig, Project, type Fix } from '../../rules';
import { nginxAvailable } from './nginx-tool';
import { spawnSync } from 'node:child_process';

const ROOT = '/w/nginx';

const workspace: Record<string, string> = {
  [`${ROOT}/nginx.conf`]: lines(
    'events {}',
    'http {',
    '    limit_req_zone $binary_remote_addr zone=ai:10m rate=5r/s;',
    '    proxy_set_header X-Real-IP $remote_addr;',
    '    proxy_buffering on;',
    '    proxy_read_timeout 30s;',
    '    include conf.d/*.conf;',
    '    include sites-enabled/*.conf;',
    '}',
  ),
  [`${ROOT}/conf.d/upstreams.conf`]: lines('upstream ollama_backend {', '    server 127.0.0.1:11434;', '}', 'upstream open-webui {', '    server 127.0.0.1:8080;', '}'),
  [`${ROOT}/sites-enabled/ai.conf`]: lines(
    'server {',
    '    listen 80;',
    '    listen [::]:80;',
    '    server_name ai.example.com;',
    '    include snippets/status.conf;',
    '    location / {',
    '        limit_req zone=ai;',
    '        proxy_pass http://ollama_backend;',
    '    }',
    '    location /ui/ {',
    '        proxy_pass http://open-webui;',
    '    }',
    '}',
  ),
  [`${ROOT}/sites-enabled/plain.conf`]: lines('server {', '    server_name plain.example.com;', '    location / { proxy_pass http://127.0.0.1:11434; }', '}'),
  [`${ROOT}/snippets/status.conf`]: lines('location /nginx_status {', '    stub_status;', '}'),
};

/** Writes the tree to a temp folder and runs nginx -t on its nginx.conf. */
function nginxTestTree(files: Record<string, string>): { ok: boolean; message: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-nginx-tree-'));
  mkdirSync(path.join(dir, 'logs'));
  for (const [file, text] of Object.entries(files)) {
    const out = path.join(dir, path.relative(ROOT, file));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, text);
  }
  const r = spawnSync('nginx', ['-t', '-q', '-p', dir + '/', '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'logs', 'error.log'), '-g', `pid ${path.join(dir, 'nginx.pid')};`], { encoding: 'utf8' });
  return { ok: r.status === 0, message: r.stderr };
}

async function listenerFixes(files: Record<string, string>): Promise<Fix[]> {
  const fs = memoryFileSystem(files);
  const project = new Project(fs);
  await lintProject(project, Object.entries(files).map(([file, text]) => ({ file, text })), { config: mergeConfig({}) }, (f) => fs.stamp(f));
  return project.all().flatMap((d) => d.facts.proxies ?? []).flatMap((p) => p.listeners.flatMap((l) => (l.bindLoopback ? [l.bindLoopback] : [])));
}

describe('nginx: fixes across included files pass nginx -t', { skip: !nginxAvailable && 'nginx not installed' }, () => {
  it('the workspace itself passes nginx -t', () => {
    const verdict = nginxTestTree(workspace);
    assert.ok(verdict.ok, verdict.message);
  });

  it('every rule fix, alone, keeps nginx -t passing and removes its finding', async () => {
    const findings = (await lintWorkspace(workspace)).filter((f) => f.rule.startsWith('nginx/'));
    const rules = new Set(findings.filter((f) => f.fixes.length).map((f) => f.rule));
    for (const r of ['nginx/proxy-buffering-enabled', 'nginx/proxy-read-timeout-short', 'nginx/websocket-headers-missing', 'nginx/ollama-host-rejected', 'nginx/status-page-exposed', 'nginx/proxy-without-auth']) assert.ok(rules.has(r), `the workspace exercises ${r}`);
    let applied = 0;
    for (const finding of findings) {
      for (const fix of finding.fixes) {
        const fixed = applyWorkspaceFix(workspace, fix);
        const verdict = nginxTestTree(fixed);
        assert.ok(verdict.ok, `${finding.rule}: "${fix.title}" breaks nginx -t: ${verdict.message}`);
        const after = await lintWorkspace(fixed);
        assert.ok(!after.some((f) => f.rule === finding.rule && f.file === finding.file && JSON.stringify(f.range) === JSON.stringify(finding.range) && f.message === finding.message), `${finding.rule}: "${fix.title}" removes its finding`);
        applied++;
      }
    }
    console.log(`# nginx includes: ${applied} fixes across ${Object.keys(workspace).length} files, each accepted by nginx -t`);
  });

  it('every listener\'s bind-to-loopback fix keeps nginx -t passing, and all of them together too', async () => {
    const fixes = await listenerFixes(workspace);
    assert.equal(fixes.length, 3);
    let all = workspace;
    for (const fix of fixes) {
      const verdict = nginxTestTree(applyWorkspaceFix(workspace, fix));
      assert.ok(verdict.ok, `${fix.title}: ${verdict.message}`);
      all = applyWorkspaceFix(all, fix);
    }
    const verdict = nginxTestTree(all);
    assert.ok(verdict.ok, verdict.message);
    assert.deepEqual(await listenerFixes(all), []);
  });
});
