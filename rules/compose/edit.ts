import type { RuleContext, TextEdit } from '../core/types';
import type { RMap, RNode, RScalar, RSeq } from './model';
import { eolOf as eolOfText } from '../core/text';

/** Text edits on compose YAML that keep the file's indentation and quoting style. */

export function edit(ctx: RuleContext, start: number, end: number, newText: string): TextEdit {
  return { range: ctx.range(start, end), newText };
}

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

export function eolOf(text: string): string {
  return eolOfText(text);
}

/** The file's indentation step, read from the first nested block mapping or sequence. */
export function indentUnit(text: string): string {
  const m = /^([ ]+)\S/m.exec(text);
  return m ? m[1] : '  ';
}

/** The last offset of a node's own text (block scalars and trailing line breaks excluded). */
function contentEnd(text: string, node: { span: readonly [number, number] }): number {
  let end = node.span[1];
  while (end > node.span[0] && /\s/.test(text[end - 1])) end--;
  return end;
}

/**
 * Appends entries to a mapping. `lines` are YAML lines indented relative to the map's keys
 * (two spaces a level), re-indented with the file's own step.
 */
export function appendToMap(ctx: RuleContext, map: RMap, lines: string[]): TextEdit {
  const text = ctx.text;
  if (map.flow) {
    // `{a: 1}` → `{a: 1, b: 2}`; only simple one-level entries are inserted into flow maps.
    const close = text.lastIndexOf('}', map.span[1] - 1);
    const inner = text.slice(map.span[0] + 1, close).trim();
    const joined = lines.map((l) => l.trim()).join(', ');
    return edit(ctx, close, close, (inner ? ', ' : '') + joined);
  }
  const unit = indentUnit(text);
  const last = map.own[map.own.length - 1];
  const keyColumn = last ? columnOf(text, last.keySpan[0]) : columnOf(text, map.span[0]);
  const base = ' '.repeat(keyColumn);
  const eol = eolOf(text);
  const anchor = last ? Math.max(last.keySpan[1], last.value ? contentEnd(text, last.value) : last.keySpan[1]) : map.span[0];
  const at = lineEndOf(text, anchor);
  const body = lines.map((l) => base + reindent(l, unit)).join(eol);
  return edit(ctx, at, at, eol + body);
}

function reindent(line: string, unit: string): string {
  const m = /^( *)(.*)$/.exec(line)!;
  return unit.repeat(Math.floor(m[1].length / 2)) + m[2];
}

/** Appends an item to a sequence, as `- value` lines in block style or `, value` in flow style. */
export function appendToSeq(ctx: RuleContext, seq: RSeq, value: string): TextEdit {
  const text = ctx.text;
  if (seq.flow) {
    const close = text.lastIndexOf(']', seq.span[1] - 1);
    const inner = text.slice(seq.span[0] + 1, close).trim();
    return edit(ctx, close, close, (inner ? ', ' : '') + value);
  }
  const last = seq.items[seq.items.length - 1];
  const first = seq.items[0];
  const dashColumn = first ? columnOf(text, text.lastIndexOf('-', first.span[0])) : columnOf(text, seq.span[0]);
  const at = lineEndOf(text, last ? contentEnd(text, last) : seq.span[0]);
  return edit(ctx, at, at, eolOf(text) + ' '.repeat(dashColumn) + '- ' + value);
}

/** The scalar rewritten with a new value in the same quoting style (plain becomes double-quoted). */
export function scalarReplacement(scalar: RScalar, value: string): string {
  if (scalar.style === 'single') return `'${value.replace(/'/g, "''")}'`;
  return JSON.stringify(value);
}

export function replaceScalar(ctx: RuleContext, scalar: RScalar, value: string): TextEdit {
  return edit(ctx, scalar.span[0], scalar.span[1], scalarReplacement(scalar, value));
}

/** Removes one item of a block sequence (its whole line) or of a flow sequence (with its comma). */
export function removeSeqItem(ctx: RuleContext, seq: RSeq, item: RNode): TextEdit {
  const text = ctx.text;
  if (seq.flow) {
    const idx = seq.items.indexOf(item);
    if (seq.items.length === 1) return edit(ctx, item.span[0], item.span[1], '');
    if (idx < seq.items.length - 1) return edit(ctx, item.span[0], seq.items[idx + 1].span[0], '');
    const prevEnd = seq.items[idx - 1].span[1];
    return edit(ctx, prevEnd, item.span[1], '');
  }
  const start = lineStartOf(text, item.span[0]);
  let end = lineEndOf(text, contentEnd(text, item));
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  return edit(ctx, start, end, '');
}

/** Removes a `key: value` entry of a block mapping, all of its lines. */
export function removePair(ctx: RuleContext, pair: { keySpan: readonly [number, number]; value: RNode | undefined }): TextEdit {
  const text = ctx.text;
  const start = lineStartOf(text, pair.keySpan[0]);
  let end = lineEndOf(text, pair.value ? contentEnd(text, pair.value) : pair.keySpan[1]);
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  return edit(ctx, start, end, '');
}

/**
 * Appends one entry to a mapping: `block` lines (as for appendToMap) in a block mapping, the one
 * `flow` text (`key: value`, flow style) in a flow mapping, since nested block lines cannot go there.
 */
export function appendEntry(ctx: RuleContext, map: RMap, block: string[], flow: string): TextEdit {
  return map.flow ? appendToMap(ctx, map, [flow]) : appendToMap(ctx, map, block);
}

/** Appends an item to a sequence, given as a plain block item and as a flow item (quoted where needed). */
export function appendItem(ctx: RuleContext, seq: RSeq, block: string, flow: string): TextEdit {
  return appendToSeq(ctx, seq, seq.flow ? flow : block);
}
