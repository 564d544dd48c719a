/** Robustness: every systemd file of the corpus lints without an exception; findings per rule are printed for review. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lintText } from '../../rules';

const CORPUS = path.join(path.resolve(__dirname, '../../../shared'), 'corpus/systemd');

describe('systemd corpus', () => {
  it('lints every corpus unit and drop-in without an exception', () => {
    const names = readdirSync(CORPUS).filter((n) => !n.startsWith('MANIFEST') && !n.startsWith('README'));
    assert.ok(names.length >= 39, `corpus has ${names.length} systemd files`);
    const perRule = new Map<string, number>();
    for (const name of names.sort()) {
      const text = readFileSync(path.join(CORPUS, name), 'utf8');
      // The corpus flattens the original path's `/` to `__`; drop-ins need their `<unit>.d/` folder back.
      const file = '/corpus/' + name.replace(/__/g, '/');
      const { findings } = lintText(file, text, {
        format: 'systemd',
        onRuleError: ({ rule, error }) => {
          throw new Error(`${rule} threw on ${name}: ${(error as Error)?.stack ?? error}`);
        },
      });
      for (const f of findings) {
        perRule.set(f.rule, (perRule.get(f.rule) ?? 0) + 1);
        assert.ok(f.range.start.line >= 0 && f.range.end.line >= f.range.start.line, `range of ${f.rule} in ${name}`);
      }
    }
    console.log(`systemd corpus: ${names.length} files; findings per rule: ${JSON.stringify(Object.fromEntries([...perRule].sort()))}`);
  });
});
