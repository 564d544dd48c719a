import { resolveProxies, type ProxyTarget } from './analysis';
import { Ctx, RAW, childContext, isThirdParty, specIn, specsOf, type DirectiveSpec } from './directives';
import { MAX_NESTING, tooDeep } from '../core/limits';

/**
 * The nginx model: one pass of a lexer that follows nginx's own rules (ngx_conf_read_token:
 * `#` starts a comment only where a word could start, quotes only at a word's start, `\` escapes,
 * `${var}`, a closing quote must be followed by a space, `;`, `{` or `)`), then a tree of
 * directives with exact offsets, then the contexts and the directive table checks.
 */

export interface Word {
  /** The value nginx sees: quotes removed, escapes resolved. */
  value: string;
  start: number;
  end: number;
  /** The quote character that enclosed the word, if any. */
  quote?: '"' | "'";
}

export type Terminator = ';' | '{' | 'none';

export type Problem =
  | { kind: 'unknown' }
  | { kind: 'context'; allowed: number }
  | { kind: 'no-block' }
  | { kind: 'not-terminated' }
  | { kind: 'args'; spec: DirectiveSpec };

export interface Directive {
  name: string;
  nameWord: Word;
  args: Word[];
  /** Offset of the name. */
  start: number;
  /** Offset just after the `;`, the block's `}` or, when unterminated, the last word. */
  end: number;
  terminator: Terminator;
  /** Where nginx reads the directive's end (its errors are reported on that line). */
  handledAt: number;
  block?: Block;
  parent?: Directive;
  /** The context the directive is in (a Ctx bit, RAW inside data bodies). */
  ctx: number;
  /** The context its block opens. */
  childCtx: number;
  /** The table entry that applies here. */
  spec?: DirectiveSpec;
  problem?: Problem;
}

export interface Block {
  /** Offset of `{`. */
  open: number;
  /** Offset of `}`, or the end of the text when the block is never closed. */
  close: number;
  closed: boolean;
  children: Directive[];
  /** Lua and similar bodies kept as text. */
  opaque?: boolean;
}

export interface SyntaxProblem {
  message: string;
  /** Where the user must edit. */
  start: number;
  end: number;
  /** Where nginx reports it. */
  nginxAt: number;
}

export interface NginxModel {
  text: string;
  file: string;
  root: Directive[];
  /** The context the file's top level is checked in: main for a whole config, else http/server/location… */
  rootCtx: number;
  syntaxErrors: SyntaxProblem[];
  /** Every directive in document order. */
  all: Directive[];
  /** Every `proxy_pass` with where it goes (upstream blocks resolved). */
  proxies: ProxyTarget[];
  /** The directives by name, in document order: rules look up the few names they check. */
  byName: Map<string, Directive[]>;
}

const NONE: readonly Directive[] = [];

/** Every directive named `name` (or any of `names`), in document order. */
export function named(model: NginxModel, ...names: string[]): readonly Directive[] {
  if (names.length === 1) return model.byName.get(names[0]) ?? NONE;
  return model.all.length < 64 ? model.all.filter((d) => names.includes(d.name)) : names.flatMap((n) => model.byName.get(n) ?? []).sort((a, b) => a.start - b.start);
}

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const QUOTE = 34;
const APOS = 39;
const BACKSLASH = 92;
const SEMI = 59;
const LBRACE = 123;
const RBRACE = 125;
const HASH = 35;
const DOLLAR = 36;
const RPAREN = 41;

const isSpace = (c: number) => c === SPACE || c === TAB || c === CR || c === LF;

interface Frame {
  directive?: Directive;
  children: Directive[];
}

