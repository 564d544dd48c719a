import { yamlLineBreaks } from '../core/encoding';
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, visit, type Document, type Node as YamlNode } from 'yaml';
import { append } from '../core/arrays';
import { MAX_NESTING } from '../core/limits';

/**
 * The compose model: the YAML tree with aliases and merge keys resolved, every node keeping the
 * range of the text the user must edit (a value that came through `<<: *anchor` points into the
 * anchor), plus the services.
 */

export type Span = readonly [start: number, end: number];

export interface RScalar {
  kind: 'scalar';
  span: Span;
  tag?: string;
  /** The value as written, as a string (numbers and booleans as their source text). */
  text: string;
  value: string | number | boolean | null;
  style: 'plain' | 'single' | 'double' | 'block';
}

export interface RPair {
  key: string;
  keySpan: Span;
  value: RNode | undefined;
  /** From the key's start to the value's end. */
  span: Span;
  /** Reached through a merge key (`<<`): its spans are in the anchored map. */
  merged: boolean;
}

export interface RMap {
  kind: 'map';
  span: Span;
  tag?: string;
  flow: boolean;
  /** Effective entries: own keys first, then merged keys not overridden; `!reset` values dropped. */
  pairs: RPair[];
  /** The pairs written in this map itself (merge keys excluded). */
  own: RPair[];
  get(key: string): RPair | undefined;
}

export interface RSeq {
  kind: 'seq';
  span: Span;
  tag?: string;
  flow: boolean;
  items: RNode[];
}

export type RNode = RScalar | RMap | RSeq;

export interface ComposeService {
  name: string;
  nameSpan: Span;
  /** Undefined when the service's value is not a mapping (`svc:` with nothing under it). */
  node: RMap | undefined;
  pair: RPair;
}

export interface SyntaxError {
  span: Span;
  message: string;
}

export interface ComposeModel {
  text: string;
  root: RMap | undefined;
  services: ComposeService[];
  syntaxErrors: SyntaxError[];
}

const MAX_DEPTH = 200;

class Converter {
  private readonly memo = new Map<YamlNode, RNode>();
  private depth = 0;

  /** Anchor name → its definitions in document order (an anchor may be redefined). */
  private readonly anchors = new Map<string, YamlNode[]>();

  constructor(doc: Document) {
    // yaml's own Alias.resolve searches the whole document per alias; one index keeps it linear.
    visit(doc, (_key, node) => {
      const anchor = (node as { anchor?: string } | null)?.anchor;
      if (anchor && !isAlias(node)) {
        if (!this.anchors.has(anchor)) this.anchors.set(anchor, []);
        this.anchors.get(anchor)!.push(node as YamlNode);
      }
    });
  }

  /** The latest definition of `name` before `offset`, as YAML resolves an alias. */
  private anchored(name: string, offset: number): YamlNode | undefined {
    const defs = this.anchors.get(name);
    if (!defs) return undefined;
    let found: YamlNode | undefined;
    for (const d of defs) if ((d.range?.[0] ?? 0) < offset) found = d;
    return found;
  }

  node(n: unknown): RNode | undefined {
    // Nothing real nests this deep; stopping keeps pathological input from exhausting the stack.
    if (this.depth > MAX_DEPTH) return undefined;
    this.depth++;
    try {
      return this.convert(n);
    } finally {
      this.depth--;
    }
  }

