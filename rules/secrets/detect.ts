/**
 * What makes a value a secret: the key formats we know ourselves (the AI providers secretlint
 * lacks), secret-looking names, the values that are never secrets, and masking.
 */
import { authorities, hasUrlCredentials } from '../core/scan';

export interface KeyFormat {
  provider: string;
  /** Global, with lookarounds so a key inside a longer token does not match. */
  pattern: RegExp;
}

// Shapes from the providers' documentation and public key examples; boundaries keep a longer
// token (or a key glued to other text) from matching.
const B = '(?<![A-Za-z0-9_-])';
const E = '(?![A-Za-z0-9_-])';

export const KEY_FORMATS: readonly KeyFormat[] = [
  { provider: 'OpenRouter', pattern: new RegExp(`${B}sk-or-v1-[a-f0-9]{64}${E}`, 'g') },
  { provider: 'xAI', pattern: new RegExp(`${B}xai-[A-Za-z0-9]{80}${E}`, 'g') },
  { provider: 'Replicate', pattern: new RegExp(`${B}r8_[A-Za-z0-9]{37}${E}`, 'g') },
  { provider: 'LangSmith', pattern: new RegExp(`${B}lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}${E}`, 'g') },
  { provider: 'DeepSeek', pattern: new RegExp(`${B}sk-[a-f0-9]{32}${E}`, 'g') },
  { provider: 'Perplexity', pattern: new RegExp(`${B}pplx-[A-Za-z0-9]{48}${E}`, 'g') },
];

export interface KeyMatch {
  provider: string;
  /** Offsets into the searched string. */
  start: number;
  end: number;
}

/** Every format above starts with one of these: most values are ruled out by one cheap test. */
const PREFIXES = /sk-|xai-|r8_|lsv2_|pplx-/;

