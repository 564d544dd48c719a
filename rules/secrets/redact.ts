/**
 * The one masking function of every output (CLI text/JSON/SARIF, exposure, stderr, the server's
 * diagnostics, code action titles, logs). Rules may mask too, but the adapters never trust that:
 * whatever leaves the process goes through a `Redactor`.
 *
 * What it masks: the secrets the run found (each `secrets/hardcoded-secret` finding carries its
 * value in `Finding.secret`, which no output serializes), provider key formats (detect.ts), the
 * password of `scheme://user:password@`, and the token after `Bearer`/`Basic`/`Token`. Every scan
 * is linear in the text: no backtracking regex runs over output.
 */
import type { Finding, Fix, RelatedLocation, TextEdit } from '../core/types';
import type { Exposure } from '../deployment/exposure-types';
import { findKeys, isPlaceholder, isReference, looksLikeSecret, mask } from './detect';

/** Shorter known secrets are not replaced everywhere: `admin1` would mangle unrelated words. */
const MIN_KNOWN = 6;
/**
 * A known secret shorter than this is masked only where it stands as a whole token: the password
 * `nextcloud` is masked in `(nextcloud)` and `u:nextcloud@db`, not in the service name
 * `nextcloud-app`. A longer one (a key) is masked wherever it appears.
 */
const ANYWHERE_KNOWN = 16;
const TOKEN_CHAR = /[A-Za-z0-9_.-]/;
/** How much of a name taken from the file a message shows. */
const NAME_CUT = 40;

export interface Redactor {
  text(s: string): string;
  finding(f: Finding): Finding;
  findings(fs: readonly Finding[]): Finding[];
  fix(f: Fix): Fix;
  exposure(e: Exposure): Exposure;
}

/** A redactor that knows these secrets (finding list: their `secret` fields) besides the patterns. */
export function redactor(known: Iterable<string | undefined> | readonly Finding[] = []): Redactor {
  // Every known secret is masked in free text (stderr, exposure). In a finding, a short one (a weak
  // password such as `nextcloud`, often also a name the deployment uses elsewhere) is masked only
  // in the findings of the file it was found in; a long one (a key) everywhere.
  const all = new Set<string>();
  const everywhere = new Set<string>();
  const shortOf = new Map<string, Set<string>>();
  for (const k of known as Iterable<string | Finding | undefined>) {
    const v = typeof k === 'string' ? k : k?.secret;
    if (!v || v.length < MIN_KNOWN) continue;
    all.add(v);
    if (typeof k === 'string' || v.length >= ANYWHERE_KNOWN) everywhere.add(v);
    else if (k) shortOf.set(k.file, (shortOf.get(k.file) ?? new Set()).add(v));
  }
  const list = [...all];
  const byFile = new Map<string, string[]>();
  const knownIn = (file: string): string[] => {
    let l = byFile.get(file);
    if (!l) byFile.set(file, (l = [...everywhere, ...(shortOf.get(file) ?? [])]));
    return l;
  };
  const fixWith = (secrets: readonly string[]) => (x: Fix): Fix => ({
    ...x,
    title: redactText(x.title, secrets),
    // `redacted` is the rule's own masked form of the edit (an `.env` line): preferred when present.
    edits: x.edits.map(({ redacted, ...e }): TextEdit => ({ ...e, newText: redactText(redacted ?? e.newText, secrets) })),
  });
  const finding = ({ secret: _secret, ...f }: Finding): Finding => {
    const secrets = knownIn(f.file);
    const text = (s: string) => redactText(s, secrets);
    return {
      ...f,
      message: text(f.message),
      fixes: f.fixes.map(fixWith(secrets)),
      ...(f.related ? { related: f.related.map((r): RelatedLocation => ({ ...r, message: text(r.message) })) } : {}),
    };
  };
  const text = (s: string) => redactText(s, list);
  return {
    text,
    fix: fixWith(list),
    finding,
    findings: (fs) => fs.map(finding),
    exposure: (e) => deepText(e, text) as Exposure,
  };
}

/** Every string of a plain JSON value through `text`, except paths (`file`). */
function deepText(v: unknown, text: (s: string) => string, key?: string): unknown {
  if (typeof v === 'string') return key === 'file' ? v : text(v);
  if (Array.isArray(v)) return v.map((x) => deepText(x, text));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepText(x, text, k)]));
  return v;
}