  private convert(n: unknown): RNode | undefined {
    if (n === null || n === undefined) return undefined;
    if (isAlias(n)) {
      const target = this.anchored(n.source, n.range?.[0] ?? 0);
      return target ? this.node(target) : undefined;
    }
    const known = this.memo.get(n as YamlNode);
    if (known) return known;
    if (isScalar(n)) {
      const range = n.range ?? [0, 0];
      const style = n.type === 'QUOTE_DOUBLE' ? 'double' : n.type === 'QUOTE_SINGLE' ? 'single' : n.type === 'BLOCK_FOLDED' || n.type === 'BLOCK_LITERAL' ? 'block' : 'plain';
      const v = n.value;
      const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : v === null || v === undefined ? null : String(v);
      const text = typeof v === 'string' ? v : v === null || v === undefined ? '' : style === 'plain' && typeof n.source === 'string' ? n.source : String(v);
      const s: RScalar = { kind: 'scalar', span: [range[0], range[1]], tag: n.tag, text, value, style };
      this.memo.set(n, s);
      return s;
    }
    if (isSeq(n)) {
      const range = n.range ?? [0, 0];
      const s: RSeq = { kind: 'seq', span: [range[0], range[1]], tag: n.tag, flow: !!n.flow, items: [] };
      this.memo.set(n, s);
      for (const item of n.items) {
        const r = this.node(item);
        if (r) s.items.push(r);
      }
      return s;
    }
    if (isMap(n)) {
      const range = n.range ?? [0, 0];
      const pairs: RPair[] = [];
      const index = new Map<string, RPair>();
      const m: RMap = { kind: 'map', span: [range[0], range[1]], tag: n.tag, flow: !!n.flow, pairs, own: [], get: (k) => index.get(k) };
      this.memo.set(n, m);
      const merges: RNode[] = [];
      const reset = new Set<string>();
      for (const p of n.items) {
        if (!isPair(p)) continue;
        const keyNode = p.key as YamlNode | null;
        if (isScalar(keyNode) && (typeof keyNode.value === 'symbol' || keyNode.value === '<<')) {
          const src = this.node(p.value);
          if (src?.kind === 'seq') append(merges, src.items);
          else if (src) merges.push(src);
          continue;
        }
        // Compose keys are scalars; a collection as key is kept as a placeholder, never stringified.
        const key = isScalar(keyNode) ? String(keyNode.value ?? '') : keyNode ? '[complex key]' : '';
        const keyRange = keyNode?.range ?? range;
        const value = this.node(p.value);
        const valueEnd = (p.value as YamlNode | null)?.range?.[1] ?? keyRange[1];
        const pair: RPair = { key, keySpan: [keyRange[0], keyRange[1]], value, span: [keyRange[0], Math.max(valueEnd, keyRange[1])], merged: false };
        m.own.push(pair);
        if (index.has(key)) continue;
        if (value?.tag === '!reset') {
          reset.add(key);
          continue;
        }
        index.set(key, pair);
        pairs.push(pair);
      }
      for (const src of merges) {
        if (src.kind !== 'map') continue;
        for (const p of src.pairs) {
          if (index.has(p.key) || reset.has(p.key)) continue;
          const merged = { ...p, merged: true };
          index.set(p.key, merged);
          pairs.push(merged);
        }
      }
      return m;
    }
    return undefined;
  }
}

export function parseCompose(text: string): ComposeModel {
  const model: ComposeModel = { text, root: undefined, services: [], syntaxErrors: [] };
  let docs;
  try {
    // A lone CR is a YAML line break (docker-compose reads it so); same length, offsets kept.
    // Duplicate keys are found below: the yaml package compares each key with all before it (quadratic).
    docs = parseAllDocuments(yamlLineBreaks(text), { merge: true, prettyErrors: false, uniqueKeys: false });
  } catch (e) {
    // The yaml package recurses per nesting level: thousands of `[`, `{` or `- ` overflow its stack.
    if (e instanceof RangeError) {
      const at = deepestPoint(text);
      model.syntaxErrors.push({ span: [at, Math.min(at + 1, text.length)], message: NESTED_TOO_DEEPLY });
      return model;
    }
    model.syntaxErrors.push({ span: [0, Math.min(1, text.length)], message: `the YAML parser gave up: ${(e as Error)?.message ?? e}` });
    return model;
  }
  const list = Array.isArray(docs) ? docs : [];
  const first = list[0];
  for (const d of list) {
    for (const e of d.errors) {
      // The yaml package catches its own stack overflow (thousands of nested `[`, `{`, `- `) as an error.
      if (/Maximum call stack/.test(e.message)) {
        const at = deepestPoint(text);
        model.syntaxErrors.push({ span: [at, Math.min(at + 1, text.length)], message: NESTED_TOO_DEEPLY });
      } else model.syntaxErrors.push({ span: [e.pos[0], e.pos[1]], message: e.message.split('\n')[0] });
    }
  }
  try {
    for (const d of list) duplicateKeys(d, model.syntaxErrors);
  } catch (e) {
    // Nesting the yaml package read but a walk cannot: reported above as nested too deeply.
    if (!(e instanceof RangeError)) throw e;
  }
  model.syntaxErrors.sort((a, b) => a.span[0] - b.span[0]);
  if (!first) return model;
  const root = new Converter(first).node(first.contents);
  if (!root) return model;
  if (root.kind !== 'map') {
    if (!model.syntaxErrors.length) model.syntaxErrors.push({ span: root.span, message: 'A compose file must be a mapping of top-level keys (services, networks, volumes, …)' });
    return model;
  }
  model.root = root;
  const services = root.get('services')?.value;
  if (services?.kind === 'map') {
    for (const pair of services.pairs) {
      model.services.push({ name: pair.key, nameSpan: pair.keySpan, node: pair.value?.kind === 'map' ? pair.value : undefined, pair });
    }
  }
  return model;
}

