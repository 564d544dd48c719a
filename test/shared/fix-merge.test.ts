/**
 * Edits of several fixes to one file are merged once: with `;` missing after `proxy_pass`, the
 * syntax repair goes first and `--fix` inserts `proxy_buffering off;` once; `nginx -t` accepts the
 * result. Runs the built CLI in a temporary git project.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { nginxAvailable, nginxTest } from './nginx-tool';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

describe('--fix merges the edits of several fixes once', { skip: !nginxAvailable && 'nginx or openssl not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-fix-merge-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a missing ; after proxy_pass: one proxy_buffering off;, nginx -t passes, a second --fix changes nothing', () => {
    mkdirSync(join(dir, '.git'));
    const file = join(dir, 'nginx.conf');
    const text = ['events {}', 'http {', '  server {', '    listen 127.0.0.1:8080;', '    location /api/ {', '      proxy_pass http://127.0.0.1:11434', '    }', '  }', '}', ''].join('\n');
    assert.equal(nginxTest(text, 'nginx.conf').ok, false, 'the input is broken for nginx');
    writeFileSync(file, text);
    const r = spawnSync(process.execPath, [CLI, '--fix', 'nginx.conf'], { cwd: dir, encoding: 'utf8' });
    assert.notEqual(r.status, 2, r.stderr);
    const fixed = readFileSync(file, 'utf8');
    assert.equal(fixed.match(/proxy_buffering off;/g)?.length, 1, fixed);
    assert.match(fixed, /proxy_pass http:\/\/127\.0\.0\.1:11434;\n/);
    const verdict = nginxTest(fixed, 'nginx.conf');
    assert.ok(verdict.ok, `nginx -t: ${verdict.message}\n${fixed}`);
    spawnSync(process.execPath, [CLI, '--fix', 'nginx.conf'], { cwd: dir, encoding: 'utf8' });
    assert.equal(readFileSync(file, 'utf8'), fixed);
  });
});
