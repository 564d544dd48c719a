/**
 * The linear matcher against JavaScript's RegExp, on patterns where the two engines agree (no
 * `$` before a final line feed, no `\r`, no PCRE-only syntax in the comparison table): same yes/no
 * on every pair. PCRE-only constructs it reads, those it refuses, and its size cap.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRegex, MAX_PROGRAM } from '../../rules/core/nfa';

const PATTERNS = [
  'a', 'abc', '^abc', 'abc$', '^abc$', '^$', '', '.', '^.$', 'a.c', 'a*', '^a*$', 'a+', '^a+$', 'a?b', '^a?b$',
  'ab*c', 'ab+c', '^ab?c$', 'a|b', '^(a|b)$', '^(ab|cd)+$', '^(?:ab|cd)*e$', 'x(a|bc|)y', '^(a*)*$', '^(a*)+b$', '^(a|a)*$',
  '^(.*)(.*)(.*)x$', '^a{3}$', '^a{2,}$', '^a{1,3}$', '^(ab){2}$', '^a{0,2}b', '[abc]', '^[abc]+$', '[^abc]', '^[^abc]*$',
  '^[a-z]+$', '^[A-Z0-9_]+$', '[-a]', '[a-]', '\\d', '^\\d+$', '\\D', '^\\w+$', '\\W', '\\s', '^\\S+$',
  '^[\\d.]+$', '^[^\\d]+$', '\\.', '^/api/', '^/api/(pull|push|delete)', '\\.(php|phtml)$', '^/(?<name>[a-z]+)/x$',
  '^/static/.*\\.(css|js|png)$', '^/~(\\w+)', '/\\.ht', '^/images/.+\\.jpe?g$', 'a.*b.*c', '^(a+)+$', '^(a|aa)+$', '(a|b)*abb',
  '^[^/]+/[^/]+$', '^/x{2,3}y$', 'a{,2}', 'a{x}', '^\\{\\}$', '\\$', '^\\^', 'a\\|b', '^(?:(?:a|b)c)+$', '^(ab?)*c$', 'b+?', '^a*?$',
  '^/(?:en|fr|de)(/|$)', '[.]', '^\\x41', '\\t', '^.{3,5}$', '^(?:)$', '(|a)b', '^(a?){3}a{3}$',
];
const SUBJECTS = [
  '', 'a', 'b', 'aa', 'ab', 'abc', 'abcabc', 'ac', 'abbc', 'aaa', 'aaaa', 'x', 'xay', 'xbcy', 'xy', 'cd', 'abcd', 'abab', 'cdabe', 'e',
  'A', 'ABC_09', '123', '1.2.3', 'a b', '\t', ']a]', '-', 'a|b', '{}', '$', '^x', '/api/pull', '/api/tags', '/index.php', '/x.phtml',
  '/foo/x', '/Foo/x', '/static/a/b.css', '/~joe/x', '/.htaccess', '/images/a.jpg', '/images/.jpeg', 'aXbXc', 'cba', 'aabb', 'babb',
  'a/b', 'a/b/c', '/xxy', '/xxxy', '/xy', 'a{,2}', 'a{x}', '/en', '/en/x', '/enx', '.', 'A1', 'abcde', 'aaaaaa', 'xxxxxxxxxxx',
];

describe('nfa: the same answers as RegExp', () => {
  it(`agrees on ${PATTERNS.length} patterns × ${SUBJECTS.length} subjects, case-sensitive and not`, () => {
    let pairs = 0;
    for (const p of PATTERNS) {
      for (const icase of [false, true]) {
        const re = compileRegex(p, icase);
        assert.ok(re, `compiles ${p}`);
        const js = new RegExp(p, icase ? 'i' : '');
        for (const s of SUBJECTS) {
          assert.equal(re.test(s), js.test(s), `/${p}/${icase ? 'i' : ''} on ${JSON.stringify(s)}`);
          pairs++;
        }
      }
    }
    assert.ok(pairs > 10_000);
  });

  it('reads PCRE-only spellings: (?P<n>), leading (?i), POSIX classes, \\h, \\Q…\\E', () => {
    const cases: [string, string, boolean][] = [
      ['^/(?P<user>[a-z]+)$', '/joe', true],
      ['^/(?P<user>[a-z]+)$', '/Joe', false],
      ["^/(?'user'[a-z]+)$", '/joe', true],
      ['(?i)^/admin', '/ADMIN/x', true],
      ['^(?i)/admin', '/Admin', true],
      ['^[[:digit:]]+$', '2024', true],
      ['^[[:alpha:]]+$', 'ab1', false],
      ['^a\\hb$', 'a b', true],
      ['^\\Qa.b\\E$', 'a.b', true],
      ['^\\Qa.b\\E$', 'axb', false],
      ['^a(?#comment)b$', 'ab', true],
      // In PCRE a `]` first in a class is a member (JavaScript reads `[]` as the empty class).
      ['^[]a]+$', ']a]', true],
      ['^[^]a]+$', 'b', true],
      ['^[^]a]+$', ']', false],
      ['^(?|a|b)c$', 'bc', true],
      // PCRE's `$` also matches before a final line feed; `.` never matches one.
      ['^abc$', 'abc\n', true],
      ['^a.c$', 'a\nc', false],
    ];
    for (const [p, s, want] of cases) assert.equal(compileRegex(p)?.test(s), want, `${p} on ${JSON.stringify(s)}`);
  });

  it('refuses what it cannot represent exactly: unknown, never a guess', () => {
    for (const p of [
      '(a)\\1', '(?<n>a)\\k<n>', '(?=a)', '(?!a)b', '(?<=a)b', '(?<!a)b', '\\bword\\b', '\\Bx', 'a*+', '(?>a+)b', '(?i:a)b', 'a(?i)b',
      '(?s).', '(?m)^a', '(?-i)a', '\\Ga', 'a\\Z', '\\pL', '\\p{Lu}', '\\X', '\\R', '\\K', '\\N', '\\v', '[\\v]', '[[:foo:]]', '(?R)', '(?1)',
      '(?(1)a|b)', 'a{3,2}', '^?a', 'a$*', '(', 'a)', '[a', '*a', '\\',
    ]) assert.equal(compileRegex(p), undefined, p);
  });

  it('caps the program: huge counted repetitions are unknown, not expanded', () => {
    assert.equal(compileRegex('(a{1000}){1000}'), undefined);
    assert.equal(compileRegex(`a{${MAX_PROGRAM}}`), undefined);
    assert.ok(compileRegex('a{100}')!.size < MAX_PROGRAM);
  });

  it('runs the issue’s catastrophic patterns in linear time', () => {
    const stars = '^' + '(.*)'.repeat(57) + 'X$';
    assert.equal(stars.length, 231);
    const re = compileRegex(stars)!;
    const t = process.hrtime.bigint();
    assert.equal(re.test('/api/' + 'a'.repeat(2000)), false);
    assert.equal(compileRegex('^(a+)+$')!.test('a'.repeat(5000) + 'b'), false);
    assert.equal(compileRegex('^(a|aa)+$')!.test('a'.repeat(5000) + 'b'), false);
    assert.ok(Number(process.hrtime.bigint() - t) / 1e6 < 5000);
  });
});
