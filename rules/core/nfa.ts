/**
 * A linear-time matcher for the PCRE patterns nginx configs hold (`location ~`, `if (… ~ …)`,
 * `map` keys): the pattern (read by nginx/regex.ts in strict mode) becomes a Thompson NFA, and a
 * subject is run through it with a set of states per character (a Pike VM without captures). No
 * backtracking: a test costs at most O(subject length × program size), whatever the pattern.
 *
 * It answers yes/no ("does the pattern match somewhere in the subject"), as nginx's location and
 * `if` tests use it. A pattern it cannot represent exactly (back references, lookaround, \b,
 * atomic or possessive forms, scoped flags) or whose program would be too large is unknown:
 * `compileRegex` gives undefined and the caller must not guess (nor fall back to RegExp).
 */
import { parseRegex, type RegexNode } from './regex';

/** Instructions, in parallel arrays: what a state does and where it goes next. */
const enum Op {
  Char,
  Set,
  Split,
  Jump,
  Start,
  End,
  Match,
}

interface Inst {
  op: Op;
  c?: string;
  has?: (ch: string) => boolean;
  x: number;
  y: number;
}

/** Program size beyond which a pattern is unknown (counted repetitions expand into copies). */
export const MAX_PROGRAM = 20_000;

class TooLarge extends Error {}

export interface CompiledRegex {
  /** Whether the pattern matches somewhere in `subject` (PCRE semantics, no multiline flag). */
  test(subject: string): boolean;
  /** Instructions in the program, for tests. */
  readonly size: number;
}

/** The pattern as a matcher; undefined when it is not one this matcher represents exactly. */
export function compileRegex(pattern: string, ignoreCase = false): CompiledRegex | undefined {
  const parsed = parseRegex(pattern, ignoreCase, true);
  return parsed && compileTree(parsed.root, { ignoreCase: parsed.ignoreCase });
}

export interface TreeOptions {
  ignoreCase?: boolean;
  /** `$` only at the very end (JavaScript's and the globs' meaning), not also before a final line feed. */
  dollarEndOnly?: boolean;
}

/** A tree (from nginx/regex.ts, or built by glob.ts) as a matcher; undefined when the program would be too large. */
export function compileTree(root: RegexNode, options: TreeOptions = {}): CompiledRegex | undefined {
  const prog: Inst[] = [];
  try {
    emit(root, prog, options.ignoreCase ?? false);
    push(prog, { op: Op.Match, x: -1, y: -1 });
  } catch (e) {
    if (e instanceof TooLarge) return undefined;
    throw e;
  }
  const endOnly = options.dollarEndOnly ?? false;
  return { test: (subject) => run(prog, subject, endOnly), size: prog.length };
}

function push(prog: Inst[], inst: Inst): number {
  if (prog.length >= MAX_PROGRAM) throw new TooLarge();
  prog.push(inst);
  return prog.length - 1;
}

