import { splitPath } from '../core/detect';
import { SETTINGS, TYPE_SECTIONS } from './settings-table';

/**
 * A systemd unit file or drop-in, parsed the way systemd's conf-parser reads it (systemd.syntax(7)):
 * lines end at LF, CRLF or CR; a line whose first non-blank character is `#` or `;` is a comment,
 * even inside a continuation; a trailing unescaped backslash joins the next line (the backslash
 * becoming a space); `[Name]` opens a section; `Key=Value` with both sides stripped of blanks.
 * Every key, value and word keeps its offsets in the text.
 */

export interface Word {
  /** The word with quotes removed and C escapes resolved, as systemd's extract_first_word gives it. */
  value: string;
  /** Offsets of the word's raw text. */
  start: number;
  end: number;
  /**
   * Where the characters of `value` came from, as flat triples (value index, text offset, literal):
   * each starts a run of characters written one after the other (literal 1), or one character
   * written as an escape (literal 0). See wordOffset() and literalSpan().
   */
  runs: number[];
  quoted: boolean;
  /** Why systemd would reject the word (unterminated quote, bad escape). */
  error?: string;
}

export interface Section {
  name: string;
  /** The header `[Name]`, brackets included. */
  start: number;
  end: number;
  line: number;
  /** The unit type takes this section (false for unknown ones, which systemd ignores with everything in them). */
  accepted: boolean;
  /** `[X-…]`: an extension section, ignored silently. */
  extension: boolean;
  assignments: Assignment[];
}

export interface Assignment {
  key: string;
  keyStart: number;
  keyEnd: number;
  /** The value as systemd sees it: continuation lines joined, blanks stripped. */
  value: string;
  valueStart: number;
  valueEnd: number;
  /** First and last non-blank character of the whole assignment. */
  start: number;
  end: number;
  /** Start of its first line and end (before the line break) of its last line; `next` is after that break. */
  lineStart: number;
  lineEnd: number;
  next: number;
  /** 0-based first line; `reportLine` is the 0-based line systemd names in its messages (the last one). */
  line: number;
  reportLine: number;
  /** False for a line with no `=` (only kept outside of sections, where systemd ignores any line). */
  equals: boolean;
  /** Undefined outside of any section. */
  section: Section | undefined;
  words: Word[];
}

export type IssueKind = 'invalid-section-header' | 'missing-equals' | 'missing-key';

export interface SyntaxIssue {
  kind: IssueKind;
  message: string;
  start: number;
  end: number;
  reportLine: number;
  /** systemd stops reading the file here: the unit fails to load. */
  fatal: boolean;
}

export interface SystemdModel {
  file: string;
  /** `ollama.service` for a unit or for a drop-in under `ollama.service.d/`. */
  unitName: string | undefined;
  /** `service`, `socket`, …; undefined when the path does not say (e.g. an `override.conf` on its own). */
  unitType: string | undefined;
  dropIn: boolean;
  sections: Section[];
  /** Every assignment in file order, including those outside of a section or in ignored sections. */
  assignments: Assignment[];
  issues: SyntaxIssue[];
  eol: string;
}

const UNIT_NAME = /^(.+)\.(service|socket|target|device|mount|automount|swap|timer|path|slice|scope)$/;
const TEMPLATE_SUFFIX = /\.(in|template|tmpl|j2|example|sample)$/;

function whatFile(file: string): Pick<SystemdModel, 'unitName' | 'unitType' | 'dropIn'> {
  const parts = splitPath(file);
  const base = parts[parts.length - 1] ?? '';
  const parent = parts[parts.length - 2] ?? '';
  const unit = UNIT_NAME.exec(base.replace(TEMPLATE_SUFFIX, ''));
  if (unit) return { unitName: unit[0], unitType: unit[2], dropIn: false };
  const dir = parent.endsWith('.d') ? UNIT_NAME.exec(parent.slice(0, -2)) : null;
  if (dir) return { unitName: dir[0], unitType: dir[2], dropIn: true };
  // `override.conf` or any other `.conf`: a drop-in for a unit we cannot name.
  return { unitName: undefined, unitType: undefined, dropIn: /\.conf$/i.test(base) };
}

