/**
 * io/read.ts: the one reader of other files. Regular files only, never blocking on a FIFO or a
 * device, capped, and never past the project's roots (a symlink out is not followed).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { insideRoots, listDir, readBytes, readText, stampOf } from '../../io/read';
import { WorkspaceFiles } from '../../server/workspace';

describe('io/read', () => {
  let dir: string;
  let root: string;
  let outside: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-read-'));
    root = join(dir, 'project');
    outside = join(dir, 'outside');
    mkdirSync(root);
    mkdirSync(outside);
    writeFileSync(join(root, 'a.conf'), 'hello');
    writeFileSync(join(outside, 'secret'), 'TOKEN=abc');
    symlinkSync(join(outside, 'secret'), join(root, 'link-out'));
    symlinkSync(join(root, 'a.conf'), join(root, 'link-in'));
    symlinkSync(outside, join(root, 'dir-out'));
    execFileSync('mkfifo', [join(root, 'fifo')]);
    writeFileSync(join(root, 'bom'), Buffer.from([0xef, 0xbb, 0xbf, 0x61]));
    writeFileSync(join(root, 'u16'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hi', 'utf16le')]));
    writeFileSync(join(root, 'big'), Buffer.alloc(2000, 0x61));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a regular file inside the roots', () => {
    const r = readText(join(root, 'a.conf'), { roots: [root] });
    assert.deepEqual(r, { ok: true, text: 'hello', encoding: 'utf8' });
    assert.deepEqual(readText(join(root, 'link-in'), { roots: [root] }), { ok: true, text: 'hello', encoding: 'utf8' });
  });

  it('refuses what lies outside, by name or through a symlink', () => {
    assert.deepEqual(readBytes(join(outside, 'secret'), { roots: [root] }), { ok: false, reason: 'outside' });
    assert.deepEqual(readBytes(join(root, 'link-out'), { roots: [root] }), { ok: false, reason: 'outside' });
    assert.deepEqual(readBytes(join(root, 'dir-out', 'secret'), { roots: [root] }), { ok: false, reason: 'outside' });
    assert.deepEqual(readBytes(join(root, '..', 'outside', 'secret'), { roots: [root] }), { ok: false, reason: 'outside' });
    assert.equal(insideRoots([root], join(root, 'link-out')), false);
    assert.equal(insideRoots([root], join(root, 'nope')), true);
    assert.equal(listDir(join(root, 'dir-out'), [root]), undefined);
    assert.equal(stampOf(join(root, 'link-out'), [root]), undefined);
  });

  it('never blocks on a FIFO or a device, and reads neither', () => {
    assert.deepEqual(readBytes(join(root, 'fifo'), { roots: [root] }), { ok: false, reason: 'not-regular' });
    assert.deepEqual(readBytes('/dev/zero'), { ok: false, reason: 'not-regular' });
    assert.equal(readBytes('/dev/stdin', { roots: [root] }).ok, false);
    assert.equal(stampOf(join(root, 'fifo'), [root]), undefined);
    assert.equal(stampOf('/dev/zero'), undefined);
  });

  it('caps the size', () => {
    assert.deepEqual(readBytes(join(root, 'big'), { roots: [root], maxBytes: 1000 }), { ok: false, reason: 'too-large', size: 2000 });
    assert.equal(readBytes(join(root, 'big'), { roots: [root], maxBytes: 2000 }).ok, true);
  });

  it('decodes by the byte-order mark', () => {
    assert.deepEqual(readText(join(root, 'bom')), { ok: true, text: 'a', encoding: 'utf8-bom' });
    assert.deepEqual(readText(join(root, 'u16')), { ok: true, text: 'hi', encoding: 'utf16le' });
  });

  it('lists a folder inside, and says missing for what is not there', () => {
    assert.ok(listDir(root, [root])!.some((e) => e.name === 'a.conf'));
    assert.deepEqual(readBytes(join(root, 'nope'), { roots: [root] }), { ok: false, reason: 'missing' });
    assert.equal(stampOf(root, [root]), 'dir');
  });

  it("the server's WorkspaceFiles keeps to the workspace folders, open editors included", () => {
    const files = new WorkspaceFiles();
    files.setRoots([root]);
    assert.equal(files.read(join(root, 'a.conf')), 'hello');
    assert.equal(files.read(join(outside, 'secret')), undefined);
    assert.equal(files.read(join(root, 'link-out')), undefined);
    assert.equal(files.read(join(root, 'fifo')), undefined);
    assert.equal(files.stamp(join(outside, 'secret')), undefined);
    assert.equal(files.list(outside), undefined);
    files.setOpen(join(outside, 'secret'), { getText: () => 'open' });
    assert.equal(files.read(join(outside, 'secret')), undefined);
    files.setRoots(undefined);
    assert.equal(files.read(join(outside, 'secret')), 'open');
  });
});
