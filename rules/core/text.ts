import type { Position, Range } from './types';

/** Maps offsets to line/character positions and back; built once per document version. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  offset(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    const lineStart = this.starts[Math.max(0, pos.line)];
    const lineEnd = this.lineEnd(pos.line);
    return Math.min(lineStart + Math.max(0, pos.character), lineEnd);
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** Offset of the end of `line`, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[line + 1] - 1;
    if (end > this.starts[line] && this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /** The file's line break, for inserted lines that match the file's style. */
  get eol(): string {
    return /\r\n/.test(this.text) ? '\r\n' : '\n';
  }
}

export function compareRanges(a: Range, b: Range): number {
  return a.start.line - b.start.line || a.start.character - b.start.character || a.end.line - b.end.line || a.end.character - b.end.character;
}

// The line ending of the last text asked about: every fix asks, and a scan of the file per fix is
// quadratic in the number of findings (a result that depends only on the text, so still pure).
let eolText: string | undefined;
let eolFound = '\n';

/** The file's line ending: `\r\n` when it has one, else `\n`. */
export function eolOf(text: string): string {
  if (text !== eolText) eolFound = text.includes('\r\n') ? '\r\n' : '\n';
  // Kept even when equal: an equal text held in another string is compared in full on every call,
  // the same string at once.
  eolText = text;
  return eolFound;
}

let indentText: string | undefined;
let indentFound: string | undefined;

/** The file's first indentation (the blanks before a line's first non-blank), remembered as `eolOf` is. */
export function firstIndentOf(text: string): string | undefined {
  if (text !== indentText) indentFound = /^([ \t]+)\S/m.exec(text)?.[1];
  indentText = text;
  return indentFound;
}
