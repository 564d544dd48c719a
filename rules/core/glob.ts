/**
 * Minimal globs for `exclude` settings: `*`, `?`, `**`, `{a,b}` and `[…]`, matched against a path
 * relative to the workspace with `/` separators. A pattern with no `/` matches at any depth, and
 * a pattern that matches a folder excludes everything in it.
 */

function toRegExpSource(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more folders; a trailing `**` everything below.
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
        re += '(?:' + glob.slice(i + 1, close).split(',').map(toRegExpSource).join('|') + ')';
        i = close;
      }
    } else if (c === '[') {
      const cls = bracketClass(glob, i, 1);
      re += cls.re;
      i = cls.end;
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return re;
}

/**
 * A `[…]` class starting at `i` (`[!…]` negated) as a regular expression, and the index of its
 * `]`; a `[` with no `]` at least `minBody` characters on is a literal `[`.
 */
export function bracketClass(glob: string, i: number, minBody: number): { re: string; end: number } {
  const close = glob.indexOf(']', i + minBody);
  if (close < 0) return { re: '\\[', end: i };
  const body = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
  return { re: `[${body}]`, end: close };
}

export function globToRegExp(glob: string): RegExp {
  let g = glob.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  const anywhere = !g.replace(/\/$/, '').includes('/');
  g = g.replace(/^\//, '').replace(/\/$/, '');
  return new RegExp(`^${anywhere ? '(?:[^/]*/)*' : ''}${toRegExpSource(g)}(?:/.*)?$`);
}

export class GlobSet {
  private readonly res: RegExp[];

  constructor(globs: readonly string[]) {
    this.res = globs.filter((g) => g.trim()).map(globToRegExp);
  }

  matches(relativePath: string): boolean {
    const p = relativePath.replace(/\\/g, '/').replace(/^\.\//, '');
    return this.res.some((r) => r.test(p));
  }
}