export function findKeys(value: string): KeyMatch[] {
  const out: KeyMatch[] = [];
  if (!PREFIXES.test(value)) return out;
  for (const f of KEY_FORMATS) {
    f.pattern.lastIndex = 0;
    for (let m; (m = f.pattern.exec(value)); ) out.push({ provider: f.provider, start: m.index, end: m.index + m[0].length });
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * `*_API_KEY`, `*_TOKEN`, `*_SECRET*`, `*PASSWORD*`, `*_PASS`, `*PRIVATE_KEY*`, `*_CREDENTIALS` and
 * their bare forms; `Authorization` (a header whose literal value is a credential).
 */
const SECRET_NAME = /(?:^|_)(?:API_?KEY|ACCESS_?KEY|AUTH_?KEY|TOKEN|SECRET|PASS|PASSWD|CREDENTIALS?|AUTHORIZATION)$|SECRET|PASSWORD|PRIVATE_?KEY/;
/** Names that hold a reference to a secret, or a property of one, never the secret. */
const NOT_SECRET_NAME = /(?:_FILE|_PATH|_DIR|_URL|_URI|_HOST|_PORT|_USER|_USERNAME|_NAME|_ID|_LENGTH|_LEN|_TTL|_EXPIRY|_EXPIRES?|_TIMEOUT|_HEADER|_TYPE|_ALGORITHM|_ENABLED|_REQUIRED|_POLICY|_MIN|_MAX|_COUNT)$/;

/** The name normalised: `x-api-key`, `--api-key`, `com.example.token` → `X_API_KEY`, `API_KEY`, `COM_EXAMPLE_TOKEN`. */
export function normalizeName(name: string): string {
  return name
    .replace(/^-+/, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

export function isSecretName(name: string | undefined): boolean {
  if (!name) return false;
  const n = normalizeName(name);
  return SECRET_NAME.test(n) && !NOT_SECRET_NAME.test(n);
}

const PLACEHOLDER_WORDS = new Set([
  'changeme', 'change_me', 'change-me', 'changethis', 'changeit', 'replaceme', 'replace_me', 'replace-me', 'placeholder', 'example',
  'secret', 'password', 'passwd', 'token', 'apikey', 'api_key', 'api-key', 'none', 'null', 'nil', 'undefined', 'dummy', 'fake', 'test',
  'todo', 'tbd', 'fixme', 'redacted', 'hidden', 'masked', 'default', 'empty', 'notset', 'not-set', 'unset',
]);

/**
 * A value that stands for a secret instead of being one: `changeme`, `xxx`, `sk-...`, `****`,
 * `your-api-key-here`, `<token>`, `[secret]`, `%SECRET%`, `REPLACE_WITH_…`.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  const lower = v.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower)) return true;
  if (/^<[^<>]*>$|^\[[^\]]*\]$|^%[^%]+%$|^\{\{.*\}\}$/.test(v)) return true;
  // Runs of x, *, ., #, - or 0 (`sk-xxxx`, `****`, `sk-...`), alone or after a short prefix.
  if (/^[A-Za-z0-9]{0,12}[-_]?(?:x{3,}|X{3,}|\*{3,}|\.{3,}|…|#{3,}|-{3,}|0{8,})[A-Za-z0-9]{0,4}$/.test(v)) return true;
  if (/^(?:your|my|insert|replace|enter|put|paste|change)[-_]/i.test(v)) return true;
  if (/(?:here|goes[-_]here|placeholder|example|changeme|redacted)$/i.test(v)) return true;
  return false;
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** `${VAR}`, `${VAR:-x}`, `${VAR:?err}`, `$VAR` (not `$$`), Caddy's `{$VAR}` and `{env.VAR}`. */
export function isReference(value: string): boolean {
  return /(^|[^$])(\$\$)*\$(\{|[A-Za-z_])|\{\$[A-Za-z_]|\{env\.[A-Za-z_]/.test(value);
}

/**
 * A literal that looks like a secret: at least 8 characters; not a number, boolean, sentence,
 * path, URL without credentials or header name; and either 3 or more bits of entropy per
 * character, or 16 or more characters mixing letters and digits.
 */
export function looksLikeSecret(value: string): boolean {
  const v = value.trim();
  if (v.length < 8 || v.length > 4096) return false;
  if (isReference(v) || isPlaceholder(v)) return false;
  if (/^[-+]?\d+(\.\d+)?$/.test(v)) return false;
  if (/^(true|false|yes|no|on|off)$/i.test(v)) return false;
  if (/\s/.test(v) && /^[A-Za-z,.'!?;:()-]+(\s+[A-Za-z,.'!?;:()-]+)+$/.test(v)) return false;
  if (/^(\/|\.\.?\/|~\/|[A-Za-z]:\\)/.test(v)) return false;
  // The first `://` is the scheme's: its authority decides (a scanner: no `[^/@\s]*:` backtracking).
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) && !hasUrlCredentials(v, 0, authorities(v).next().value)) return false;
  if (/^[A-Z][a-z]+(-[A-Z][a-z]+)+$/.test(v) || /^[a-z]+(-[a-z]+)+$/.test(v)) return false;
  if (entropy(v) >= 3) return true;
  return v.length >= 16 && /[A-Za-z]/.test(v) && /\d/.test(v);
}

/**
 * The value masked for every output: at most the first 5 and last 4 characters, never more than
 * half of it (`sk-pr…9f2k`).
 */
export function mask(value: string): string {
  const budget = Math.floor(value.length / 2);
  const head = Math.min(5, Math.ceil((budget * 5) / 9));
  const tail = Math.min(4, budget - head);
  return value.slice(0, head) + '…' + (tail > 0 ? value.slice(value.length - tail) : '');
}

/** A valid environment variable name made from a setting's name (`x-api-key` → `X_API_KEY`). */
export function variableName(name: string | undefined, fallback = 'SECRET'): string {
  const n = name ? normalizeName(name) : '';
  if (!n) return fallback;
  return /^[0-9]/.test(n) ? `_${n}` : n;
}
