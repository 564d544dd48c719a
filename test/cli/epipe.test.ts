import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const BIN = join(__dirname, '..', '..', 'dist', 'cli.js');

describe('cli into a pipe closed early', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-epipe-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  // Far more output than a pipe buffers (64 KB), so the CLI writes after `head` has gone.
  const services = Array.from({ length: 1500 }, (_, i) => `  s${i}:\n    image: ollama/ollama:0.5.7\n    ports:\n      - "${10000 + i}:11434"\n`);
  writeFileSync(join(dir, 'compose.yaml'), `services:\n${services.join('')}`);

  for (const format of ['text', 'json', 'sarif']) {
    it(`portcullis --format ${format} | head -1 exits quietly with its usual code`, () => {
      assert.ok(existsSync(BIN), 'dist/cli.js is built by `npm run build` (npm test builds first)');
      const err = join(dir, `stderr-${format}`);
      const r = spawnSync('bash', ['-c', `"$0" "$1" --format ${format} compose.yaml 2>"$2" | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`, process.execPath, BIN, err], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
      });
      assert.equal(r.status, 0, r.stderr);
      // Findings of error severity: exit 1, as with a reader that stays.
      assert.equal(r.stdout.trim(), '1');
      assert.equal(readFileSync(err, 'utf8'), '');
    });
  }
});