/** The sections a unit of this type takes; every known section when the type is unknown. */
export function sectionsFor(unitType: string | undefined): readonly string[] {
  return (unitType && TYPE_SECTIONS.get(unitType)) || [...SETTINGS.keys()];
}

const BLANK = ' \t\n\r';
const isBlank = (c: string) => BLANK.includes(c);

/** Pieces of a logical line: `length` characters at logical index `at` come from text offset `from`. */
interface Segment {
  at: number;
  from: number;
  length: number;
}

class Logical {
  // Pieces are joined once, when the line is complete: growing one string per continuation line
  // (and cutting its backslash) copied the whole line each time, quadratic in the line count.
  private pieces: string[] = [];
  private length = 0;
  private joined: string | undefined;
  segments: Segment[] = [];
  firstLine = 0;
  lineStart = 0;
  /** End (before the line break) of the last physical line added, and the offset after its break. */
  lineEnd = 0;
  next = 0;

  get text(): string {
    this.joined ??= this.pieces.join('');
    return this.joined;
  }

  add(from: number, piece: string, lineEnd: number, next: number): void {
    this.lineEnd = lineEnd;
    this.next = next;
    this.segments.push({ at: this.length, from, length: piece.length });
    this.pieces.push(piece);
    this.length += piece.length;
    this.joined = undefined;
  }

  /** The continuation backslash ending the last piece reads as a blank. */
  continued(): void {
    const last = this.pieces.length - 1;
    this.pieces[last] = this.pieces[last].slice(0, -1) + ' ';
    this.joined = undefined;
  }

  /** Text offset of logical index `i` (`i === length` maps to just after the last character). */
  offset(i: number): number {
    const segs = this.segments;
    if (!segs.length) return 0;
    // The last segment starting at or before `i` (binary search: a line may have 100k pieces).
    let lo = 0;
    let hi = segs.length - 1;
    if (i < segs[0].at) return segs[0].from;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid].at <= i) lo = mid;
      else hi = mid - 1;
    }
    // Empty pieces share their `at` with the next one: the original scan took the last of them.
    const k = lo;
    const s = segs[k];
    return i - s.at < s.length || k === segs.length - 1 ? s.from + (i - s.at) : s.from + s.length;
  }

  /** Text offset just after the character at logical index `i - 1`. */
  endOffset(i: number): number {
    return i <= 0 ? this.offset(0) : this.offset(i - 1) + 1;
  }
}

