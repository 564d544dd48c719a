import { SUBDIRECTIVES, isDirective, isGlobalOption } from './directives';
import { lex, lineBreaks, type Token } from './lexer';
import { append } from '../core/arrays';
import { MAX_NESTING, tooDeep } from '../core/limits';

/**
 * The Caddyfile model: one parse per document into server blocks (the global options block, sites,
 * snippets `(name)` and named routes `&(name)`) holding directive trees. It follows the structure of
 * Caddy's parser (caddyconfig/caddyfile/parse.go): a directive is the first token of a line, its
 * arguments run to the end of the line, a `{` ending the line opens its block. Imports are kept as
 * directives named `import`; rules resolve snippets and imported files through `imports.ts`.
 */

export interface Directive {
  name: Token;
  args: Token[];
  /** The `{ … }` ending the directive's line (or a `{}` token), if any. */
  block?: Block;
  /** Tokens after the block's `}` on the same line (Caddy keeps them in the segment). */
  trailing: Token[];
  parent?: Directive;
}

export interface Block {
  open: Token;
  /** Missing when the file ends first. */
  close?: Token;
  directives: Directive[];
}

export type ServerBlockKind = 'global' | 'site' | 'snippet' | 'route' | 'import' | 'fragment';

export interface ServerBlock {
  kind: ServerBlockKind;
  keys: Token[];
  /** Snippet or named-route name, without the parentheses. */
  name?: string;
  /** The braces around the body; absent for a site written without them (the rest of the file). */
  open?: Token;
  close?: Token;
  directives: Directive[];
  /** For a top-level `import` line: the import itself. */
  importDirective?: Directive;
}

export interface CaddySyntaxError {
  start: number;
  end: number;
  message: string;
  /**
   * A brace left open or closed too often: in an imported file, the tokens of the importer may
   * balance it (Caddy splices tokens, not blocks).
   */
  braces?: boolean;
}

export interface CaddyModel {
  text: string;
  file: string;
  tokens: Token[];
  errors: CaddySyntaxError[];
  /** Every server block in file order (the global options block, sites, snippets, routes, top-level imports). */
  blocks: ServerBlock[];
  global?: ServerBlock;
  sites: ServerBlock[];
  snippetsByName: Map<string, ServerBlock>;
  routesByName: Map<string, ServerBlock>;
  /** Whether an `import` of another file (not a snippet) appears: unknown when the file is linted alone. */
  importsFiles: boolean;
  /**
   * The file is an import fragment (starts with a directive, a matcher definition or a
   * subdirective such as `header_up`): its top level is the body it is imported into.
   */
  fragment: boolean;
}

export function parseCaddyfile(text: string, file: string): CaddyModel {
  return new Parser(text, file).parse();
}

// Quoted braces are text, not blocks (Caddy 2.7 and later).
const isOpen = (t: Token | undefined) => t !== undefined && t.text === '{' && t.quote === '';
const isClose = (t: Token | undefined) => t !== undefined && t.text === '}' && t.quote === '';

/** `(name)` → name */
export function snippetName(key: string): string | undefined {
  return key.length >= 2 && key.startsWith('(') && key.endsWith(')') ? key.slice(1, -1) : undefined;
}

function routeName(key: string): string | undefined {
  return key.length >= 3 && key.startsWith('&(') && key.endsWith(')') ? key.slice(2, -1) : undefined;
}

const SUBDIRECTIVE_NAMES: ReadonlySet<string> = new Set(Object.values(SUBDIRECTIVES).flatMap((names) => [...names]));

/**
 * The first token of a file meant to be imported into a body rather than read as sites: a
 * directive; in a file not named as a Caddyfile, also one that is a global option too (`log`), a
 * matcher definition or a subdirective (`header_up` lines imported into a reverse_proxy block).
 */
function startsFragment(t: Token, caddyfileName: boolean): boolean {
  if (t.quote !== '' || t.text === 'import') return false;
  // `log`, `metrics`… are global options too: a Caddyfile's name says it is the main file.
  if (isDirective(t.text)) return !isGlobalOption(t.text) || !caddyfileName;
  return !caddyfileName && (/^@[^{}]+$/.test(t.text) || SUBDIRECTIVE_NAMES.has(t.text));
}

