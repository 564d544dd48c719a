/**
 * The Caddyfile lexer, following the rules of Caddy's own (caddyconfig/caddyfile/lexer.go):
 * tokens split on whitespace; `#` starts a comment only at the start of a token; `"…"` may span
 * lines and only `\"` is an escape in it; backticks quote raw text; `<<MARKER` opens a heredoc whose
 * closing marker's indentation is stripped from every line; a backslash before a line break
 * continues the line. Every token keeps its exact source offsets.
 */

export type Quote = '' | '"' | '`' | '<';

export interface Token {
  /** The value, as Caddy sees it (quotes removed, escapes applied, heredoc indentation stripped). */
  text: string;
  /** Source offsets of the whole token, quotes and heredoc markers included. */
  start: number;
  end: number;
  /** Caddy's 1-based line counter: continued lines share the line they continue. */
  line: number;
  /** How the token was written: bare, "quoted", `backticked` or as a <<heredoc. */
  quote: Quote;
}

export interface LexError {
  start: number;
  end: number;
  message: string;
}

const HEREDOC_MARKER = /^[A-Za-z0-9_-]+$/;

/** Go's unicode.IsSpace. */
export function isSpace(c: string): boolean {
  switch (c) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case '\u0085':
    case '\u00a0':
    case '\u1680':
    case '\u2028':
    case '\u2029':
    case '\u202f':
    case '\u205f':
    case '\u3000':
      return true;
  }
  return c >= '\u2000' && c <= '\u200a';
}

/** The line breaks a token spans, as Caddy counts them to tell whether the next token starts a line. */
export function lineBreaks(t: Token): number {
  let n = 0;
  for (let i = 0; i < t.text.length; i++) if (t.text.charCodeAt(i) === 10) n++;
  return t.quote === '<' ? n + 2 : n;
}

export function lex(src: string): { tokens: Token[]; errors: LexError[] } {
  const tokens: Token[] = [];
  const errors: LexError[] = [];
  // Caddy discards a byte order mark.
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let skipped = 0;
  const n = src.length;

  while (i < n) {
    // Between tokens: whitespace, continuations and comments.
    const c = src[i];
    if (c === '\\' && src[i + 1] === '\n') {
      skipped++;
      i += 2;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\r' && src[i + 2] === '\n') {
      skipped++;
      i += 3;
      continue;
    }
    if (isSpace(c)) {
      if (c === '\n') {
        line += 1 + skipped;
        skipped = 0;
      }
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && src[i] !== '\n') i++;
      // Caddy still sees a backslash ending a comment line as a continuation.
      if (i < n && (src[i - 1] === '\\' || (src[i - 1] === '\r' && src[i - 2] === '\\'))) {
        skipped++;
        i++;
      }
      continue;
    }
    const start = i;
    const tokLine = line;
    if (c === '"' || c === '`') {
      // Quoted: runs to the matching quote (or the end of the file, which Caddy accepts).
      let val = '';
      i++;
      let escaped = false;
      let closed = false;
      while (i < n) {
        const ch = src[i++];
        if (c === '"' && !escaped && ch === '\\') {
          escaped = true;
          continue;
        }
        if (escaped) {
          if (ch !== '"') val += '\\';
          escaped = false;
        } else if (ch === c) {
          closed = true;
          break;
        }
        if (ch === '\n') {
          line += 1 + skipped;
          skipped = 0;
        }
        val += ch;
      }
      if (!closed) {
        if (escaped) val += '\\';
        errors.push({ start, end: start + 1, message: `unterminated ${c === '"' ? 'quoted string' : 'backtick string'}: the closing ${c} is missing` });
      }
      tokens.push({ text: val, start, end: i, line: tokLine, quote: c });
      continue;
    }
    if (c === '<' && src[i + 1] === '<') {
      const heredoc = lexHeredoc(src, i, tokLine, errors);
      if (heredoc) {
        tokens.push(heredoc.token);
        line += heredoc.lines;
        i = heredoc.end;
        continue;
      }
    }
    // A bare word: up to whitespace. `\` escapes nothing but a following `<` (no heredoc) and,
    // before a line break, continues the line.
    let j = i;
    while (j < n && src[j] !== '\\' && !isSpace(src[j])) j++;
    if (j >= n || src[j] !== '\\') {
      // The common case, no backslash: the token is the source text.
      tokens.push({ text: src.slice(start, j), start, end: j, line: tokLine, quote: '' });
      i = j;
      continue;
    }
    let val = '';
    let escaped = false;
    while (i < n) {
      const ch = src[i];
      if (!escaped && ch === '\\') {
        escaped = true;
        i++;
        continue;
      }
      if (isSpace(ch)) break;
      if (escaped) {
        if (ch !== '<') val += '\\';
        escaped = false;
      }
      val += ch;
      i++;
    }
    const end = escaped ? i - 1 : i;
    if (escaped) {
      // `word\` then a line break: the break is skipped and the line continues.
      if (src[i] === '\n') {
        skipped++;
        i++;
      } else if (src[i] === '\r' && src[i + 1] === '\n') {
        skipped++;
        i += 2;
      } else if (i >= n) val += '\\';
    }
    tokens.push({ text: val, start, end: Math.max(start + 1, end), line: tokLine, quote: '' });
  }
  return { tokens, errors };
}