/** Appends the code of `node`; on exit, control falls through to the next instruction. */
function emit(node: RegexNode, prog: Inst[], icase: boolean): void {
  switch (node.kind) {
    case 'char': {
      const c = node.c;
      if (icase && c.toLowerCase() !== c.toUpperCase()) {
        const lower = c.toLowerCase();
        const upper = c.toUpperCase();
        push(prog, { op: Op.Set, has: (ch) => ch === lower || ch === upper, x: prog.length + 1, y: -1 });
      } else push(prog, { op: Op.Char, c, x: prog.length + 1, y: -1 });
      return;
    }
    case 'set': {
      const { has, complementOf: not } = node.set;
      const folded = (f: (ch: string) => boolean) => (ch: string) => f(ch) || f(ch.toLowerCase()) || f(ch.toUpperCase());
      const test = !icase ? has : not ? ((inner) => (ch: string) => !inner(ch))(folded(not)) : folded(has);
      push(prog, { op: Op.Set, has: test, x: prog.length + 1, y: -1 });
      return;
    }
    case 'start':
      push(prog, { op: Op.Start, x: prog.length + 1, y: -1 });
      return;
    case 'end':
      push(prog, { op: Op.End, x: prog.length + 1, y: -1 });
      return;
    case 'empty':
      return;
    case 'seq':
      for (const item of node.items) emit(item, prog, icase);
      return;
    case 'alt': {
      // split L1, next; L1: a; jump end; next: split L2, … ; last option
      const jumps: number[] = [];
      node.options.forEach((option, k) => {
        if (k < node.options.length - 1) {
          const split = push(prog, { op: Op.Split, x: prog.length + 1, y: -1 });
          emit(option, prog, icase);
          jumps.push(push(prog, { op: Op.Jump, x: -1, y: -1 }));
          prog[split].y = prog.length;
        } else emit(option, prog, icase);
      });
      for (const j of jumps) prog[j].x = prog.length;
      return;
    }
    case 'repeat': {
      for (let k = 0; k < node.min; k++) emit(node.item, prog, icase);
      if (node.max === Infinity) {
        // L: split body, end; body; jump L
        const split = push(prog, { op: Op.Split, x: prog.length + 1, y: -1 });
        emit(node.item, prog, icase);
        push(prog, { op: Op.Jump, x: split, y: -1 });
        prog[split].y = prog.length;
        return;
      }
      // (x(x(x)?)?)? for the optional copies: every split skips to the common end.
      const splits: number[] = [];
      for (let k = node.min; k < node.max; k++) {
        splits.push(push(prog, { op: Op.Split, x: prog.length + 1, y: -1 }));
        emit(node.item, prog, icase);
      }
      for (const s of splits) prog[s].y = prog.length;
      return;
    }
  }
}

/**
 * The Pike VM: the states alive before each character, each added once per position (a generation
 * mark), assertions checked as states are added. A new thread starts at every position, which
 * makes the search unanchored without a `.*` prefix.
 */
function run(prog: Inst[], subject: string, endOnly: boolean): boolean {
  const n = subject.length;
  const mark = new Int32Array(prog.length).fill(-1);
  let current: number[] = [];
  let next: number[] = [];
  const stack: number[] = [];
  // PCRE's `$` (no multiline, no DOLLAR_ENDONLY): the end, or before a final line feed.
  const atEnd = (i: number) => i === n || (!endOnly && i === n - 1 && subject[i] === '\n');

  /** Adds `pc` and what it reaches without consuming; true when that reaches Match. */
  const add = (list: number[], pc: number, i: number, gen: number): boolean => {
    stack.push(pc);
    while (stack.length) {
      const p = stack.pop()!;
      if (mark[p] === gen) continue;
      mark[p] = gen;
      const inst = prog[p];
      switch (inst.op) {
        case Op.Match:
          stack.length = 0;
          return true;
        case Op.Jump:
          stack.push(inst.x);
          break;
        case Op.Split:
          // Order does not matter for a yes/no answer.
          stack.push(inst.y, inst.x);
          break;
        case Op.Start:
          if (i === 0) stack.push(inst.x);
          break;
        case Op.End:
          if (atEnd(i)) stack.push(inst.x);
          break;
        default:
          list.push(p);
      }
    }
    return false;
  };

  // A pattern that starts with `^` only ever starts at 0: once its states die, nothing can match.
  const anchored = prog[0].op === Op.Start;
  for (let i = 0; i <= n; i++) {
    // Generation i: states alive at position i (those carried over were added with the same mark).
    if ((i === 0 || !anchored) && add(current, 0, i, i)) return true;
    if (i === n || current.length === 0) {
      if (i === n || anchored) return false;
      // No live state: only a new start can match; the next loop adds it.
      continue;
    }
    const ch = subject[i];
    next.length = 0;
    for (const p of current) {
      const inst = prog[p];
      const ok = inst.op === Op.Char ? inst.c === ch : inst.has!(ch);
      if (ok && add(next, inst.x, i + 1, i + 1)) return true;
    }
    [current, next] = [next, current];
    next.length = 0;
  }
  return false;
}
