/**
 * Fix validity against the real nginx: every fix offered on our fixtures, applied alone, leaves a
 * file that `nginx -t` accepts (as it accepted the original); all preferred fixes applied together
 * until none is left make even the broken fixtures pass, and a second round changes nothing.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits, collectPreferredEdits, lintText } from '../../rules';
import { nginxAvailable, nginxTest } from './nginx-tool';

const fixtures = path.resolve(__dirname, '../fixtures/nginx/fixes');
const lint = (file: string, text: string) => lintText(file, text, { format: 'nginx', onRuleError: ({ error }) => { throw error; } }).findings;

describe('nginx: every fix passes nginx -t', { skip: !nginxAvailable && 'nginx or openssl not installed' }, () => {
  const files = readdirSync(fixtures).sort();
  let applied = 0;

  for (const name of files) {
    it(`${name}: each fix alone keeps nginx -t passing and removes its finding`, () => {
      const file = path.join('/work/project/nginx/conf.d', name);
      const text = readFileSync(path.join(fixtures, name), 'utf8');
      const before = nginxTest(text, name);
      const findings = lint(file, text);
      assert.ok(findings.some((f) => f.fixes.length), 'the fixture exercises at least one fix');
      for (const finding of findings) {
        for (const fix of finding.fixes) {
          const { text: fixed, skipped } = applyEdits(text, fix.edits);
          assert.equal(skipped.length, 0, `${finding.rule}: ${fix.title} has overlapping edits`);
          applied++;
          const after = lint(file, fixed);
          const same = after.find((f) => f.rule === finding.rule && f.message === finding.message && JSON.stringify(f.range) === JSON.stringify(finding.range));
          assert.equal(same, undefined, `${finding.rule}: "${fix.title}" removes its finding`);
          if (before.ok) {
            const verdict = nginxTest(fixed, name);
            assert.ok(verdict.ok, `${finding.rule}: "${fix.title}" breaks nginx -t: ${verdict.message}\n${fixed}`);
          }
        }
      }
    });

    it(`${name}: all preferred fixes together pass nginx -t, and a second round changes nothing`, () => {
      const file = path.join('/work/project/nginx/conf.d', name);
      let text = readFileSync(path.join(fixtures, name), 'utf8');
      for (let round = 0; round < 6; round++) {
        const { byFile } = collectPreferredEdits(lint(file, text));
        const edits = byFile.get(file) ?? [];
        if (!edits.length) break;
        text = applyEdits(text, edits).text;
      }
      assert.deepEqual(collectPreferredEdits(lint(file, text)).byFile.get(file) ?? [], [], 'no preferred fix is left');
      const verdict = nginxTest(text, name);
      assert.ok(verdict.ok, `nginx -t on the fixed file: ${verdict.message}\n${text}`);
    });
  }

  it('reports how many fixes were checked', () => {
    console.log(`nginx fixes: ${applied} fixes applied one by one on ${files.length} fixtures, each accepted by nginx -t`);
    assert.ok(applied > 0);
  });
});
