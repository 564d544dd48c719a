/**
 * Minimal globs for `exclude` settings: `*`, `?`, `**`, `{a,b}` and `[…]`, matched against a path
 * relative to the workspace with `/` separators. A pattern with no `/` matches at any depth, and
 * a pattern that matches a folder excludes everything in it.
 *
 * A glob becomes a tree of the kind nginx/regex.ts reads, run by the linear matcher (nfa.ts): a
 * pattern such as `*a*a*a*a*a*a*a*a*b` costs one pass over the path, never a backtracking RegExp.
 */
import { compileTree, type CompiledRegex } from './nfa';
import type { RegexNode } from './regex';

const set = (has: (ch: string) => boolean, source: string): RegexNode => ({ kind: 'set', set: { has, source } });
const NOT_SLASH = set((ch) => ch !== '/', '[^/]');
/** What `.` matched when globs were RegExps: anything but a line terminator. */
const ANY = set((ch) => ch !== '\n' && ch !== '\r' && ch !== '\u2028' && ch !== '\u2029', '.');
const char = (c: string): RegexNode => ({ kind: 'char', c });
const star = (item: RegexNode): RegexNode => ({ kind: 'repeat', item, min: 0, max: Infinity });
// Zero or more folders, each a name and a slash (`**/`).
const FOLDERS = star({ kind: 'seq', items: [star(NOT_SLASH), char('/')] });

function toTree(glob: string): RegexNode {
  const items: RegexNode[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more folders; a trailing `**` everything below.
        i++;
        if (glob[i + 1] === '/') {
          i++;
          items.push(FOLDERS);
        } else items.push(star(ANY));
      } else items.push(star(NOT_SLASH));
    } else if (c === '?') items.push(NOT_SLASH);
    else if (c === '{') {
      const close = glob.indexOf('}', i);
      if (close < 0) items.push(char('{'));
      else {
        items.push({ kind: 'alt', options: glob.slice(i + 1, close).split(',').map(toTree) });
        i = close;
      }
    } else if (c === '[') {
      const cls = bracketClass(glob, i, 1);
      items.push(cls.node);
      i = cls.end;
    } else items.push(char(c));
  }
  return { kind: 'seq', items };
}

/**
 * A `[…]` class starting at `i` (`[!…]` or `[^…]` negated, `a-z` ranges, every other character
 * itself) and the index of its `]`; a `[` with no `]` at least `minBody` characters on is a
 * literal `[`.
 */
export function bracketClass(glob: string, i: number, minBody: number): { node: RegexNode; end: number } {
  const close = glob.indexOf(']', i + minBody);
  if (close < 0) return { node: char('['), end: i };
  let body = glob.slice(i + 1, close);
  const negated = body[0] === '!' || body[0] === '^';
  if (negated) body = body.slice(1);
  const singles = new Set<string>();
  const ranges: [number, number][] = [];
  for (let k = 0; k < body.length; k++) {
    if (body[k + 1] === '-' && k + 2 < body.length) {
      ranges.push([body.charCodeAt(k), body.charCodeAt(k + 2)]);
      k += 2;
    } else singles.add(body[k]);
  }
  const has = (ch: string) => singles.has(ch) || ranges.some(([a, b]) => ch.charCodeAt(0) >= a && ch.charCodeAt(0) <= b);
  return { node: set(negated ? (ch) => !has(ch) : has, glob.slice(i, close + 1)), end: close };
}

/** A glob as a matcher of relative paths; undefined when it is too large to compile. */
export function compileGlob(glob: string): CompiledRegex | undefined {
  let g = glob.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  const anywhere = !g.replace(/\/$/, '').includes('/');
  g = g.replace(/^\//, '').replace(/\/$/, '');
  const below: RegexNode = { kind: 'repeat', item: { kind: 'seq', items: [char('/'), star(ANY)] }, min: 0, max: 1 };
  const root: RegexNode = { kind: 'seq', items: [{ kind: 'start' }, ...(anywhere ? [FOLDERS] : []), toTree(g), below, { kind: 'end' }] };
  return compileTree(root, { dollarEndOnly: true });
}

export class GlobSet {
  private readonly matchers: CompiledRegex[];

  constructor(globs: readonly string[]) {
    // A glob too large to compile (thousands of characters) excludes nothing.
    this.matchers = globs.filter((g) => g.trim()).flatMap((g) => compileGlob(g) ?? []);
  }

  matches(relativePath: string): boolean {
    const p = relativePath.replace(/\\/g, '/').replace(/^\.\//, '');
    return this.matchers.some((m) => m.test(p));
  }
}
