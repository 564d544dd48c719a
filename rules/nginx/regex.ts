import { append } from '../core/arrays';
/**
 * A reader for the PCRE patterns nginx configs hold (`if ($x ~ …)`, `map` keys, `location ~`), enough
 * to reason about what a pattern accepts: it turns the pattern into a tree, then into the finite set
 * of shapes it can match — sequences of literal characters, character sets and anchors — by taking
 * each alternative and each repetition zero, one or a few times. Patterns it cannot read give
 * undefined: a rule then says nothing.
 */

/** A set of characters (a class, `.`, `\d`…), known by a membership test. */
export interface CharSet {
  has(ch: string): boolean;
  /** The set as written. */
  source: string;
}

export type RegexNode =
  | { kind: 'char'; c: string }
  | { kind: 'set'; set: CharSet }
  | { kind: 'start' }
  | { kind: 'end' }
  | { kind: 'empty' }
  | { kind: 'seq'; items: RegexNode[] }
  | { kind: 'alt'; options: RegexNode[] }
  | { kind: 'repeat'; item: RegexNode; min: number; max: number };

/** One element of a shape: a literal, a set matched once (`many`: one or more times), an anchor. */
export type Atom = { kind: 'char'; c: string } | { kind: 'set'; set: CharSet; many: boolean } | { kind: 'start' } | { kind: 'end' };

export interface ParsedRegex {
  root: RegexNode;
  /** `(?i)` in the pattern, or the operator's `*`. */
  ignoreCase: boolean;
}

const MAX_LENGTH = 1000;
const MAX_SHAPES = 256;

const inRanges = (ranges: readonly [number, number][]) => (ch: string) => {
  const c = ch.charCodeAt(0);
  return ranges.some(([a, b]) => c >= a && c <= b);
};
const r = (a: string, b = a): [number, number] => [a.charCodeAt(0), b.charCodeAt(0)];
const DIGIT = [r('0', '9')];
const WORD = [r('0', '9'), r('a', 'z'), r('A', 'Z'), r('_')];
const SPACE = [r('\t', '\r'), r(' ')];

const CLASS_ESCAPES: Record<string, { ranges: [number, number][]; negated: boolean }> = {
  d: { ranges: DIGIT, negated: false },
  D: { ranges: DIGIT, negated: true },
  w: { ranges: WORD, negated: false },
  W: { ranges: WORD, negated: true },
  s: { ranges: SPACE, negated: false },
  S: { ranges: SPACE, negated: true },
  h: { ranges: [r('\t'), r(' ')], negated: false },
  H: { ranges: [r('\t'), r(' ')], negated: true },
};

const POSIX: Record<string, [number, number][]> = {
  alpha: [r('a', 'z'), r('A', 'Z')],
  digit: DIGIT,
  alnum: [r('0', '9'), r('a', 'z'), r('A', 'Z')],
  lower: [r('a', 'z')],
  upper: [r('A', 'Z')],
  space: SPACE,
  xdigit: [r('0', '9'), r('a', 'f'), r('A', 'F')],
  word: WORD,
};

const CONTROL: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', e: '\x1b', a: '\x07', '0': '\0' };

function setOf(has: (ch: string) => boolean, source: string): RegexNode {
  return { kind: 'set', set: { has, source } };
}

class Unreadable extends Error {}

/** The pattern as a tree; undefined when it is too long or not a pattern this reader knows. */
export function parseRegex(pattern: string, ignoreCase = false): ParsedRegex | undefined {
  if (pattern.length > MAX_LENGTH) return undefined;
  const state = { i: 0, ignoreCase };
  try {
    const root = parseAlternation(pattern, state);
    if (state.i < pattern.length) return undefined;
    return { root, ignoreCase: state.ignoreCase };
  } catch (e) {
    if (e instanceof Unreadable) return undefined;
    throw e;
  }
}

interface State {
  i: number;
  ignoreCase: boolean;
}

function parseAlternation(p: string, s: State): RegexNode {
  const options: RegexNode[] = [parseSequence(p, s)];
  while (p[s.i] === '|') {
    s.i++;
    options.push(parseSequence(p, s));
  }
  return options.length === 1 ? options[0] : { kind: 'alt', options };
}

function parseSequence(p: string, s: State): RegexNode {
  const items: RegexNode[] = [];
  while (s.i < p.length && p[s.i] !== '|' && p[s.i] !== ')') {
    const atom = parseAtom(p, s);
    items.push(parseQuantifier(p, s, atom));
  }
  return items.length === 1 ? items[0] : { kind: 'seq', items };
}

