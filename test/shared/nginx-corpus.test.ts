/**
 * Robustness on real-world configs: every nginx file of the shared corpus is linted with every
 * rule, no rule throws, and the findings per rule are printed for false-positive review.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lintText } from '../../rules';

const corpus = path.resolve(__dirname, '../../../shared', 'corpus', 'nginx');

describe('nginx: the shared corpus', () => {
  it('lints every corpus file without a rule throwing, and prints the findings per rule', () => {
    const perRule = new Map<string, number>();
    const files = readdirSync(corpus).sort();
    for (const name of files) {
      const text = readFileSync(path.join(corpus, name), 'utf8');
      const { findings } = lintText(path.join('/work/project/nginx', name), text, {
        format: 'nginx',
        onRuleError: ({ rule, error }) => {
          throw new Error(`${rule} threw on ${name}: ${(error as Error)?.stack ?? error}`);
        },
      });
      for (const f of findings) {
        perRule.set(f.rule, (perRule.get(f.rule) ?? 0) + 1);
        assert.ok(f.range.start.line >= 0 && f.range.end.line >= f.range.start.line, `${name}: a sane range`);
      }
    }
    console.log(`nginx corpus: ${files.length} files`);
    for (const [rule, n] of [...perRule].sort()) console.log(`  ${rule}: ${n}`);
    assert.ok(files.length > 0);
  });
});