export function parseNginx(text: string, file = ''): NginxModel {
  const errors: SyntaxProblem[] = [];
  const root: Directive[] = [];
  const all: Directive[] = [];
  const stack: Frame[] = [{ children: root }];
  let words: Word[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const error = (message: string, start: number, end: number, nginxAt = start) => errors.push({ message, start, end, nginxAt });

  const finish = (terminator: Terminator, at: number, end: number): Directive => {
    const frame = stack[stack.length - 1];
    const [nameWord, ...args] = words;
    const d: Directive = {
      name: nameWord.value,
      nameWord,
      args,
      start: nameWord.start,
      end,
      terminator,
      handledAt: at,
      parent: frame.directive,
      ctx: RAW,
      childCtx: RAW,
    };
    frame.children.push(d);
    all.push(d);
    words = [];
    return d;
  };

  // Inside a block opened MAX_NESTING deep: its contents are read for their braces only (strings and
  // comments still lexed), so the tree, and every walk over it, stays bounded by the limit.
  let skipping = 0;
  let cut: Directive | undefined;

  while (true) {
    // Between words: skip blanks, then see what starts here.
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const c = text.charCodeAt(i);
    if (c === HASH) {
      while (i < n && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
      continue;
    }
    if (skipping > 0 && (c === SEMI || c === LBRACE || c === RBRACE)) {
      words = [];
      if (c === LBRACE) skipping++;
      else if (c === RBRACE && --skipping === 0 && cut?.block) {
        cut.block.close = i;
        cut.block.closed = true;
        cut.end = i + 1;
        cut = undefined;
      }
      i++;
      continue;
    }
    if (c === SEMI) {
      if (words.length === 0) error('Unexpected ";": there is no directive to end here', i, i + 1);
      else finish(';', i, i + 1);
      i++;
      continue;
    }
    if (c === LBRACE) {
      if (words.length === 0) {
        error('Unexpected "{": a block needs a directive name before it', i, i + 1);
        if (stack.length > MAX_NESTING) {
          error(tooDeep('Blocks'), i, i + 1);
          skipping = 1;
          i++;
          continue;
        }
        stack.push({ children: [] });
        i++;
        continue;
      }
      const d = finish('{', i, i + 1);
      d.block = { open: i, close: n, closed: false, children: [] };
      i++;
      if (/_by_lua_block$|^lua_block$/.test(d.name)) {
        i = skipLua(text, i, d.block);
        d.end = d.block.closed ? i : n;
        continue;
      }
      if (stack.length > MAX_NESTING) {
        error(tooDeep('Blocks'), d.nameWord.start, d.nameWord.end);
        skipping = 1;
        cut = d;
        continue;
      }
      stack.push({ directive: d, children: d.block.children });
      continue;
    }
    if (c === RBRACE) {
      if (words.length > 0) {
        const last = words[words.length - 1];
        error(`Missing ";" after "${words[0].value}"`, last.end, last.end, i);
        finish('none', i, last.end);
      }
      if (stack.length === 1) error('Unexpected "}": no block is open here', i, i + 1);
      else {
        const frame = stack.pop()!;
        if (frame.directive?.block) {
          frame.directive.block.close = i;
          frame.directive.block.closed = true;
          frame.directive.end = i + 1;
        }
      }
      i++;
      continue;
    }
    // A word.
    i = readWord(text, i, words, error);
  }

  if (skipping > 0) words = [];
  // A string left open swallows the rest of the file: what is missing after it is the same mistake.
  const openString = errors.some((e) => e.message.startsWith('Unterminated string'));
  if (words.length > 0 && openString) finish('none', n, n);
  else if (words.length > 0) {
    const last = words[words.length - 1];
    error(`Unexpected end of file: missing ";" after "${words[0].value}"`, last.end, last.end, n);
    finish('none', n, last.end);
  }
  if (stack.length > 1 && !openString) {
    const innermost = stack[stack.length - 1].directive;
    const at = innermost ? innermost.nameWord : undefined;
    error(
      innermost ? `Unexpected end of file: the "${innermost.name}" block opened here is never closed with "}"` : 'Unexpected end of file: a block is never closed with "}"',
      at ? at.start : n,
      at ? at.end : n,
      n,
    );
  }

  const byName = new Map<string, Directive[]>();
  for (const d of all) {
    const list = byName.get(d.name);
    if (list) list.push(d);
    else byName.set(d.name, [d]);
  }
  const model: NginxModel = { text, file, root, rootCtx: Ctx.main, syntaxErrors: errors, all, proxies: [], byName };
  model.rootCtx = inferRootContext(root);
  assignContexts(root, model.rootCtx);
  if (model.rootCtx === Ctx.main && root.some((d) => d.name === 'http') && !root.some((d) => d.name === 'events')) {
    error('No "events" section: nginx refuses a configuration without one', 0, 0, n);
  }
  errors.sort((a, b) => a.nginxAt - b.nginxAt);
  model.proxies = resolveProxies(model);
  return model;
}

/** Reads one word from `start`, pushes it to `words`, returns the offset after it. */
function readWord(text: string, start: number, words: Word[], error: (m: string, s: number, e: number, at?: number) => void): number {
  const n = text.length;
  let i = start;
  const c = text.charCodeAt(i);
  if (c === QUOTE || c === APOS) {
    i++;
    let escaped = false;
    while (i < n) {
      const ch = text.charCodeAt(i);
      if (escaped) escaped = false;
      else if (ch === BACKSLASH) escaped = true;
      else if (ch === c) break;
      i++;
    }
    if (i >= n) {
      error(`Unterminated string: the ${c === QUOTE ? 'double' : 'single'} quote is never closed`, start, start + 1, n);
      words.push({ value: unescape(text.slice(start + 1, n)), start, end: n, quote: c === QUOTE ? '"' : "'" });
      return n;
    }
    words.push({ value: unescape(text.slice(start + 1, i)), start, end: i + 1, quote: c === QUOTE ? '"' : "'" });
    i++;
    const next = text.charCodeAt(i);
    // nginx wants a space, ";", "{" or ")" right after a closing quote.
    if (i < n && !isSpace(next) && next !== SEMI && next !== LBRACE && next !== RPAREN) {
      error(`Unexpected "${String.fromCodePoint(text.codePointAt(i)!)}" right after a quoted string: add a space or end the directive`, i, i + 1);
    }
    return i;
  }
  let variable = false;
  let escaped = false;
  let hasEscape = false;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (escaped) {
      escaped = false;
      i++;
      continue;
    }
    if (ch === LBRACE && variable) {
      i++;
      continue;
    }
    variable = false;
    if (ch === BACKSLASH) {
      escaped = true;
      hasEscape = true;
    } else if (ch === DOLLAR) variable = true;
    else if (isSpace(ch) || ch === SEMI || ch === LBRACE) break;
    i++;
  }
  const raw = text.slice(start, i);
  words.push({ value: hasEscape ? unescape(raw) : raw, start, end: i });
  return i;
}

function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(["'\\tnr])/g, (_, ch: string) => (ch === 't' ? '\t' : ch === 'n' ? '\n' : ch === 'r' ? '\r' : ch));
}

/** Skips a Lua body up to its closing brace (strings, long brackets and comments understood). */
function skipLua(text: string, start: number, block: Block): number {
  const n = text.length;
  let depth = 1;
  let i = start;
  while (i < n) {
    const ch = text[i];
    if (ch === '-' && text[i + 1] === '-') {
      const long = /^--\[(=*)\[/.exec(text.slice(i, i + 20));
      if (long) {
        const close = text.indexOf(`]${long[1]}]`, i);
        i = close < 0 ? n : close + long[1].length + 2;
      } else while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      i++;
      while (i < n && text[i] !== ch && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (ch === '[') {
      const long = /^\[(=*)\[/.exec(text.slice(i, i + 20));
      if (long) {
        const close = text.indexOf(`]${long[1]}]`, i);
        i = close < 0 ? n : close + long[1].length + 2;
        continue;
      }
    }
    if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) {
      block.close = i;
      block.closed = true;
      block.opaque = true;
      return i + 1;
    }
    i++;
  }
  block.opaque = true;
  return n;
}

const ROOT_CANDIDATES = [Ctx.main, Ctx.http, Ctx.server, Ctx.location, Ctx.stream, Ctx['s.server'], Ctx.mail];

/**
 * The context a file's top level belongs in: a whole config is main; a fragment (a file of
 * `server` blocks, of `location` blocks, of proxy settings) is checked where it would be included.
 */
function inferRootContext(root: readonly Directive[]): number {
  let best: number = Ctx.main;
  let bestMisses = Infinity;
  for (const ctx of ROOT_CANDIDATES) {
    let misses = 0;
    for (const d of root) {
      const specs = specsOf(d.name);
      if (specs && !specIn(specs, ctx)) misses++;
    }
    if (misses < bestMisses) {
      best = ctx;
      bestMisses = misses;
    }
  }
  return best;
}

function assignContexts(root: readonly Directive[], rootCtx: number): void {
  // Iterative: a file of thousands of nested blocks must not exhaust the stack.
  const work: [readonly Directive[], number][] = [[root, rootCtx]];
  while (work.length) {
    const [list, ctx] = work.pop()!;
    for (const d of list) {
      d.ctx = ctx;
      if (ctx !== RAW) check(d, ctx);
      if (d.block && !d.block.opaque) {
        d.childCtx = ctx === RAW ? RAW : d.spec?.block ? childContext(d.name, ctx) : RAW;
        work.push([d.block.children, d.childCtx]);
      }
    }
  }
}

/** nginx's own order of checks (ngx_conf_handler): known, allowed here, terminated right, argument count. */
function check(d: Directive, ctx: number): void {
  const specs = specsOf(d.name);
  if (!specs) {
    if (!isThirdParty(d.name)) d.problem = { kind: 'unknown' };
    return;
  }
  const spec = specIn(specs, ctx);
  if (!spec) {
    d.problem = { kind: 'context', allowed: specs.reduce((m, s) => m | s.contexts, 0) };
    return;
  }
  d.spec = spec;
  if (!spec.block && d.terminator === '{') d.problem = { kind: 'not-terminated' };
  else if (spec.block && d.terminator !== '{') d.problem = { kind: 'no-block' };
  else if (d.args.length < spec.min || d.args.length > spec.max) d.problem = { kind: 'args', spec };
}

/**
 * A level's directives by name, built once per level (kept while its length is unchanged): rules
 * ask each of 20k sibling servers about their shared level, and a scan per question is quadratic.
 * Small levels are scanned directly.
 */
const levelIndexes = new WeakMap<readonly Directive[], { length: number; byName: Map<string, Directive[]> }>();

export function namedIn(list: readonly Directive[] | undefined, name: string): readonly Directive[] {
  if (!list) return NONE;
  if (list.length < 32) return list.filter((d) => d.name === name);
  let index = levelIndexes.get(list);
  if (!index || index.length !== list.length) {
    const byName = new Map<string, Directive[]>();
    for (const d of list) {
      const same = byName.get(d.name);
      if (same) same.push(d);
      else byName.set(d.name, [d]);
    }
    index = { length: list.length, byName };
    levelIndexes.set(list, index);
  }
  return index.byName.get(name) ?? NONE;
}

/** The directives of a block (or the file's top level) named `name`. */
export function childrenNamed(list: readonly Directive[] | undefined, name: string): Directive[] {
  return [...namedIn(list, name)];
}

export function childNamed(list: readonly Directive[] | undefined, name: string): Directive | undefined {
  return namedIn(list, name)[0];
}
