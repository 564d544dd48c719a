/**
 * A reader for the PCRE patterns configs hold (nginx `location ~`, `if ($x ~ …)`, `map` keys): the
 * pattern as a tree of literals, sets, anchors, sequences, alternatives and repetitions. Patterns it
 * cannot read give undefined. The linear matcher (`nfa.ts`) and the globs (`glob.ts`) build on the
 * tree; nginx's rules read its shapes (`rules/nginx/regex.ts`).
 */

/** A set of characters (a class, `.`, `\d`…), known by a membership test. */
export interface CharSet {
  has(ch: string): boolean;
  /** The set as written. */
  source: string;
  /** For a negated class `[^…]`: the members of `[…]` (case folding applies before negating). */
  complementOf?: (ch: string) => boolean;
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

export interface ParsedRegex {
  root: RegexNode;
  /** `(?i)` in the pattern, or the operator's `*`. */
  ignoreCase: boolean;
}

const MAX_LENGTH = 1000;

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
export function parseRegex(pattern: string, ignoreCase = false, strict = false): ParsedRegex | undefined {
  if (pattern.length > MAX_LENGTH) return undefined;
  const state = { i: 0, ignoreCase, strict };
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
  /**
   * For a matcher (nfa.ts): every construct the tree cannot represent exactly (lookaround, \b,
   * back references, atomic and possessive forms, scoped flags) makes the pattern unreadable
   * instead of being approximated.
   */
  strict: boolean;
}

/** In strict mode, a construct the tree would only approximate. */
function inexact(s: State): void {
  if (s.strict) throw new Unreadable();
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
      if (max < min) inexact(s);
      s.i += m[0].length - 1;
    } else break;
    s.i++;
    // Lazy forms accept the same strings; possessive ones (`a*+`) may refuse some.
    if (p[s.i] === '+') inexact(s);
    if (p[s.i] === '?' || p[s.i] === '+') s.i++;
    if (node.kind === 'start' || node.kind === 'end' || node.kind === 'empty') {
      // `^?` makes the anchor optional: the tree keeps it required.
      if (min === 0 && node.kind !== 'empty') inexact(s);
      continue;
    }
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
      // The tree has one case flag for the whole pattern: exact only for a leading `(?i)`.
      if (flags[2] !== undefined || flags[3] === ':' ? flags[1] || flags[2] : !/^i*$/.test(flags[1]) || !/^[^a-zA-Z(\\]*$/.test(p.slice(0, s.i - 1))) inexact(s);
      if (flags[1].includes('i')) s.ignoreCase = true;
      s.i += 1 + flags[0].length;
      if (flags[3] === ')') return { kind: 'empty' };
    } else {
      const named = /^(P?<(?![=!])[A-Za-z_]\w*>|'[A-Za-z_]\w*'|[:>|])/.exec(rest);
      const look = /^(=|!|<=|<!)/.exec(rest);
      if (named) {
        // Atomic groups may refuse what backtracking would accept.
        if (named[0] === '>') inexact(s);
        s.i += 1 + named[0].length;
      } else if (look) {
        inexact(s);
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
  if (c === 'A') return { kind: 'start' };
  if (c === 'z') return { kind: 'end' };
  if (c === 'G' || c === 'Z') {
    inexact(s);
    return c === 'G' ? { kind: 'start' } : { kind: 'end' };
  }
  if (c === 'b' || c === 'B') {
    inexact(s);
    return { kind: 'empty' };
  }
  if (/[1-9]/.test(c) || c === 'k' || c === 'g' || c === 'p' || c === 'P' || c === 'X' || c === 'R') {
    inexact(s);
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
  // Other letters are PCRE classes or commands (\v, \K, \N, \C…), not the letter itself.
  if (/[a-zA-Z]/.test(c) && c !== 'x' && !CONTROL[c]) inexact(s);
  if (c === 'v' || (c === '0' && /[0-7]/.test(p[s.i] ?? ''))) inexact(s);
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
      if (!POSIX[posix[2]]) inexact(s);
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
      if ((/[a-zA-Z]/.test(e) && !CONTROL[e]) || e === 'v' || e === '0') inexact(s);
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
  if (!negated) return setOf(has, p.slice(start, s.i));
  return { kind: 'set', set: { has: (ch) => !has(ch), source: p.slice(start, s.i), complementOf: has } };
}
