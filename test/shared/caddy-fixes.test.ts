/**
 * Fix validity against the real tool: every fix offered on every fixture is applied, and
 * `caddy adapt` (Debian's 2.6, with `basic_auth` renamed for it and the placeholders' env vars set,
 * AUTH_HASH to a real bcrypt hash) must accept the result whenever it accepted the original. The
 * finding must be gone after its fix. Fixtures Caddy 2.6 cannot read at all (a plugin, 2.7+ syntax)
 * are counted as not verifiable, with the reason from caddy-differential.test.ts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits, lintText, type Finding } from '../../rules';
import { caddyAdapt, caddyAvailable } from './caddy-tool';

const FIXTURES = path.resolve(__dirname, '../fixtures/caddy');

function lint(file: string, text: string): Finding[] {
  return lintText(file, text, { format: 'caddy', onRuleError: (e) => { throw e.error; } }).findings;
}

describe('caddy fixes keep the Caddyfile valid for caddy adapt', { skip: !caddyAvailable() && 'caddy is not installed' }, () => {
  it('every fix on every fixture', () => {
    let applied = 0;
    let verified = 0;
    const unverifiable = new Set<string>();
    const failures: string[] = [];
    const perRule = new Map<string, number>();
    for (const name of readdirSync(FIXTURES).filter((n) => n.endsWith('.Caddyfile')).sort()) {
      const file = path.join(FIXTURES, name);
      const text = readFileSync(file, 'utf8');
      const before = caddyAdapt(text);
      for (const f of lint(file, text)) {
        for (const fix of f.fixes) {
          const { text: fixed, skipped } = applyEdits(text, fix.edits.filter((e) => e.file === file));
          applied++;
          perRule.set(f.rule, (perRule.get(f.rule) ?? 0) + 1);
          if (skipped.length) failures.push(`${name}: ${fix.title}: overlapping edits`);
          const again = lint(file, fixed).filter((g) => g.rule === f.rule && JSON.stringify(g.range) === JSON.stringify(f.range) && g.message === f.message);
          if (again.length) failures.push(`${name}: ${f.rule} still reported after "${fix.title}"`);
          // A fix for a validation finding must turn a refused file into an accepted one.
          const repairs = f.rule === 'caddy/unknown-directive' || f.rule === 'caddy/undefined-snippet';
          if (!before.ok && !repairs) {
            unverifiable.add(name);
            continue;
          }
          const after = caddyAdapt(fixed);
          if (after.ok) verified++;
          else failures.push(`${name}: "${fix.title}" (${f.rule}) breaks caddy adapt: ${after.message}\n${fixed}`);
        }
      }
    }
    console.log(`caddy fixes: ${applied} applied, ${verified} verified by caddy adapt 2.6; not verifiable (Caddy 2.6 refuses the original): ${[...unverifiable].join(', ') || 'none'}`);
    console.log(`caddy fixes per rule: ${[...perRule].map(([r, n]) => `${r}=${n}`).join(', ')}`);
    assert.deepEqual(failures, []);
  });

  it('all preferred fixes of a file together, as --fix applies them', () => {
    for (const name of ['ollama-three-lines.Caddyfile', 'ollama-spaces-crlf.Caddyfile', 'ollama-snippet.Caddyfile', 'ollama-handle.Caddyfile', 'plaintext-password.Caddyfile']) {
      const file = path.join(FIXTURES, name);
      let text = readFileSync(file, 'utf8');
      for (let pass = 0; pass < 5; pass++) {
        const edits = lint(file, text).flatMap((f) => f.fixes.find((x) => x.preferred)?.edits ?? []);
        if (!edits.length) break;
        text = applyEdits(text, edits).text;
      }
      const result = caddyAdapt(text);
      assert.ok(result.ok, `${name} after --fix: ${result.message}\n${text}`);
      const left = lint(file, text).filter((f) => f.fixes.length > 0);
      assert.deepEqual(left.map((f) => f.rule), [], `${name}: fixable findings left after --fix:\n${text}`);
    }
  });
});
