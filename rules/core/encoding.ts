import type { Finding, Format } from './types';

/**
 * How the real tools take a file's encoding (checked with nginx -t, caddy adapt, systemd-analyze
 * verify and docker-compose config on generated files):
 *
 *   |                | UTF-8 BOM           | UTF-16 (BOM)              | lone CR line ends          |
 *   | nginx          | refused (`unknown directive "\uFEFFevents"`) | refused | whitespace: accepted |
 *   | Caddy          | accepted            | refused                   | CR dropped: lines join     |
 *   | systemd        | accepted            | refused ("not UTF-8 clean") | line ends: accepted      |
 *   | docker-compose | accepted            | accepted (LE and BE)      | YAML line breaks: accepted |
 *
 * The text the rules see is decoded (no byte-order mark), so positions are the editor's; what a
 * tool refuses is reported once, at 0:0, as that format's syntax error.
 */

export type StoredEncoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be';

/** Why the format's own tool refuses a file stored this way; undefined when it reads it. */
export function encodingRefusal(format: Format, encoding: StoredEncoding | undefined): string | undefined {
  if (!encoding || encoding === 'utf8') return undefined;
  const utf16 = encoding === 'utf16le' || encoding === 'utf16be';
  switch (format) {
    case 'nginx':
      return utf16
        ? 'The file is UTF-16: nginx reads bytes as they are and fails on the first line (unknown directive). Save it as UTF-8 without a byte-order mark.'
        : 'The file starts with a UTF-8 byte-order mark: nginx reads it as part of the first directive\'s name and fails ("unknown directive"). Save it as UTF-8 without a byte-order mark.';
    case 'caddy':
      return utf16 ? 'The file is UTF-16: Caddy reads only UTF-8 and fails to parse it. Save it as UTF-8.' : undefined;
    case 'systemd':
      return utf16 ? 'The file is UTF-16: systemd ignores every line as "not UTF-8 clean" and the unit fails to load. Save it as UTF-8.' : undefined;
    default:
      return undefined;
  }
}

/** The syntax-error finding for a file its tool refuses by its encoding, or undefined. */
export function encodingFinding(file: string, format: Format, encoding: StoredEncoding | undefined): Finding | undefined {
  const message = encodingRefusal(format, encoding);
  if (!message) return undefined;
  return { rule: `${format}/syntax-error`, severity: 'error', file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message, fixes: [] };
}

/**
 * YAML's line breaks include a lone CR (as docker-compose reads it); the YAML library's lexer
 * takes only LF and CRLF. Each lone CR becomes an LF: same length, so every offset stays.
 */
export function yamlLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}