/** Whether an import argument names a snippet rather than a file or glob. */
export function looksLikeFilePath(arg: string): boolean {
  return /[/\\.*?[]/.test(arg);
}

class Parser {
  private tokens: Token[];
  private errors: CaddySyntaxError[] = [];
  private pos = 0;
  private model: CaddyModel;

  constructor(text: string, private file: string) {
    const { tokens, errors } = lex(text);
    this.tokens = tokens;
    append(this.errors, errors);
    this.model = {
      text,
      file,
      tokens,
      errors: this.errors,
      blocks: [],
      sites: [],
      snippetsByName: new Map(),
      routesByName: new Map(),
      importsFiles: false,
      fragment: false,
    };
  }

  parse(): CaddyModel {
    const m = this.model;
    const first = this.tokens[0];
    // A file that starts with a directive is a fragment meant to be imported (`header {`,
    // `reverse_proxy …`), unless it is the main `Caddyfile`, where Caddy would take it as a site.
    const base = this.file.split(/[\\/]/).pop() ?? '';
    if (first && base !== 'Caddyfile' && startsFragment(first, /^caddyfile\.|\.caddyfile$/i.test(base))) {
      m.fragment = true;
      const block: ServerBlock = { kind: 'fragment', keys: [], directives: this.body(0, undefined) };
      m.blocks.push(block);
      while (this.pos < this.tokens.length) {
        this.error(this.tokens[this.pos], "Unexpected '}' because no matching opening brace", true);
        this.pos++;
        append(block.directives, this.body(0, undefined));
      }
      return this.finish();
    }
    while (this.pos < this.tokens.length) this.serverBlock();
    return this.finish();
  }

  private finish(): CaddyModel {
    const m = this.model;
    this.checkImports();
    this.checkDuplicateSites();
    this.checkInvokes();
    this.checkOptions();
    this.errors.sort((a, b) => a.start - b.start);
    return m;
  }

  private error(t: Token | { start: number; end: number }, message: string, braces = false) {
    this.errors.push({ start: t.start, end: t.end, message, ...(braces ? { braces } : {}) });
  }

  /** Caddy's isNewLine: the token at `i` starts a new line (continuations do not). */
  private newLine(i: number): boolean {
    if (i <= 0) return true;
    const prev = this.tokens[i - 1];
    // Only quoted tokens and heredocs span lines.
    return prev.line + (prev.quote === '' ? 0 : lineBreaks(prev)) < this.tokens[i].line;
  }

  private serverBlock() {
    const m = this.model;
    const startTok = this.tokens[this.pos];
    const isFirst = m.blocks.length === 0;
    const keys: Token[] = [];
    let expectingAnother = false;
    // The site addresses: the tokens of one line, or of several joined by trailing commas.
    while (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (keys.length === 0 && isClose(t)) {
        // Caddy would take a stray `}` for a site address and fail on it.
        this.error(t, "Unexpected '}' because no matching opening brace", true);
        this.pos++;
        return;
      }
      if (keys.length === 0 && !expectingAnother && t.text === 'import' && t.quote === '') {
        this.topImport();
        return;
      }
      if (isOpen(t)) {
        if (expectingAnother) this.error(t, `Expected another address but had '{' - check for extra comma`);
        break;
      }
      if (t.text.startsWith('@') && t.quote === '') {
        this.error(t, `request matchers may not be defined globally, they must be in a site block; found ${t.text}`);
        if (keys.length === 0) {
          // Skip the whole definition so the rest of the file reads as it should.
          this.directive(0, undefined);
          return;
        }
      } else if (t.text.endsWith('{') && t.quote === '') {
        this.error(t, `Site addresses cannot end with a curly brace: '${t.text}' - put a space between the token and the brace`);
      }
      let value = t.text;
      if (value !== '') {
        if (value.endsWith(',')) {
          value = value.slice(0, -1);
          expectingAnother = true;
        } else expectingAnother = false;
        if (value.includes(',')) this.error(t, `Site addresses cannot contain a comma ',': '${value}' - put a space after the comma`);
        if (value !== '') keys.push(value === t.text ? t : { ...t, text: value, end: t.end - 1 });
      }
      this.pos++;
      if (this.pos >= this.tokens.length) {
        if (expectingAnother) this.error(t, 'Unexpected EOF: another site address must follow the trailing comma');
        break;
      }
      if (!expectingAnother && this.newLine(this.pos)) break;
    }
    const open = this.tokens[this.pos];
    const braces = isOpen(open) && (keys.length > 0 || open === startTok);

    if (keys.length === 0 && !isOpen(open)) {
      if (open === startTok) this.pos++;
      return;
    }
    if (keys.length === 0) {
      // `{` with no address: the global options block, which must come first.
      const block: ServerBlock = { kind: 'global', keys, open, directives: [] };
      if (!isFirst) this.error(open, 'server block without any key is global configuration, and if used, it must be first');
      else m.global = block;
      this.pos++;
      block.directives = this.body(0, open);
      block.close = this.lastClose;
      m.blocks.push(block);
      return;
    }

    const snippet = keys.length === 1 ? snippetName(keys[0].text) : undefined;
    const route = keys.length === 1 ? routeName(keys[0].text) : undefined;
    if (snippet !== undefined || route !== undefined) {
      const kind = snippet !== undefined ? 'snippet' : 'route';
      const name = (snippet ?? route)!;
      const block: ServerBlock = { kind, keys, name, directives: [] };
      m.blocks.push(block);
      if (!braces) {
        this.error(open ?? keys[0], `syntax error: unexpected token '${open?.text ?? 'EOF'}', expecting '{' after ${keys[0].text}`);
        return;
      }
      block.open = open;
      this.pos++;
      block.directives = this.body(1, open);
      block.close = this.lastClose;
      const table = kind === 'snippet' ? m.snippetsByName : m.routesByName;
      if (table.has(name)) this.error(keys[0], kind === 'snippet' ? `redeclaration of previously declared snippet ${name}` : `cannot have duplicate named_routes: ${name}`);
      else table.set(name, block);
      return;
    }

    const site: ServerBlock = { kind: 'site', keys, directives: [] };
    m.blocks.push(site);
    m.sites.push(site);
    this.checkAddresses(keys);
    if (braces) {
      site.open = open;
      this.pos++;
      site.directives = this.body(0, open);
      site.close = this.lastClose;
    } else {
      // A site without braces takes the rest of the file; a later `name {` is then a directive.
      site.directives = this.body(0, undefined, true);
    }
  }

  private topImport() {
    const d = this.directive(0, undefined);
    const block: ServerBlock = { kind: 'import', keys: [], directives: [d], importDirective: d };
    this.model.blocks.push(block);
  }

  private lastClose: Token | undefined;
  private inImport = false;

  /**
   * The directives of a body up to its closing `}` (or the end of the file). `depth` is Caddy's
   * nesting inside a site's segment: 0 at a site's top level, where a `}` ending a line is an error.
   */
  private body(depth: number, open: Token | undefined, braceless = false): Directive[] {
    const out: Directive[] = [];
    this.lastClose = undefined;
    while (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (isClose(t)) {
        this.pos++;
        if (open) {
          this.lastClose = t;
          return out;
        }
        // A stray `}` ends a site written without braces, as in Caddy.
        if (braceless) return out;
        this.error(t, "Unexpected '}' because no matching opening brace", true);
        continue;
      }
      if (isOpen(t)) {
        this.error(t, "Unexpected '{' on a new line; did you mean to place the '{' on the previous line?");
        const prev = out[out.length - 1];
        this.pos++;
        const block: Block = { open: t, directives: this.nested(depth + 1, t, () => this.body(depth + 1, t)) };
        block.close = this.lastClose;
        if (prev && !prev.block) prev.block = block;
        else if (!prev && this.inImport) {
          this.errors.pop();
          this.error(t, 'anonymous blocks are not supported');
        }
        if (!block.close) {
          this.lastClose = undefined;
          return out;
        }
        continue;
      }
      if (braceless && depth === 0 && out.length > 0 && this.looksLikeSecondSite()) {
        this.error(t, `unrecognized directive: ${t.text} - did you mean to define a second site? If so, you must use curly braces around each site to separate their configurations.`);
      }
      const d = this.directive(depth, undefined);
      out.push(d);
      if (d.block && !d.block.close) {
        // The innermost unclosed `{` was reported; the outer ones are its echoes.
        this.lastClose = undefined;
        return out;
      }
    }
    if (open) this.error(open, "Unexpected EOF: this '{' is never closed; expected '}'", true);
    this.lastClose = undefined;
    return out;
  }

  /** In a site without braces: a line `name {` or a bare address line followed by a directive block. */
  private looksLikeSecondSite(): boolean {
    const t = this.tokens[this.pos];
    if (t.quote !== '' || isDirective(t.text) || t.text.startsWith('@')) return false;
    return /^(https?:\/\/|:\d|[a-z0-9*-]+(\.[a-z0-9*-]+)+(:\d+)?$|localhost|\[)/i.test(t.text) || t.text.startsWith('{$');
  }

  private directive(depth: number, parent: Directive | undefined): Directive {
    const name = this.tokens[this.pos++];
    const d: Directive = { name, args: [], trailing: [], parent };
    while (this.pos < this.tokens.length && !this.newLine(this.pos)) {
      const t = this.tokens[this.pos];
      if (isOpen(t)) {
        this.pos++;
        if (t.quote === '' && this.pos < this.tokens.length && !this.newLine(this.pos)) {
          this.error(this.tokens[this.pos], "Unexpected next token after '{' on same line");
        }
        const block: Block = { open: t, directives: [] };
        d.block = block;
        const wasInImport = this.inImport;
        this.inImport = name.text === 'import';
        block.directives = this.nested(depth + 1, t, () => this.bodyOf(d, depth + 1, t));
        this.inImport = wasInImport;
        block.close = this.lastClose;
        if (!block.close) return d;
        // Tokens after `}` on its line stay in the segment, where the directive's own parser
        // refuses them ("unrecognized subdirective").
        while (this.pos < this.tokens.length && !this.newLine(this.pos)) {
          const extra = this.tokens[this.pos];
          if (isClose(extra)) break;
          if (!d.trailing.length) this.error(extra, `Unexpected '${extra.text}' after '}' on the same line`);
          d.trailing.push(extra);
          this.pos++;
        }
        continue;
      }
      if (t.text === '{}' && t.quote === '' && (this.pos + 1 >= this.tokens.length || this.newLine(this.pos + 1))) {
        this.error(t, "Unexpected '{}' at end of line");
        d.block = { open: t, close: t, directives: [] };
        this.pos++;
        continue;
      }
      if (isClose(t)) {
        // `… }` closes the enclosing block inside a segment; at a site's top level it is an error.
        if (depth === 0) {
          this.error(t, "Unexpected '}' because no matching opening brace", true);
          this.pos++;
          continue;
        }
        return d;
      }
      d.args.push(t);
      this.pos++;
    }
    return d;
  }

  private nesting = 0;

  /**
   * A block's body, unless blocks already nest MAX_NESTING deep: then the block is reported and
   * skipped to its matching `}` without recursion, so the depth of the input cannot overflow the
   * stack here or in the walks over the tree.
   */
  private nested(depth: number, open: Token, read: () => Directive[]): Directive[] {
    if (this.nesting >= MAX_NESTING) {
      this.error(open, tooDeep('Blocks'));
      let level = 1;
      this.lastClose = undefined;
      while (this.pos < this.tokens.length) {
        const t = this.tokens[this.pos++];
        if (isOpen(t)) level++;
        else if (isClose(t) && --level === 0) {
          this.lastClose = t;
          break;
        }
      }
      return [];
    }
    this.nesting++;
    try {
      return read();
    } finally {
      this.nesting--;
    }
  }

  private bodyOf(parent: Directive, depth: number, open: Token): Directive[] {
    const ds = this.body(depth, open);
    const close = this.lastClose;
    for (const d of ds) setParent(d, parent);
    this.lastClose = close;
    return ds;
  }

  /** Site addresses Caddy refuses: bad schemes and ports, directive names taken for addresses. */
  private checkAddresses(keys: Token[]) {
    const seen = new Set<string>();
    for (const k of keys) {
      const text = k.text;
      if (k.quote !== '' || text.includes('{')) continue;
      if (isDirective(text) && keys.length === 1) {
        this.error(k, `parsed '${text}' as a site address, but it is a known directive; directives must appear in a site block`);
        continue;
      }
      const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
      if (scheme === 'wss') this.error(k, 'the scheme wss:// is only supported in browsers; use https:// instead');
      else if (scheme === 'ws') this.error(k, 'the scheme ws:// is only supported in browsers; use http:// instead');
      else if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') this.error(k, `unsupported URL scheme ${scheme}://`);
      const port = addressPort(text);
      if (port !== undefined && /^-?\d+$/.test(port) && (Number(port) < 0 || Number(port) > 65535)) this.error(k, `port ${port} is out of range`);
      if (seen.has(text)) this.error(k, `ambiguous site definition: ${text}`);
      seen.add(text);
    }
  }

  /** The same address in two sites, unless `bind` tells their listeners apart. */
  private checkDuplicateSites() {
    const bound = (s: ServerBlock) => s.directives.some((d) => d.name.text === 'bind');
    const seen = new Map<string, ServerBlock>();
    for (const site of this.model.sites) {
      for (const k of site.keys) {
        if (k.quote !== '' || k.text.includes('{')) continue;
        const other = seen.get(k.text);
        if (other && other !== site && !bound(other) && !bound(site)) this.error(k, `ambiguous site definition: ${k.text}`);
        else if (!other) seen.set(k.text, site);
      }
    }
  }

  /** Option rules Caddy's own directive parsers enforce, where the structure alone shows them. */
  private checkOptions() {
    const m = this.model;
    const globals = m.global?.directives ?? [];
    const globalDns = globals.some((d) => d.name.text === 'dns' || (d.name.text === 'acme_dns' && d.args.length > 0));
    for (const d of globals) {
      if (d.name.text === 'acme_dns' && d.args.length === 0 && !d.block && !globalDns) {
        this.error(d.name, "acme_dns specified without DNS provider config, but no provider specified with 'dns' global option");
      }
    }
    for (const b of m.blocks) {
      if (b.kind === 'global') continue;
      walk(b.directives, (d) => {
        const subs = d.block?.directives ?? [];
        if (subs.some((x) => x.name.text === 'import')) return;
        const name = d.name.text;
        if (name === 'tls') {
          const dnsOptions = subs.filter((x) => /^(propagation_delay|propagation_timeout|dns_ttl)$/.test(x.name.text));
          if (dnsOptions.length && !globalDns && !subs.some((x) => x.name.text === 'dns')) {
            // From the first option that needs the provider to the block's end, where Caddy notices.
            const close = d.block?.close ?? dnsOptions[dnsOptions.length - 1].name;
            this.error({ start: dnsOptions[0].name.start, end: close.end }, `setting DNS challenge options [${dnsOptions.map((x) => x.name.text).join(', ')}] requires a DNS provider (set with the 'dns' subdirective or 'acme_dns' global option)`);
          }
        }
        if (name === 'forward_auth') {
          const uris = subs.filter((x) => x.name.text === 'uri');
          for (const extra of uris.slice(1)) this.error(extra.name, `cannot re-declare uri: ${extra.args[0]?.text ?? ''}`);
        }
        if (name === 'reverse_proxy' || name === 'intercept' || name === 'php_fastcgi' || name === 'forward_auth') {
          for (const r of subs) {
            if (r.name.text === 'handle_response' && r.args.length > 1) {
              this.error(r.args[1], `too many arguments for 'handle_response': only a single response matcher name is allowed, but got: [${r.args.map((a) => a.text).join(' ')}]`);
            }
          }
        }
      });
    }
  }

  /** `invoke` of a named route this file does not define (one from an imported file is unknown). */
  private checkInvokes() {
    const m = this.model;
    if (m.importsFiles) return;
    for (const b of m.blocks) {
      walk(b.directives, (d) => {
        const target = d.args[0];
        if (d.name.text === 'invoke' && d.name.quote === '' && target && !m.routesByName.has(target.text)) {
          this.error(target, `cannot invoke named route '${target.text}', which was not defined`);
        }
      });
    }
  }

  /** Snippet imports: cycles (Caddy refuses them) and anonymous blocks in an import's block. */
  private checkImports() {
    const m = this.model;
    for (const b of m.blocks) {
      walk(b.directives, (d) => {
        if (d.name.text !== 'import' || d.name.quote !== '') return;
        const target = d.args[0]?.text;
        if (target === undefined) this.error(d.name, 'Wrong argument count or unexpected line ending after \'import\'');
        else if (target === '') this.error(d.args[0], 'Import requires a non-empty filepath');
        else if (!m.snippetsByName.has(target)) m.importsFiles ||= looksLikeFilePath(target);
      });
    }
    // A cycle: snippet A imports B which imports A (directly or further down). Depth first with an
    // explicit stack: a chain of 100k snippets importing the next must not overflow the call stack.
    const state = new Map<string, 'visiting' | 'done'>();
    const importsOf = (s: ServerBlock): Directive[] => {
      const out: Directive[] = [];
      walk(s.directives, (d) => {
        if (d.name.text === 'import' && d.args[0]) out.push(d);
      });
      return out;
    };
    for (const root of m.snippetsByName.keys()) {
      if (state.has(root)) continue;
      state.set(root, 'visiting');
      const stack: { name: string; imports: Directive[]; next: number }[] = [{ name: root, imports: importsOf(m.snippetsByName.get(root)!), next: 0 }];
      while (stack.length) {
        const top = stack[stack.length - 1];
        if (top.next >= top.imports.length) {
          state.set(top.name, 'done');
          stack.pop();
          continue;
        }
        const via = top.imports[top.next++];
        const name = via.args[0].text;
        const s = m.snippetsByName.get(name);
        if (!s) continue;
        const st = state.get(name);
        if (st === 'done') continue;
        if (st === 'visiting') {
          this.error(via.args[0] ?? via.name, `a cycle of imports exists: snippet "${name}" ends up importing itself here`);
          continue;
        }
        state.set(name, 'visiting');
        stack.push({ name, imports: importsOf(s), next: 0 });
      }
    }
  }
}

function setParent(d: Directive, parent: Directive) {
  d.parent = parent;
}

/** Visits every directive of a tree, depth first, in file order. */
export function walk(ds: readonly Directive[], visit: (d: Directive) => void) {
  for (const d of ds) {
    visit(d);
    if (d.block) walk(d.block.directives, visit);
  }
}

/** The port of a site address (`example.com:8080`, `:80`, `http://[::1]:8080/path`), if written. */
export function addressPort(address: string): string | undefined {
  let rest = address.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const slash = rest.indexOf('/');
  if (slash >= 0) rest = rest.slice(0, slash);
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    return close >= 0 && rest[close + 1] === ':' ? rest.slice(close + 2) : undefined;
  }
  const colon = rest.lastIndexOf(':');
  return colon >= 0 ? rest.slice(colon + 1) : undefined;
}

/** Scheme, host and port of a site address. */
export function parseAddress(address: string): { scheme?: string; host: string; port?: string } {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(address)?.[1]?.toLowerCase();
  let rest = address.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const slash = rest.indexOf('/');
  if (slash >= 0) rest = rest.slice(0, slash);
  const port = addressPort(address);
  const host = port !== undefined ? rest.slice(0, rest.length - port.length - 1) : rest;
  return { scheme, host: host.replace(/^\[|\]$/g, ''), port };
}
