import type { RuleContext, TextEdit } from '../core/types';
import type { Directive } from './model';
import { eolOf as eolOfText, firstIndentOf } from '../core/text';

/** Text edits on nginx configs that keep the file's indentation and line breaks. */

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

export function eolOf(text: string): string {
  return eolOfText(text);
}

/** The whitespace before the first word on `offset`'s line. */
export function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

/** The file's indentation step: the first nested directive's indent beyond its parent's, else 4 spaces. */
export function indentUnit(text: string, d?: Directive): string {
  let tries = 0;
  for (let p: Directive | undefined = d; p && tries++ < 8; p = p.parent) {
    const child = p.block?.children[0];
    if (child && onOwnLine(text, child.start)) {
      const outer = indentAt(text, p.start);
      const inner = indentAt(text, child.start);
      if (inner.startsWith(outer) && inner.length > outer.length) return inner.slice(outer.length);
    }
  }
  return firstIndentOf(text) ?? '    ';
}

function onOwnLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

/** Whether only blanks or a comment follow `offset` on its line. */
function restOfLineIsEmpty(text: string, offset: number): boolean {
  return /^[ \t]*(#.*)?$/.test(text.slice(offset, lineEnd(text, offset)));
}

/** New directive lines right after `d`, at its indentation (after a trailing comment on its line). */
export function insertAfter(ctx: RuleContext, d: Directive, lines: string[]): TextEdit {
  const text = ctx.text;
  if (!restOfLineIsEmpty(text, d.end) || !onOwnLine(text, d.start)) {
    return { range: ctx.range(d.end, d.end), newText: lines.map((l) => ` ${l}`).join('') };
  }
  const at = lineEnd(text, d.end);
  const indent = indentAt(text, d.start);
  const eol = eolOf(text);
  return { range: ctx.range(at, at), newText: lines.map((l) => `${eol}${indent}${l}`).join('') };
}

/** New directive lines before `d`, at its indentation. */
export function insertBefore(ctx: RuleContext, d: Directive, lines: string[]): TextEdit {
  const text = ctx.text;
  if (!onOwnLine(text, d.start)) return { range: ctx.range(d.start, d.start), newText: lines.map((l) => `${l} `).join('') };
  const at = lineStart(text, d.start);
  const indent = indentAt(text, d.start);
  const eol = eolOf(text);
  return { range: ctx.range(at, at), newText: lines.map((l) => `${indent}${l}${eol}`).join('') };
}

/** New directive lines at the start of a block, indented as its children are. */
export function insertAtBlockStart(ctx: RuleContext, block: Directive, lines: string[]): TextEdit {
  const text = ctx.text;
  const open = block.block!.open;
  const first = block.block!.children[0];
  if (first && onOwnLine(text, first.start)) return insertBefore(ctx, first, lines);
  if (!restOfLineIsEmpty(text, open + 1) || !onOwnLine(text, block.start)) {
    return { range: ctx.range(open + 1, open + 1), newText: lines.map((l) => ` ${l}`).join('') };
  }
  const at = lineEnd(text, open + 1);
  const indent = indentAt(text, block.start) + indentUnit(text, block);
  const eol = eolOf(text);
  return { range: ctx.range(at, at), newText: lines.map((l) => `${eol}${indent}${l}`).join('') };
}

/** Replaces a directive's arguments. */
export function replaceArgs(ctx: RuleContext, d: Directive, newArgs: string): TextEdit {
  const first = d.args[0];
  const last = d.args[d.args.length - 1];
  if (!first) return { range: ctx.range(d.nameWord.end, d.nameWord.end), newText: ` ${newArgs}` };
  return { range: ctx.range(first.start, last.end), newText: newArgs };
}

/** Whole directive text as written, for copying inherited directives into a nested level. */
export function sourceOf(ctx: RuleContext, d: Directive): string {
  return ctx.text.slice(d.start, d.end);
}
