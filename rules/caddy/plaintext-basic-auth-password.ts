import type { Report, Rule } from '../core/types';
import { lintedOnItsOwn } from './imports';
import { walk, type CaddyModel, type Directive } from './model';
import { anchorOf, lineSpan, onePerPlace, scopes, writtenAt } from './sites';

const HASH = /^(\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}|\$argon2id\$.+)$/;
const PLACEHOLDER = /^\{(\$[^}]+|env\.[^}]+|file\.[^}]+|vault\.[^}]+|secret\.[^}]+|args\[[^\]]*\]|[a-z_.]+)\}$/i;

/**
 * Before Caddy 2.8 hashes were written base64-encoded: `$2a$`, `$2b$`, `$2y$` encode as `JDJhJ`,
 * `JDJiJ`, `JDJ5J` (a bcrypt hash is 60 characters, 80 in base64).
 */
function isBase64Hash(s: string): boolean {
  return /^JDJ[hiy]J[A-Za-z0-9+/]{75}$/.test(s) || /^JGFyZ29uMmlkJ[A-Za-z0-9+/]+={0,2}$/.test(s);
}

/** `sk-pr…9f2k`: enough to recognise a value, never the value. */
export function mask(value: string): string {
  if (value.length <= 6) return '…';
  return `${value.slice(0, 2)}…${value.slice(-2)}`;
}

export const rule: Rule<CaddyModel> = {
  id: 'caddy/plaintext-basic-auth-password',
  format: 'caddy',
  severity: 'error',
  summary: 'A basic_auth password that is not a bcrypt or argon2id hash',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const block of model.blocks) {
      walk(block.directives, (d) => {
        for (const password of plaintextPasswords(d)) {
          const range = ctx.range(password.start, password.end);
          reports.push({ range, message: message(password), fixes: [fix({ range, newText: '{$AUTH_HASH}' })] });
        }
      });
    }
    // A file imported into a site that the workspace does not lint by itself: reported at the import.
    for (const scope of scopes(model, ctx)) {
      for (const p of scope.items) {
        if (p.source.root || lintedOnItsOwn(p.source)) continue;
        walk([p.d], (d) => {
          for (const password of plaintextPasswords(d)) {
            const [start, end] = lineSpan(anchorOf(p));
            const range = p.source.range(password.start, password.end);
            reports.push({
              range: ctx.range(start, end),
              message: message(password) + writtenAt(p, ctx.file),
              fixes: [fix({ file: p.source.file, range, newText: '{$AUTH_HASH}' })],
              related: [{ file: p.source.file, range, message: 'the password written here' }],
            });
          }
        });
      }
    }
    return onePerPlace(reports, ctx.file);
  },
};

interface Password {
  account: string;
  text: string;
  start: number;
  end: number;
}

/** The passwords of a `basic_auth` block that are neither a hash nor a placeholder. */
function plaintextPasswords(d: Directive): Password[] {
  if ((d.name.text !== 'basic_auth' && d.name.text !== 'basicauth') || !d.block) return [];
  const out: Password[] = [];
  for (const account of d.block.directives) {
    const password = account.args[0];
    if (account.name.text === 'import' || !password || account.name.text.includes('{args') || password.text.includes('{args')) continue;
    const value = password.text;
    if (HASH.test(value) || isBase64Hash(value) || PLACEHOLDER.test(value)) continue;
    out.push({ account: account.name.text, text: value, start: password.start, end: password.end });
  }
  return out;
}

function message(p: Password): string {
  return `The password of "${p.account}" (${mask(p.text)}) is not a bcrypt or argon2id hash: Caddy compares it as a hash, so this login never works (and the secret sits in the file). Write the output of "caddy hash-password" instead.`;
}

function fix(edit: { file?: string; range: Report['range']; newText: string }) {
  return { title: 'Replace with {$AUTH_HASH} (set it to the output of caddy hash-password)', edits: [edit], preferred: true };
}
