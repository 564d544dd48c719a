/**
 * Corpus robustness: every Caddyfile of ../shared/corpus/caddy is linted with every caddy rule; no
 * rule may throw. The findings per rule are printed for review (false positives).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lintText } from '../../rules';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus/caddy');

describe('caddy corpus', () => {
  it('lints every corpus file without a rule throwing', () => {
    const perRule = new Map<string, number>();
    const names = readdirSync(CORPUS).sort();
    for (const name of names) {
      const file = path.join(CORPUS, name);
      const text = readFileSync(file, 'utf8');
      const { findings } = lintText(file, text, {
        format: 'caddy',
        onRuleError: ({ rule, error }) => {
          throw new Error(`${rule} threw on ${name}: ${(error as Error)?.stack ?? error}`);
        },
      });
      for (const f of findings) {
        perRule.set(f.rule, (perRule.get(f.rule) ?? 0) + 1);
        console.log(`  ${name}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.rule} ${f.message.slice(0, 110)}`);
      }
    }
    console.log(`caddy corpus: ${names.length} files; findings per rule: ${[...perRule].sort().map(([r, n]) => `${r}=${n}`).join(', ') || 'none'}`);
    assert.ok(names.length > 0);
  });
});