/**
 * yaml's `uniqueKeys` check, in linear time: a key whose scalar value (or node) an earlier key of
 * the same mapping has, reported at its first character with the package's own message.
 */
function duplicateKeys(doc: Document.Parsed, errors: SyntaxError[]) {
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const k = pair.key as YamlNode | null;
        const id = isScalar(k) ? k.value : k;
        if (seen.has(id) && !(typeof id === 'number' && Number.isNaN(id))) {
          const at = (k as YamlNode | null)?.range?.[0];
          if (at !== undefined) errors.push({ span: [at, at + 1], message: 'Map keys must be unique' });
        }
        seen.add(id);
      }
    },
  });
}

const NESTED_TOO_DEEPLY = 'nested too deeply: the YAML parser ran out of stack here (no real compose file nests this deep)';

/** Where nesting first passes MAX_NESTING: flow brackets, or indentation (block collections); else 0. */
function deepestPoint(text: string): number {
  let flow = 0;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart && (c === ' ' || c === '-')) {
      if (++indent > MAX_NESTING) return i;
      continue;
    }
    lineStart = false;
    if (c === '[' || c === '{') {
      if (++flow > MAX_NESTING) return i;
    } else if ((c === ']' || c === '}') && flow > 0) flow--;
  }
  return 0;
}

/** The scalar's text, or undefined when the node is not a scalar. */
export function scalarText(node: RNode | undefined): string | undefined {
  return node?.kind === 'scalar' ? node.text : undefined;
}

/** `${VAR}` and `$VAR` (not the `$$` escape) make a value unknown until run time. */
export function hasInterpolation(s: string): boolean {
  return /(^|[^$])(\$\$)*\$(\{|[A-Za-z_])/.test(s);
}

/** Splits at `:` outside `${…}`, so `${HOME:-/root}:/data` has two parts. */
export function splitOutsideBraces(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    if (c === ':' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** A compose boolean in any spelling compose accepts (YAML 1.1's yes/no/on/off included). */
export function asBoolean(node: RNode | undefined): boolean | undefined {
  if (node?.kind !== 'scalar') return undefined;
  if (typeof node.value === 'boolean') return node.value;
  const t = node.text.trim().toLowerCase();
  if (['true', 'yes', 'y', 'on'].includes(t)) return true;
  if (['false', 'no', 'n', 'off'].includes(t)) return false;
  return undefined;
}

export interface EnvEntry {
  name: string;
  /** Undefined for `- NAME` (taken from the shell) or `NAME:` with no value. */
  value: string | undefined;
  /** The span of the whole item (list form) or of the value (map form). */
  node: RScalar | undefined;
  nameSpan: Span;
  /** The span of the value text itself, for replacing it. */
  valueSpan: Span | undefined;
  form: 'list' | 'map';
}

/** A service's `environment:`, in list (`- A=1`) or map (`A: 1`) form. */
export function environmentOf(service: RMap | undefined, text: string): EnvEntry[] {
  const env = service?.get('environment')?.value;
  const out: EnvEntry[] = [];
  if (!env) return out;
  if (env.kind === 'seq') {
    for (const item of env.items) {
      if (item.kind !== 'scalar' || item.style === 'block') continue;
      const contentStart = item.style === 'plain' ? item.span[0] : item.span[0] + 1;
      const raw = item.text;
      const eq = raw.indexOf('=');
      const name = (eq >= 0 ? raw.slice(0, eq) : raw).trim();
      // Offsets inside the scalar are exact only where no escapes were decoded.
      const exact = text.slice(contentStart, contentStart + raw.length) === raw;
      const nameStart = contentStart + (exact ? raw.indexOf(name) : 0);
      out.push({
        name,
        value: eq >= 0 ? raw.slice(eq + 1) : undefined,
        node: item,
        nameSpan: exact ? [nameStart, nameStart + name.length] : item.span,
        valueSpan: eq >= 0 ? (exact ? [contentStart + eq + 1, contentStart + raw.length] : item.span) : undefined,
        form: 'list',
      });
    }
  } else if (env.kind === 'map') {
    for (const p of env.pairs) {
      const v = p.value;
      out.push({
        name: p.key,
        value: v?.kind === 'scalar' && v.value !== null ? v.text : undefined,
        node: v?.kind === 'scalar' ? v : undefined,
        nameSpan: p.keySpan,
        valueSpan: v?.kind === 'scalar' && v.value !== null ? v.span : undefined,
        form: 'map',
      });
    }
  }
  return out;
}
