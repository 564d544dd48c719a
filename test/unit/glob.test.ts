/**
 * Exclude globs and include/import patterns run by the linear matcher: the same answers as the
 * RegExp translation they replace (kept here as the oracle, on inputs where it is safe), and no
 * blow-up on the issue's `*a*a*a*a*a*a*a*a*b`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGlob, GlobSet, memoryFileSystem, Project } from '../../rules';
import { parseGitignore } from '../../rules/deployment/gitignore';

/** The former translation (glob → RegExp source), as an oracle. */
function oracleSource(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:[^/]*/)*';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const close = glob.indexOf('}', i);
      if (close < 0) re += '\\{';
      else {
        re += '(?:' + glob.slice(i + 1, close).split(',').map(oracleSource).join('|') + ')';
        i = close;
      }
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return re;
}
function oracle(glob: string): RegExp {
  let g = glob.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  const anywhere = !g.replace(/\/$/, '').includes('/');
  g = g.replace(/^\//, '').replace(/\/$/, '');
  return new RegExp(`^${anywhere ? '(?:[^/]*/)*' : ''}${oracleSource(g)}(?:/.*)?$`);
}

const GLOBS = [
  'vendor', 'vendor/', '/vendor', './vendor', 'deploy/**/old-*.yml', '*.bak', 'x/{a,b}/c', '**', '**/x', 'a/**', 'a/**/b', '*', '?',
  '??.yml', '[ab].conf', '[!a].conf', '[a-c]*', 'file[', '{a', '{,x}.yml', 'a.b', 'a+b', '(x)', 'node_modules/**', '**/*.{yml,yaml}',
  'docs/*/index.md', 'a*b*c', '.git', '.*', 'sub/.env', 'a\\b',
];
const PATHS = [
  'vendor', 'vendor/compose.yml', 'sub/vendor/compose.yml', 'vendors/compose.yml', 'deploy/a/b/old-compose.yml', 'deploy/old-1.yml',
  'deploy/new.yml', 'z/compose.yml.bak', 'x/b/c', 'x/c/c', 'x', 'a/x', 'a', 'a/b', 'a/c/b', 'a/c/d/b', 'ab.yml', 'abc.yml', 'a.conf',
  'b.conf', 'c.conf', 'cat', 'file[', '{a', '.yml', 'x.yml', 'a.b', 'axb', 'a+b', '(x)', 'node_modules/x/y', 'k/compose.yaml',
  'docs/a/index.md', 'docs/a/b/index.md', 'aXbYc', 'ac', '.git/config', '.env', 'sub/.env', 'a/b/c/d', './vendor/x', '',
];

describe('globs', () => {
  it(`answer as the RegExp translation did: ${GLOBS.length} globs × ${PATHS.length} paths`, () => {
    for (const g of GLOBS) {
      const m = compileGlob(g)!;
      const re = oracle(g);
      for (const p of PATHS) assert.equal(m.test(p), re.test(p), `${g} on ${p}`);
    }
  });

  it('keeps the exclude cases', () => {
    const g = new GlobSet(['vendor', 'deploy/**/old-*.yml', '*.bak', 'x/{a,b}/c']);
    assert.ok(g.matches('vendor/compose.yml'));
    assert.ok(g.matches('sub\\vendor\\compose.yml'));
    assert.ok(g.matches('./deploy/old-1.yml'));
    assert.ok(!g.matches('vendors/compose.yml'));
    assert.ok(new GlobSet(['[z-a]']).matches('b') === false, 'a reversed range matches nothing (the RegExp threw)');
  });

  it('matches `*a*a*a*a*a*a*a*a*b` against a long path in linear time', () => {
    const g = new GlobSet(['*a*a*a*a*a*a*a*a*b']);
    const time = (n: number) => {
      const p = 'a'.repeat(n);
      const t = process.hrtime.bigint();
      assert.equal(g.matches(p), false);
      return Number(process.hrtime.bigint() - t);
    };
    time(1000);
    const small = Math.min(time(20_000), time(20_000), time(20_000));
    const big = Math.min(time(80_000), time(80_000), time(80_000));
    // Four times the input: about four times the time (a backtracking engine takes hours).
    assert.ok(big / small < 10, `ratio ${big / small}`);
    assert.ok(g.matches('a'.repeat(1000) + 'b'));
  });

  it('include patterns (glob(3)) resolve segment by segment, linearly', () => {
    const fs = memoryFileSystem({ '/w/conf.d/a.conf': 'x', '/w/conf.d/b.conf': 'y', '/w/conf.d/.h.conf': 'z', '/w/conf.d/]x.conf': 'w' });
    const p = new Project(fs);
    assert.deepEqual(p.glob('/w/conf.d/*.conf'), ['/w/conf.d/]x.conf', '/w/conf.d/a.conf', '/w/conf.d/b.conf']);
    // glob(3): a `]` first in a class is a member (the RegExp translation read `[]` as empty).
    assert.deepEqual(p.glob('/w/conf.d/[]a]x.conf'), ['/w/conf.d/]x.conf']);
    assert.deepEqual(p.glob('/w/conf.d/[]a].conf'), ['/w/conf.d/a.conf']);
    assert.deepEqual(p.glob('/w/conf.d/\\a.conf'), ['/w/conf.d/a.conf']);
    const long = '/w/conf.d/' + '*a'.repeat(10) + 'b';
    const t = process.hrtime.bigint();
    assert.deepEqual(p.glob(long), []);
    assert.ok(Number(process.hrtime.bigint() - t) / 1e6 < 2000);
  });

  it('.gitignore patterns answer as their RegExp translation did', () => {
    // The former translation, as an oracle.
    const source = (glob: string): string => {
      let re = '';
      for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (c === '\\' && i + 1 < glob.length) re += glob[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
        else if (c === '*' && glob[i + 1] === '*' && (i === 0 || glob[i - 1] === '/') && (glob[i + 2] === '/' || i + 2 === glob.length)) {
          if (glob[i + 2] === '/') {
            re += '(?:.*/)?';
            i += 2;
          } else {
            re += '.*';
            i += 1;
          }
        } else if (c === '*') re += '[^/]*';
        else if (c === '?') re += '[^/]';
        else if (c === '[') {
          const close = glob.indexOf(']', i + 2);
          if (close < 0) re += '\\[';
          else {
            re += '[' + glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\(?!\])/g, '\\\\') + ']';
            i = close;
          }
        } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
      }
      return re;
    };
    const patterns = ['.env', '*.env', '**/.env', 'a/**', 'a/**/b', 'x?y', '[ab]c', '[!a]c', '\\*x', 'a.b', 'node_modules', '*a*b', 'f[', '(x)'];
    const names = ['.env', 'x.env', 'a/.env', 'a/b/.env', 'a/b', 'a/c/b', 'a', 'xzy', 'x/y', 'ac', 'bc', 'cc', '*x', 'ax', 'a.b', 'axb', 'node_modules', 'ab', 'zazb', 'f[', '(x)'];
    for (const p of patterns) {
      const ours = parseGitignore(p)[0].re;
      const re = new RegExp(`^${source(p.replace(/^\//, ''))}$`);
      for (const n of names) assert.equal(ours.test(n), re.test(n), `${p} on ${n}`);
    }
    // Trailing white space goes unless escaped.
    assert.ok(parseGitignore('.env   ')[0].re.test('.env'));
    assert.ok(parseGitignore('a\\  ')[0].re.test('a '));
  });
});