interface Heredoc {
  token: Token;
  end: number;
  lines: number;
}

/**
 * `<<MARKER` up to the end of its line opens a heredoc that ends at the next occurrence of MARKER.
 * Returns undefined when the text is an ordinary token (`<<` followed by a space), after recording
 * the errors Caddy would raise.
 */
function lexHeredoc(src: string, at: number, line: number, errors: LexError[]): Heredoc | undefined {
  let j = at + 2;
  while (j < src.length && src[j] !== '\n' && src[j] !== ' ') j++;
  if (src[j] !== '\n') return undefined; // `<< ` or end of file: a plain token
  const openerEnd = src[j - 1] === '\r' ? j - 1 : j;
  const opener = src.slice(at, openerEnd);
  if (opener.length === 2) {
    errors.push({ start: at, end: openerEnd, message: `missing opening heredoc marker on line #${line}; must contain only alpha-numeric characters, dashes and underscores; got empty string` });
    return undefined;
  }
  if (opener.startsWith('<<<')) {
    errors.push({ start: at, end: openerEnd, message: `too many '<' for heredoc on line #${line}; only use two, for example <<END` });
    return undefined;
  }
  const marker = opener.slice(2);
  if (!HEREDOC_MARKER.test(marker)) {
    errors.push({ start: at, end: openerEnd, message: `heredoc marker on line #${line} must contain only alpha-numeric characters, dashes and underscores; got '${marker}'` });
    return undefined;
  }
  const bodyStart = j + 1;
  const found = src.indexOf(marker, bodyStart);
  if (found < 0) {
    errors.push({ start: at, end: openerEnd, message: `incomplete heredoc <<${marker} on line #${line}, expected ending marker ${marker}` });
    return undefined;
  }
  const raw = src.slice(bodyStart, found + marker.length);
  const lastNl = raw.lastIndexOf('\n');
  const padding = raw.slice(lastNl + 1, raw.length - marker.length);
  const bodyLines = lastNl >= 0 ? raw.slice(0, lastNl + 1).split('\n').slice(0, -1) : [];
  let out = '';
  let lineStart = bodyStart;
  for (let k = 0; k < bodyLines.length; k++) {
    const text = bodyLines[k];
    if (text === '' || text === '\r') out += '\n';
    else if (!text.startsWith(padding)) {
      const shown = text.replace(/\r$/, '');
      errors.push({
        start: lineStart,
        end: lineStart + shown.length,
        message: `mismatched leading whitespace in heredoc <<${marker} on line #${line + k + 1} [${shown}], expected whitespace [${padding}] to match the closing marker`,
      });
      out += shown + '\n';
    } else out += (text.slice(padding.length) + '\n').replace(/\r/g, '');
    lineStart += text.length + 1;
  }
  if (out.endsWith('\n')) out = out.slice(0, -1);
  const end = found + marker.length;
  let lines = 0;
  for (let k = at; k < end; k++) if (src.charCodeAt(k) === 10) lines++;
  return { token: { text: out, start: at, end, line, quote: '<' }, end, lines };
}
