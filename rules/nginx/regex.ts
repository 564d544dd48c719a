import { append } from '../core/arrays';
/**
 * What an nginx pattern can match, for the rules: the finite set of shapes (sequences of literal
 * characters, character sets and anchors) taken from the pattern's tree (`rules/core/regex.ts`) by
 * taking each alternative and each repetition zero, one or a few times; and the names of its captures.
 */
import type { CharSet, ParsedRegex, RegexNode } from '../core/regex';

export { parseRegex, type CharSet, type ParsedRegex, type RegexNode } from '../core/regex';

/** One element of a shape: a literal, a set matched once (`many`: one or more times), an anchor. */
export type Atom = { kind: 'char'; c: string } | { kind: 'set'; set: CharSet; many: boolean } | { kind: 'start' } | { kind: 'end' };

const MAX_SHAPES = 256;

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

/**
 * The names of a pattern's named captures (`(?<n>…)`, `(?P<n>…)`, `(?'n'…)`), by one pass over it
 * (escapes and classes skipped), never by a RegExp built from the pattern.
 */
export function namedGroups(pattern: string): Set<string> {
  const names = new Set<string>();
  const word = (c: string | undefined) => c !== undefined && /\w/.test(c);
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[') {
      // A `]` first (or after `^`) is a member; escapes inside are skipped.
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j;
    } else if (c === '(' && pattern[i + 1] === '?') {
      let j = i + 2;
      if (pattern[j] === 'P') j++;
      const close = pattern[j] === '<' ? '>' : pattern[j] === "'" ? "'" : undefined;
      if (!close || pattern[j + 1] === '=' || pattern[j + 1] === '!') continue;
      let k = j + 1;
      while (word(pattern[k])) k++;
      if (k > j + 1 && pattern[k] === close) names.add(pattern.slice(j + 1, k));
    }
  }
  return names;
}
