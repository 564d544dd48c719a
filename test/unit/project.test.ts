/**
 * The project: other documents parsed once per version, glob(3) patterns, who references whom,
 * and the order-independence of `lintProject`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryFileSystem, Project, registerFormat, parseDocument, lintProject, type FormatModule, type ProjectFileSystem } from '../../rules';

/** A toy format: `use PATH` lines are references, relative to the file's folder. */
const toy: FormatModule<{ uses: string[]; file: string }> = {
  format: 'systemd',
  parse: (text, file) => ({ file, uses: [...text.matchAll(/^use (\S+)$/gm)].map((m) => m[1]) }),
  rules: [],
  references: (model) => model.uses.map((u) => (u.startsWith('/') ? u : model.file.replace(/[^/]*$/, '') + u)),
};

function counting(fs: ProjectFileSystem): ProjectFileSystem & { reads: number } {
  const c = { reads: 0, stamp: fs.stamp, list: fs.list, read: (p: string) => (c.reads++, fs.read(p)) };
  return c;
}

describe('Project', () => {
  const files = {
    '/w/conf.d/a.conf': 'x',
    '/w/conf.d/b.conf': 'y',
    '/w/conf.d/.hidden.conf': 'z',
    '/w/conf.d/sub/c.conf': 'w',
    '/w/main.conf': 'use conf.d/*.conf',
    '/w/other.conf': 'use /w/conf.d/b.conf',
  };

  it('globs as glob(3): within one segment, sorted, no leading-dot match, folders not files', () => {
    const p = new Project(memoryFileSystem(files));
    assert.deepEqual(p.glob('/w/conf.d/*.conf'), ['/w/conf.d/a.conf', '/w/conf.d/b.conf']);
    assert.deepEqual(p.glob('/w/conf.d/.*.conf'), ['/w/conf.d/.hidden.conf']);
    assert.deepEqual(p.glob('/w/*/*.conf'), ['/w/conf.d/a.conf', '/w/conf.d/b.conf']);
    assert.deepEqual(p.glob('/w/conf.d/[ab].conf'), ['/w/conf.d/a.conf', '/w/conf.d/b.conf']);
    assert.deepEqual(p.glob('/w/conf.d/[!a].conf'), ['/w/conf.d/b.conf']);
    assert.deepEqual(p.glob('/w/conf.d/?.conf'), ['/w/conf.d/a.conf', '/w/conf.d/b.conf']);
    assert.deepEqual(p.glob('/w/main.conf'), ['/w/main.conf']);
    assert.deepEqual(p.glob('/w/missing.conf'), []);
    assert.deepEqual(p.glob('/w/nowhere/*.conf'), []);
    assert.deepEqual(p.glob('/w/./conf.d/../conf.d/a.conf'), ['/w/conf.d/a.conf']);
  });

  it('parses another document once per version, and again when it changes', () => {
    const texts: Record<string, string> = { '/w/a.conf': 'use b' };
    const base = memoryFileSystem(texts);
    const fs = counting({ stamp: (p) => (texts[p] === undefined ? undefined : `v${texts[p].length}`), read: (p) => texts[p], list: base.list });
    const restore = registerFormat(toy);
    try {
      const p = new Project(fs);
      const first = p.document('/w/a.conf', 'systemd');
      assert.ok(first);
      assert.equal(p.document('/w/a.conf', 'systemd'), first, 'the same parse while the version is the same');
      assert.equal(fs.reads, 1);
      texts['/w/a.conf'] = 'use b\nuse c';
      const second = p.document('/w/a.conf', 'systemd');
      assert.notEqual(second, first);
      assert.deepEqual((second!.model as { uses: string[] }).uses, ['b', 'c']);
      assert.equal(fs.reads, 2);
      assert.equal(p.document('/w/missing.conf', 'systemd'), undefined);
      // A parse made elsewhere (an open editor) is used as is under its stamp.
      const doc = parseDocument('/w/a.conf', texts['/w/a.conf'], 'systemd')!;
      p.remember(doc, fs.stamp('/w/a.conf')!);
      assert.equal(p.document('/w/a.conf', 'systemd'), doc);
      assert.equal(fs.reads, 2);
    } finally {
      restore();
    }
  });

  it('knows who references whom, through globs and transitively, and forgets removed files', () => {
    const restore = registerFormat(toy);
    try {
      const p = new Project(memoryFileSystem(files));
      for (const [file, text] of Object.entries(files)) p.update(parseDocument(file, text, 'systemd')!);
      assert.deepEqual(p.referrers('/w/conf.d/a.conf'), ['/w/main.conf']);
      assert.deepEqual(p.referrers('/w/conf.d/b.conf'), ['/w/main.conf', '/w/other.conf']);
      assert.deepEqual(p.referrers('/w/conf.d/sub/c.conf'), [], 'a `*` stays within its segment');
      assert.deepEqual(p.dependents('/w/conf.d/a.conf'), ['/w/main.conf']);
      assert.deepEqual(p.dependents('/w/main.conf'), ['/w/conf.d/a.conf', '/w/conf.d/b.conf']);
      const generation = p.generation;
      assert.equal(p.update(parseDocument('/w/main.conf', files['/w/main.conf'], 'systemd')!), false, 'the same references: no change');
      assert.equal(p.generation, generation);
      assert.equal(p.remove('/w/other.conf'), true);
      assert.equal(p.generation, generation + 1);
      assert.deepEqual(p.referrers('/w/conf.d/b.conf'), ['/w/main.conf']);
      assert.equal(p.remove('/w/other.conf'), false);
    } finally {
      restore();
    }
  });

  it('lintProject records every file before linting any, so order does not matter', async () => {
    let seen: string[][] = [];
    const probe: FormatModule<{ file: string }> = {
      format: 'systemd',
      parse: (_text, file) => ({ file }),
      references: (m) => (m.file.endsWith('main.conf') ? ['/w/conf.d/*.conf'] : []),
      rules: [
        {
          id: 'systemd/probe',
          format: 'systemd',
          severity: 'info',
          summary: 'who includes me',
          check: (m, ctx) => {
            seen.push([m.file, ...(ctx.project?.referrers(m.file) ?? [])]);
            return [];
          },
        },
      ],
    };
    const restore = registerFormat(probe);
    try {
      const fs = memoryFileSystem(files);
      const order = ['/w/conf.d/a.conf', '/w/main.conf'];
      for (const list of [order, [...order].reverse()]) {
        seen = [];
        await lintProject(new Project(fs), list.map((file) => ({ file, text: files[file as keyof typeof files], format: 'systemd' as const })), {}, fs.stamp);
        assert.deepEqual(seen.find((s) => s[0] === '/w/conf.d/a.conf'), ['/w/conf.d/a.conf', '/w/main.conf']);
      }
    } finally {
      restore();
    }
  });
});
