import type { RuleContext, TextEdit } from '../core/types';
import type { Directive } from './model';
import { eolOf as eolOfText, firstIndentOf } from '../core/text';

/** Text edits on a Caddyfile that keep its indentation style and line breaks. */

/** The text edited and its ranges: the rule's context, or another file of the import tree. */
export type EditTarget = Pick<RuleContext, 'text' | 'range'>;

export function eolOf(text: string): string {
  return eolOfText(text);
}

export function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n') i--;
  return i;
}

/** The whitespace before the first token of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

/** The file's indentation step: a tab, or the first indentation written with spaces. */
export function indentUnit(text: string): string {
  const first = firstIndentOf(text);
  if (first === undefined) return '\t';
  return first.startsWith('\t') ? '\t' : first;
}

/** Lines inserted just above a directive, at its indentation. */
export function insertBefore(ctx: EditTarget, d: Directive, lines: string[]): TextEdit {
  const at = lineStartOf(ctx.text, d.name.start);
  const indent = indentAt(ctx.text, d.name.start);
  const eol = eolOf(ctx.text);
  const unit = indentUnit(ctx.text);
  return { range: ctx.range(at, at), newText: lines.map((l) => indent + l.replace(/^\t+/, (t) => unit.repeat(t.length)) + eol).join('') };
}

/** Lines added at the top of a directive's block, creating the block when it has none. */
export function addToBlock(ctx: EditTarget, d: Directive, lines: string[]): TextEdit {
  const text = ctx.text;
  const eol = eolOf(text);
  const unit = indentUnit(text);
  const indent = indentAt(text, d.name.start);
  const first = d.block?.directives[0];
  const inner = first && first.name.start > (d.block?.open.end ?? 0) ? indentAt(text, first.name.start) : indent + unit;
  const body = lines.map((l) => inner + l).join(eol);
  const block = d.block;
  if (block && block.open.text === '{') {
    return { range: ctx.range(block.open.end, block.open.end), newText: eol + body };
  }
  if (block) return { range: ctx.range(block.open.start, block.open.end), newText: `{${eol}${body}${eol}${indent}}` };
  const last = d.args[d.args.length - 1] ?? d.name;
  return { range: ctx.range(last.end, last.end), newText: ` {${eol}${body}${eol}${indent}}` };
}
