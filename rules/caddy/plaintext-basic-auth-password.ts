import type { Report, Rule } from '../core/types';
import { walk, type CaddyModel } from './model';

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
        if ((d.name.text !== 'basic_auth' && d.name.text !== 'basicauth') || !d.block) return;
        for (const account of d.block.directives) {
          const password = account.args[0];
          if (account.name.text === 'import' || !password || account.name.text.includes('{args') || password.text.includes('{args')) continue;
          const value = password.text;
          if (HASH.test(value) || isBase64Hash(value) || PLACEHOLDER.test(value)) continue;
          const range = ctx.range(password.start, password.end);
          reports.push({
            range,
            message: `The password of "${account.name.text}" (${mask(value)}) is not a bcrypt or argon2id hash: Caddy compares it as a hash, so this login never works (and the secret sits in the file). Write the output of "caddy hash-password" instead.`,
            fixes: [{ title: 'Replace with {$AUTH_HASH} (set it to the output of caddy hash-password)', edits: [{ range, newText: '{$AUTH_HASH}' }], preferred: true }],
          });
        }
      });
    }
    return reports;
  },
};
