import { isInside, joinPath, normalizePath, splitPath } from '../core/paths';
import { LineIndex } from '../core/text';
import type { TextEdit, WorkspaceView } from '../core/types';
import { bracketClass } from '../core/glob';
import { compileTree } from '../core/nfa';
import type { RegexNode } from '../core/regex';

/**
 * `.gitignore` matching for the cases people write: `.env`, `*.env`, `/.env`, `**\/.env`,
 * `dir/`, `dir/**`, negations with `!`, escapes, and the rule that a file inside an ignored
 * folder cannot be re-included. Deeper `.gitignore` files take precedence over outer ones.
 */

interface Pattern {
  negate: boolean;
  dirOnly: boolean;
  /** Matched against the whole path relative to the .gitignore's folder, or else against each name. */
  anchored: boolean;
  re: { test(s: string): boolean };
}

const ANY: RegexNode = { kind: 'set', set: { has: (ch) => ch !== '\n' && ch !== '\r' && ch !== '\u2028' && ch !== '\u2029', source: '.' } };
const NOT_SLASH: RegexNode = { kind: 'set', set: { has: (ch) => ch !== '/', source: '[^/]' } };
const star = (item: RegexNode): RegexNode => ({ kind: 'repeat', item, min: 0, max: Infinity });

/**
 * A pattern as a tree for the linear matcher (core/nfa.ts): a `.gitignore` is the user's text, and
 * a RegExp from `*a*a*a*a*a*a*a*a*b` backtracks for minutes on a long name.
 */
function globTree(glob: string): RegexNode {
  const items: RegexNode[] = [{ kind: 'start' }];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && i + 1 < glob.length) items.push({ kind: 'char', c: glob[++i] });
    else if (c === '*' && glob[i + 1] === '*' && (i === 0 || glob[i - 1] === '/') && (glob[i + 2] === '/' || i + 2 === glob.length)) {
      // `**/` is any number of folders; a trailing `**` is everything below.
      if (glob[i + 2] === '/') {
        items.push({ kind: 'repeat', item: { kind: 'seq', items: [star(ANY), { kind: 'char', c: '/' }] }, min: 0, max: 1 });
        i += 2;
      } else {
        items.push(star(ANY));
        i += 1;
      }
    } else if (c === '*') items.push(star(NOT_SLASH));
    else if (c === '?') items.push(NOT_SLASH);
    else if (c === '[') {
      const cls = bracketClass(glob, i, 2);
      items.push(cls.node);
      i = cls.end;
    } else items.push({ kind: 'char', c });
  }
  items.push({ kind: 'end' });
  return { kind: 'seq', items };
}

/** Never matches: a pattern too large to compile (thousands of characters). */
const NOTHING = { test: () => false };

const MAX_PATTERN = 4096;

export function parseGitignore(text: string): Pattern[] {
  const out: Pattern[] = [];
  for (let line of text.split(/\r?\n/)) {
    // Trailing white space unless escaped, by hand: `\s+$` retries every run of inner spaces.
    let end = line.length;
    while (end > 0 && /\s/.test(line[end - 1])) end--;
    if (end < line.length && end > 0 && line[end - 1] === '\\') end++;
    line = line.slice(0, end);
    if (!line || line.startsWith('#')) continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    if (!line) continue;
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    // A pattern longer than a path can be (PATH_MAX) names no file: not compiled.
    const re = line.length > MAX_PATTERN ? NOTHING : (compileTree(globTree(line), { dollarEndOnly: true }) ?? NOTHING);
    out.push({ negate, dirOnly, anchored, re });
  }
  return out;
}

/** The verdict of one .gitignore for a path relative to its folder: true, false (negated), or undefined (no pattern matches). */
function verdict(patterns: Pattern[], rel: string, isDir: boolean): boolean | undefined {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  let result: boolean | undefined;
  for (const p of patterns) {
    if (p.dirOnly && !isDir) continue;
    if (p.re.test(p.anchored ? rel : name)) result = !p.negate;
  }
  return result;
}

