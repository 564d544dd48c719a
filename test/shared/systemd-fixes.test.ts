/**
 * Fix validity against the real tool: every fix offered on every corpus file and fixture, applied,
 * leaves a file that `systemd-analyze verify` accepts at least as well as before, and a fix for what
 * systemd itself complains about removes that complaint.
 *
 * A fix may let systemd see more than before (a repaired header makes it read on; a renamed section
 * makes its settings live): a new complaint is accepted only when our linter reports it too on the
 * fixed file. Complaints about this machine (missing commands, units, users) are left out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, lintText } from '../../rules';
import { parseSystemd } from '../../rules/systemd/model';
import { ENVIRONMENTAL, hasSystemdAnalyze, inputs, reportLine, RULE_CLASS, theirClass, verify, type Verdict } from './systemd-tool';

interface Complaint {
  line: number | undefined;
  message: string;
}

function complaints(v: Verdict): Complaint[] {
  const all = [...v.lines.map(([line, message]) => ({ line, message })), ...v.unit.map((message) => ({ line: undefined, message }))];
  return all.map((c) => ({ ...c, message: c.message.replace(/pcx\d+-?/g, '') })).filter((c) => !ENVIRONMENTAL.test(c.message));
}

/** `class@line` of every finding our rules share with systemd. */
function predicted(file: string, text: string): Set<string> {
  const model = parseSystemd(text, file);
  const out = new Set<string>();
  for (const f of lintText(file, text, { format: 'systemd' }).findings) {
    const c = RULE_CLASS[f.rule];
    if (c) out.add(c === 'execstart' ? c : `${c}@${reportLine(model, text, f)}`);
  }
  return out;
}

const key = (c: Complaint) => {
  const cls = theirClass(c.message);
  return cls === 'execstart' ? cls : `${cls}@${c.line}`;
};

describe('systemd fixes keep units valid for systemd-analyze verify', { skip: !hasSystemdAnalyze && 'systemd-analyze is not installed' }, () => {
  it('applies every fix on every corpus file and fixture', () => {
    let checked = 0;
    const failures: string[] = [];
    for (const input of inputs()) {
      const { findings } = lintText(input.file, input.text, { format: 'systemd', onRuleError: ({ error }) => { throw error; } });
      const withFixes = findings.filter((f) => f.fixes.length);
      if (!withFixes.length) continue;
      const model = parseSystemd(input.text, input.file);
      const before = complaints(verify(input.file, input.text));
      for (const f of withFixes) {
        for (const fix of f.fixes) {
          const what = `${input.name}: "${fix.title}" (${f.rule} at ${f.range.start.line + 1})`;
          const { text: fixed, skipped } = applyEdits(input.text, fix.edits.filter((e) => !e.file || e.file === input.file));
          assert.equal(skipped.length, 0, `${what} has overlapping edits`);
          const after = complaints(verify(input.file, fixed));
          const ours = predicted(input.file, fixed);
          // New complaints: only those we report too.
          const left = [...before.map((c) => c.message)];
          for (const c of after) {
            const i = left.indexOf(c.message);
            if (i >= 0) left.splice(i, 1);
            else if (!theirClass(c.message) || !ours.has(key(c))) failures.push(`${what} made systemd say: ${c.line ?? ''} ${c.message}`);
          }
          // The complaint the finding stands for is gone.
          const cls = RULE_CLASS[f.rule];
          if (cls) {
            const line = reportLine(model, input.text, f);
            const target = before.find((c) => theirClass(c.message) === cls && (cls === 'execstart' || c.line === line));
            if (target && after.filter((c) => c.message === target.message).length >= before.filter((c) => c.message === target.message).length) {
              failures.push(`${what} did not remove: ${target.message}`);
            }
          }
          // Applied, the finding is gone, so applying the fix again changes nothing.
          const again = lintText(input.file, fixed, { format: 'systemd' }).findings.filter((g) => g.rule === f.rule && g.message === f.message && JSON.stringify(g.range) === JSON.stringify(f.range));
          if (again.some((g) => g.fixes.some((x) => x.title === fix.title))) failures.push(`${what} is offered again after it was applied`);
          checked++;
        }
      }
    }
    console.log(`systemd fixes: ${checked} fixes applied and verified with systemd-analyze verify`);
    assert.deepEqual(failures, []);
    assert.ok(checked > 10, 'fixes were exercised');
  });
});