/** `s` with every known secret and every secret-shaped span masked (spans merged, masked once). */
export function redactText(s: string, known: readonly string[] = []): string {
  if (!s) return s;
  const spans: [number, number][] = [];
  for (const k of known) {
    for (let i = s.indexOf(k); i >= 0; i = s.indexOf(k, i + 1)) {
      const whole = !TOKEN_CHAR.test(s[i - 1] ?? ' ') && !TOKEN_CHAR.test(s[i + k.length] ?? ' ');
      if (whole || k.length >= ANYWHERE_KNOWN) spans.push([i, i + k.length]);
    }
  }
  for (const k of findKeys(s)) spans.push([k.start, k.end]);
  urlPasswords(s, spans);
  schemeTokens(s, spans);
  if (!spans.length) return s;
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let at = 0;
  for (let i = 0; i < spans.length; ) {
    let [start, end] = spans[i++];
    while (i < spans.length && spans[i][0] < end) end = Math.max(end, spans[i++][1]);
    if (start < at) start = at;
    out += s.slice(at, start) + mask(s.slice(start, end));
    at = end;
  }
  return out + s.slice(at);
}

const USERINFO_END = new Set(['/', '?', '#', '@', ' ', '\t', '\n', '\r', '"', "'", '`', '<', '>']);

/**
 * The password of each `scheme://user:password@`: from each `://`, the userinfo runs to the first
 * `@` before any `/`, blank or quote; every character is looked at once per `://` that precedes it
 * within one authority, so the scan stays linear.
 */
function urlPasswords(s: string, spans: [number, number][]): void {
  for (let i = s.indexOf('://'); i >= 0; i = s.indexOf('://', i + 3)) {
    const from = i + 3;
    let colon = -1;
    let j = from;
    for (; j < s.length && !USERINFO_END.has(s[j]); j++) if (s[j] === ':' && colon < 0) colon = j;
    if (s[j] !== '@' || colon < 0) continue;
    const pw = s.slice(colon + 1, j);
    if (pw && !isReference(pw)) spans.push([colon + 1, j]);
  }
}

const SCHEME = /\b(?:Bearer|Basic|Token|Bot|Digest)[ \t]+([A-Za-z0-9._~+/=:-]{8,})/g;

/** The credential after an HTTP authorization scheme (`Authorization: Bearer …`). */
function schemeTokens(s: string, spans: [number, number][]): void {
  if (!/Bearer|Basic|Token|Bot|Digest/.test(s)) return;
  SCHEME.lastIndex = 0;
  for (let m; (m = SCHEME.exec(s)); ) {
    const token = m[1];
    if (isReference(token) || isPlaceholder(token)) continue;
    const start = m.index + m[0].length - token.length;
    spans.push([start, start + token.length]);
  }
}

/**
 * A name taken from a file, as a message may quote it (an unknown directive, a setting): its first
 * token only, cut, control characters escaped, masked when it looks like a secret. A file the user
 * did not name (an `import` of `~/.git-credentials`) then shows no more than a word of itself.
 * `firstToken` false: the whole text (a section name, which may hold blanks), cut, escaped, masked.
 */
export function quotedName(raw: string, firstToken = true): string {
  const first = firstToken ? (/^\s*(\S*)/.exec(raw)?.[1] ?? '') : raw;
  // A name never holds `=`: what follows it is a value (`_authToken=…`), shown masked.
  const eq = first.indexOf('=');
  if (eq > 0) return `${quotedName(first.slice(0, eq), firstToken)}=${eq + 1 < first.length ? mask(first.slice(eq + 1)) : ''}`;
  if (secretish(first)) return mask(first);
  const cut = first.length > NAME_CUT ? first.slice(0, NAME_CUT) + '…' : first;
  return escapeControls(cut);
}

/**
 * A name that is a key: a known format, a URL password, or a part (between `:`, `/`, `@`) that
 * looks like a secret and mixes letters and digits. Directive names are letters and `_`, so a typo
 * (`proxy_set_headr`) is never taken for one despite its entropy.
 */
function secretish(name: string): boolean {
  if (findKeys(name).length || redactText(name) !== name) return true;
  return name.split(/[:/@]/).some((part) => part.length >= 8 && /\d/.test(part) && /[A-Za-z]/.test(part) && looksLikeSecret(part));
}

/** Control characters (and the bidi overrides that reorder a line) as `\xNN`/`\u{…}`. */
export function escapeControls(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const n = c.codePointAt(0)!;
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
  });
}