function parseQuantifier(p: string, s: State, atom: RegexNode): RegexNode {
  let node = atom;
  while (s.i < p.length) {
    const c = p[s.i];
    let min: number;
    let max: number;
    if (c === '?') [min, max] = [0, 1];
    else if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(s.i));
      if (!m) break;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      s.i += m[0].length - 1;
    } else break;
    s.i++;
    // Lazy and possessive forms accept the same strings.
    if (p[s.i] === '?' || p[s.i] === '+') s.i++;
    if (node.kind === 'start' || node.kind === 'end' || node.kind === 'empty') continue;
    node = { kind: 'repeat', item: node, min, max };
  }
  return node;
}

function parseAtom(p: string, s: State): RegexNode {
  const c = p[s.i++];
  switch (c) {
    case '^':
      return { kind: 'start' };
    case '$':
      return { kind: 'end' };
    case '.':
      return setOf((ch) => ch !== '\n', '.');
    case '[':
      return parseClass(p, s);
    case '(':
      return parseGroup(p, s);
    case '\\':
      return parseEscape(p, s);
    case '*':
    case '+':
    case '?':
      throw new Unreadable();
    default:
      return { kind: 'char', c };
  }
}

function parseGroup(p: string, s: State): RegexNode {
  let discard = false;
  if (p[s.i] === '?') {
    const rest = p.slice(s.i + 1);
    if (rest.startsWith('#')) {
      const close = p.indexOf(')', s.i);
      if (close < 0) throw new Unreadable();
      s.i = close + 1;
      return { kind: 'empty' };
    }
    const flags = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest);
    if (flags && (flags[1] || flags[2] !== undefined || flags[3] === ':')) {
      if (flags[1].includes('i')) s.ignoreCase = true;
      s.i += 1 + flags[0].length;
      if (flags[3] === ')') return { kind: 'empty' };
    } else {
      const named = /^(P?<(?![=!])[A-Za-z_]\w*>|'[A-Za-z_]\w*'|[:>|])/.exec(rest);
      const look = /^(=|!|<=|<!)/.exec(rest);
      if (named) s.i += 1 + named[0].length;
      else if (look) {
        // A lookaround checks without consuming: the shapes ignore it.
        s.i += 1 + look[0].length;
        discard = true;
      } else throw new Unreadable();
    }
  }
  const inner = parseAlternation(p, s);
  if (p[s.i] !== ')') throw new Unreadable();
  s.i++;
  return discard ? { kind: 'empty' } : inner;
}

function parseEscape(p: string, s: State): RegexNode {
  const c = p[s.i++];
  if (c === undefined) throw new Unreadable();
  const cls = CLASS_ESCAPES[c];
  if (cls) {
    const has = inRanges(cls.ranges);
    return setOf(cls.negated ? (ch) => !has(ch) : has, `\\${c}`);
  }
  if (c === 'A' || c === 'G') return { kind: 'start' };
  if (c === 'z' || c === 'Z') return { kind: 'end' };
  if (c === 'b' || c === 'B') return { kind: 'empty' };
  if (/[1-9]/.test(c) || c === 'k' || c === 'g' || c === 'p' || c === 'P' || c === 'X' || c === 'R') {
    // Back references and Unicode properties: something the shapes treat as any text.
    const m = /^(\{[^}]*\}|<[^>]*>|'[^']*'|\d*)/.exec(p.slice(s.i));
    s.i += m ? m[0].length : 0;
    return setOf(() => true, `\\${c}`);
  }
  if (c === 'Q') {
    const end = p.indexOf('\\E', s.i);
    const literal = p.slice(s.i, end < 0 ? p.length : end);
    s.i = end < 0 ? p.length : end + 2;
    return { kind: 'seq', items: [...literal].map((ch) => ({ kind: 'char', c: ch }) as RegexNode) };
  }
  if (c === 'E') return { kind: 'empty' };
  if (c === 'x') {
    const m = /^(\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{1,2}))/.exec(p.slice(s.i));
    if (!m) return { kind: 'char', c: '\0' };
    s.i += m[0].length;
    return { kind: 'char', c: String.fromCharCode(parseInt(m[2] ?? m[3], 16)) };
  }
  return { kind: 'char', c: CONTROL[c] ?? c };
}