export interface GitignoreFile {
  path: string;
  dir: string;
  patterns: Pattern[];
  text: string;
}

const MAX_LEVELS = 32;

/**
 * The `.gitignore` files in the folders above `absFile`, outermost first; with `roots` known, only
 * those inside the project (one above the root governs nothing git does here, and is never written).
 */
export function gitignoresAbove(absFile: string, ws: WorkspaceView, roots?: readonly string[]): GitignoreFile[] {
  const out: GitignoreFile[] = [];
  let dir = splitPath(absFile).dir;
  for (let level = 0; dir && level < MAX_LEVELS && isInside(roots, dir); level++) {
    const path = joinPath(dir, '.gitignore');
    const text = ws.read(path);
    if (text !== undefined) out.unshift({ path, dir, patterns: parseGitignore(text), text });
    const up = splitPath(dir).dir;
    if (!up || up === dir) break;
    dir = up;
  }
  return out;
}

/** The root `file` lies in (the deepest, when roots nest); undefined outside them all. */
export function rootOf(roots: readonly string[], file: string): string | undefined {
  const f = normalizePath(file);
  let best: string | undefined;
  for (const r of roots) {
    const root = normalizePath(r);
    if ((root === '/' || f === root || f.startsWith(root + '/')) && (!best || root.length > best.length)) best = root;
  }
  return best;
}

function relativeTo(dir: string, absFile: string): string | undefined {
  const norm = (p: string) => p.replace(/\\/g, '/');
  const d = norm(dir).replace(/\/$/, '');
  const f = norm(absFile);
  return f.startsWith(d + '/') ? f.slice(d.length + 1) : undefined;
}

/** Whether git would ignore `absFile` according to the `.gitignore` files above it. */
export function isIgnored(absFile: string, ws: WorkspaceView, files?: GitignoreFile[], roots?: readonly string[]): boolean {
  const found = files ?? gitignoresAbove(absFile, ws, roots);
  const at = (rel: string, isDir: boolean) => {
    let result = false;
    for (const g of found) {
      const r = relativeTo(g.dir, rel);
      if (r === undefined) continue;
      const v = verdict(g.patterns, r, isDir);
      if (v !== undefined) result = v;
    }
    return result;
  };
  // A file inside an ignored folder stays ignored whatever a later negation says.
  const parts = absFile.replace(/\\/g, '/').split('/');
  for (let i = 2; i < parts.length; i++) if (at(parts.slice(0, i).join('/'), true)) return true;
  return at(parts.join('/'), false);
}

/**
 * The edit that makes git ignore `absFile`: a line appended to the nearest `.gitignore` within the
 * project, or a new `.gitignore` at the project's root when there is none (without roots known: in
 * `fallbackDir`). `.env` files get the usual `.env` line; other files a path anchored at the
 * `.gitignore`'s folder. Undefined for a file outside the project: nothing is written there.
 */
export function ignoreEdit(absFile: string, ws: WorkspaceView, fallbackDir: string, files?: GitignoreFile[], roots?: readonly string[]): TextEdit | undefined {
  if (!isInside(roots, absFile)) return undefined;
  files ??= gitignoresAbove(absFile, ws, roots);
  const nearest = files.filter((g) => isInside(roots, g.path)).pop();
  const home = roots ? rootOf(roots, absFile)! : fallbackDir;
  const dir = nearest?.dir ?? home;
  const { base } = splitPath(absFile);
  const rel = relativeTo(dir, absFile) ?? base;
  const line = base === '.env' ? '.env' : '/' + rel.replace(/([*?[\]!#\\])/g, '\\$1');
  if (!nearest) return { file: joinPath(home, '.gitignore'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: line + '\n' };
  return appendLine(nearest.path, nearest.text, line);
}

/** Appends a line at the end of a file's text (after a line break if the text lacks one). */
export function appendLine(file: string, text: string, line: string): TextEdit {
  const end = new LineIndex(text).position(text.length);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const sep = text === '' || text.endsWith('\n') || text.endsWith('\r') ? '' : eol;
  return { file, range: { start: end, end }, newText: sep + line + eol };
}