export function parseSystemd(text: string, file: string): SystemdModel {
  const model: SystemdModel = { file, ...whatFile(file), sections: [], assignments: [], issues: [], eol: /\r\n/.test(text) ? '\r\n' : '\n' };
  const accepted = new Set(sectionsFor(model.unitType));
  let section: Section | undefined;
  let ignored = false;
  let pending: Logical | undefined;
  let lineNo = 0;
  let pos = 0;

  const finish = (logical: Logical, lastLine: number) => {
    const r = parseLine(logical, lastLine);
    if (!r) return;
    if ('kind' in r) {
      model.issues.push(r);
      return;
    }
    if ('assignments' in r) {
      model.sections.push(r);
      section = r;
      ignored = !r.accepted;
      return;
    }
    r.section = section;
    section?.assignments.push(r);
    model.assignments.push(r);
  };

  const parseLine = (logical: Logical, lastLine: number): Section | SyntaxIssue | Assignment | undefined => {
    const s = logical.text;
    let a = 0;
    let b = s.length;
    while (a < b && isBlank(s[a])) a++;
    while (b > a && isBlank(s[b - 1])) b--;
    if (a === b) return undefined;
    const start = logical.offset(a);
    const end = logical.endOffset(b);
    if (s[a] === '[') {
      if (s[b - 1] !== ']' || b - a < 2) {
        return { kind: 'invalid-section-header', message: `Invalid section header '${s.slice(a, b)}': systemd refuses to load the unit`, start, end, reportLine: lastLine, fatal: true };
      }
      const name = s.slice(a + 1, b - 1);
      const extension = name.startsWith('X-');
      return { name, start, end, line: logical.firstLine, accepted: accepted.has(name), extension, assignments: [] };
    }
    const eq = s.indexOf('=', a);
    const isAssignment = eq >= 0 && eq < b;
    if (section && !ignored && !isAssignment) {
      return { kind: 'missing-equals', message: "Missing '=': systemd ignores this line", start, end, reportLine: lastLine, fatal: false };
    }
    if (section && !ignored && eq === a) {
      return { kind: 'missing-key', message: "Missing key name before '=': systemd ignores this line", start, end, reportLine: lastLine, fatal: false };
    }
    // Outside of a section systemd ignores any line, `=` or not: kept (with `equals`) for the rule that says so.
    let ke = isAssignment ? eq : b;
    while (ke > a && isBlank(s[ke - 1])) ke--;
    let vs = isAssignment ? eq + 1 : b;
    while (vs < b && isBlank(s[vs])) vs++;
    return {
      key: s.slice(a, ke),
      keyStart: start,
      keyEnd: logical.endOffset(ke),
      value: s.slice(vs, b),
      valueStart: vs < b ? logical.offset(vs) : isAssignment ? logical.endOffset(eq + 1) : end,
      valueEnd: vs < b ? end : isAssignment ? logical.endOffset(eq + 1) : end,
      start,
      end,
      lineStart: logical.lineStart,
      lineEnd: logical.lineEnd,
      next: logical.next,
      line: logical.firstLine,
      reportLine: lastLine,
      equals: isAssignment,
      section: undefined,
      words: isAssignment ? splitWords(s, vs, b, logical) : [],
    };
  };

  while (pos < text.length || (pos === text.length && pending)) {
    let eol = pos;
    while (eol < text.length && text[eol] !== '\n' && text[eol] !== '\r') eol++;
    const next = eol >= text.length ? eol : text[eol] === '\r' && text[eol + 1] === '\n' ? eol + 2 : eol + 1;
    if (pos === text.length) {
      // A continuation at the end of the file: systemd parses what it has, one line further on.
      finish(pending!, lineNo);
      pending = undefined;
      break;
    }
    let from = pos;
    if (pos === 0 && text.charCodeAt(0) === 0xfeff) from = 1;
    let i = from;
    while (i < eol && (text[i] === ' ' || text[i] === '\t')) i++;
    const comment = i < eol && (text[i] === '#' || text[i] === ';');
    if (!comment) {
      const logical = pending ?? new Logical();
      if (!pending) {
        logical.firstLine = lineNo;
        logical.lineStart = pos;
      }
      logical.add(from, text.slice(from, eol), eol, next);
      // A backslash that is not itself escaped continues the line.
      let escaped = false;
      for (let k = from; k < eol; k++) escaped = escaped ? false : text[k] === '\\';
      if (escaped) {
        logical.continued();
        pending = logical;
      } else {
        pending = undefined;
        finish(logical, lineNo);
      }
    }
    lineNo++;
    pos = next;
    if (eol >= text.length) {
      if (pending) {
        finish(pending, lineNo);
        pending = undefined;
      }
      break;
    }
  }
  return model;
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'", s: ' ' };

/**
 * Splits a value into words as systemd's extract_first_word does with quotes removed and C escapes
 * resolved (`Environment=`, `ExecStart=`): blanks separate words, `'…'` and `"…"` may appear
 * anywhere in a word, a backslash escapes inside and outside quotes.
 */
function splitWords(s: string, from: number, to: number, logical: Logical): Word[] {
  const words: Word[] = [];
  let i = from;
  while (i < to) {
    while (i < to && isBlank(s[i])) i++;
    if (i >= to) break;
    const start = i;
    let value = '';
    const runs: number[] = [];
    // Appends `chunk`, taken from logical index `at`, recording where its characters are in the text.
    const take = (chunk: string, at: number) => {
      if (!chunk) return;
      const t0 = logical.offset(at);
      if (chunk.length > 1 && logical.offset(at + chunk.length - 1) - t0 !== chunk.length - 1) {
        for (let k = 0; k < chunk.length; k++) take(chunk[k], at + k);
        return;
      }
      const n = runs.length;
      if (!(n && runs[n - 1] === 1 && runs[n - 2] + (value.length - runs[n - 3]) === t0)) runs.push(value.length, t0, 1);
      value += chunk;
    };
    let quote = '';
    let quoted = false;
    let error: string | undefined;
    while (i < to) {
      let j = i;
      if (quote) while (j < to && s[j] !== quote && s[j] !== '\\') j++;
      else while (j < to && s[j] !== '"' && s[j] !== "'" && s[j] !== '\\' && !isBlank(s[j])) j++;
      take(s.slice(i, j), i);
      i = j;
      if (i >= to) break;
      const c = s[i];
      if (c === '\\') {
        const esc = unescape(s, i + 1, to);
        if (esc) {
          const at = value.length;
          const t = logical.offset(i);
          value += esc.char;
          // An escape is one character of the value written as several: a run of its own.
          runs.push(at, t, 0);
          if (esc.char.length > 1) runs.push(at + 1, t, 0);
          i = esc.next;
          continue;
        }
        error ??= i + 1 >= to ? 'a backslash at the end' : `unknown escape \\${s[i + 1]}`;
        i = Math.min(i + 2, to);
        continue;
      }
      if (quote) {
        if (c === quote) quote = '';
        i++;
        continue;
      }
      if (c === '"' || c === "'") {
        quote = c;
        quoted = true;
        i++;
        continue;
      }
      break;
    }
    if (quote) error ??= `unterminated ${quote === '"' ? 'double' : 'single'} quote`;
    words.push({ value, start: logical.offset(start), end: logical.endOffset(i), runs, quoted, ...(error ? { error } : {}) });
  }
  return words;
}

/** The text offset the `i`-th character of a word's value came from. */
export function wordOffset(word: Word, i: number): number {
  const runs = word.runs;
  let k = 0;
  while (k + 3 < runs.length && runs[k + 3] <= i) k += 3;
  return runs.length ? runs[k + 1] + (runs[k + 2] ? i - runs[k] : 0) : word.start;
}

/**
 * The text span of characters [from, to) of a word's value when they are written literally, in one
 * run (no quote or escape in between); undefined otherwise. An empty range gives the offset of `from`.
 */
export function literalSpan(word: Word, from: number, to: number): [number, number] | undefined {
  const runs = word.runs;
  if (from === to) {
    const at = from < word.value.length ? wordOffset(word, from) : word.value.length ? wordOffset(word, from - 1) + 1 : undefined;
    return at === undefined ? undefined : [at, at];
  }
  let k = 0;
  while (k + 3 < runs.length && runs[k + 3] <= from) k += 3;
  const runEnd = k + 3 < runs.length ? runs[k + 3] : word.value.length;
  if (!runs.length || !runs[k + 2] || to > runEnd) return undefined;
  const start = runs[k + 1] + (from - runs[k]);
  return [start, start + (to - from)];
}

function unescape(s: string, i: number, to: number): { char: string; next: number } | undefined {
  if (i >= to) return undefined;
  const c = s[i];
  if (c in SIMPLE_ESCAPES) return { char: SIMPLE_ESCAPES[c], next: i + 1 };
  const hex = (n: number) => {
    const h = s.slice(i + 1, i + 1 + n);
    if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) return undefined;
    const code = parseInt(h, 16);
    if (code === 0 || code > 0x10ffff) return undefined;
    return { char: String.fromCodePoint(code), next: i + 1 + n };
  };
  if (c === 'x') return hex(2);
  if (c === 'u') return hex(4);
  if (c === 'U') return hex(8);
  if (c >= '0' && c <= '7') {
    const o = s.slice(i, i + 3);
    if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) === 0 || parseInt(o, 8) > 255) return undefined;
    return { char: String.fromCharCode(parseInt(o, 8)), next: i + 3 };
  }
  return undefined;
}

/** The assignments of the sections named `name` (a unit may repeat a section). */
export function settingsIn(model: SystemdModel, name: string): Assignment[] {
  return model.assignments.filter((a) => a.section?.name === name && a.section.accepted);
}

/** The offset just after the header line of `section` (its line break included). */
export function afterHeader(text: string, section: Section): number {
  let i = section.end;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  if (text[i] === '\r') i++;
  if (text[i] === '\n') i++;
  return i;
}