function parseClass(p: string, s: State): RegexNode {
  const start = s.i - 1;
  let negated = false;
  if (p[s.i] === '^') {
    negated = true;
    s.i++;
  }
  const ranges: [number, number][] = [];
  const tests: ((ch: string) => boolean)[] = [];
  let first = true;
  while (true) {
    if (s.i >= p.length) throw new Unreadable();
    let c = p[s.i];
    if (c === ']' && !first) {
      s.i++;
      break;
    }
    first = false;
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(s.i));
    if (posix) {
      s.i += posix[0].length;
      const has = inRanges(POSIX[posix[2]] ?? [[0, 0xffff]]);
      tests.push(posix[1] ? (ch) => !has(ch) : has);
      continue;
    }
    s.i++;
    if (c === '\\') {
      const e = p[s.i++];
      if (e === undefined) throw new Unreadable();
      const cls = CLASS_ESCAPES[e];
      if (cls) {
        const has = inRanges(cls.ranges);
        tests.push(cls.negated ? (ch) => !has(ch) : has);
        continue;
      }
      c = CONTROL[e] ?? e;
    }
    if (p[s.i] === '-' && p[s.i + 1] !== ']' && s.i + 1 < p.length) {
      s.i++;
      let to = p[s.i++];
      if (to === '\\') {
        const e = p[s.i++];
        if (e === undefined) throw new Unreadable();
        to = CONTROL[e] ?? e;
      }
      if (to.charCodeAt(0) < c.charCodeAt(0)) throw new Unreadable();
      ranges.push(r(c, to));
    } else ranges.push(r(c));
  }
  const inList = inRanges(ranges);
  const has = (ch: string) => inList(ch) || tests.some((t) => t(ch));
  return setOf(negated ? (ch) => !has(ch) : has, p.slice(start, s.i));
}

/**
 * The shapes a pattern can match: every alternative, every optional part present and absent, a
 * repeated set as one atom, other repetitions a few times. At most `MAX_SHAPES` of them.
 */
export function shapes(regex: ParsedRegex): Atom[][] {
  return expand(regex.root, regex.ignoreCase);
}

function expand(node: RegexNode, icase: boolean): Atom[][] {
  switch (node.kind) {
    case 'char':
      return [[{ kind: 'char', c: icase ? node.c.toLowerCase() : node.c }]];
    case 'set':
      return [[setAtom(node.set, false, icase)]];
    case 'start':
    case 'end':
      return [[{ kind: node.kind }]];
    case 'empty':
      return [[]];
    case 'seq':
      return node.items.reduce<Atom[][]>((acc, item) => product(acc, expand(item, icase)), [[]]);
    case 'alt':
      return node.options.flatMap((o) => expand(o, icase)).slice(0, MAX_SHAPES);
    case 'repeat': {
      if (node.item.kind === 'set') {
        const once = setAtom(node.item.set, node.max > 1, icase);
        return node.min === 0 ? [[], [once]] : [[once]];
      }
      const inner = expand(node.item, icase);
      const counts = [...new Set([Math.min(node.min, 4), Math.min(node.min, 4) + 1])].filter((n) => n <= node.max);
      const out: Atom[][] = [];
      for (const n of counts) {
        let acc: Atom[][] = [[]];
        for (let k = 0; k < n; k++) acc = product(acc, inner);
        append(out, acc);
      }
      return out.slice(0, MAX_SHAPES);
    }
  }
}

function product(a: Atom[][], b: Atom[][]): Atom[][] {
  const out: Atom[][] = [];
  for (const x of a) {
    for (const y of b) {
      out.push([...x, ...y]);
      if (out.length >= MAX_SHAPES) return out;
    }
  }
  return out;
}

/** A set that stands for one character (`[.]`, `[Hh]` without case) is that character. */
function setAtom(set: CharSet, many: boolean, icase: boolean): Atom {
  const has = icase ? (ch: string) => set.has(ch.toLowerCase()) || set.has(ch.toUpperCase()) : set.has;
  if (!many) {
    const single = singleMember(has);
    if (single !== undefined) return { kind: 'char', c: icase ? single.toLowerCase() : single };
  }
  return { kind: 'set', set: { has, source: set.source }, many };
}

/** The one printable ASCII character a set accepts, when it accepts exactly one (letters in both cases counting once). */
function singleMember(has: (ch: string) => boolean): string | undefined {
  let found: string | undefined;
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    if (!has(ch)) continue;
    if (found === undefined) found = ch;
    else if (found.toLowerCase() === ch.toLowerCase()) found = ch.toLowerCase();
    else return undefined;
  }
  // Beyond ASCII: a negated set accepts those too.
  return found !== undefined && !has('é') ? found : undefined;
}
