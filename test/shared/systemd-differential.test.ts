/**
 * Differential test: on every corpus file and fixture, our syntax verdicts agree with
 * `systemd-analyze verify`, line by line, for unknown keys and sections, assignments outside of a
 * section, syntax errors (broken headers, lines without `=` or key, Environment= words systemd
 * rejects), and the refusal of a second ExecStart=. Every disagreement is listed below with its reason.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintText } from '../../rules';
import { parseSystemd } from '../../rules/systemd/model';
import { hasSystemdAnalyze, inputs, reportLine, RULE_CLASS, theirClass, verify } from './systemd-tool';

/** file -> the verdicts that differ (`ours:` or `theirs:` + `class@line`), and why. */
const ALLOWED: Record<string, { diff: string[]; reason: string }> = {};

describe('systemd differential against systemd-analyze verify', { skip: !hasSystemdAnalyze && 'systemd-analyze is not installed' }, () => {
  it('agrees line by line on every corpus file and fixture', () => {
    let agreeing = 0;
    let allowed = 0;
    let compared = 0;
    const unexpected: string[] = [];
    const stale: string[] = [];
    const all = inputs();
    for (const input of all) {
      const model = parseSystemd(input.text, input.file);
      const findings = lintText(input.file, input.text, { format: 'systemd', onRuleError: ({ error }) => { throw error; } }).findings;
      const verdict = verify(input.file, input.text);
      // systemd stops reading at a broken section header or a setting error it deems fatal (a bad
      // specifier in an Exec*= line): nothing after that line is compared.
      let fatal = verdict.lines.find(([, m]) => m.startsWith('Invalid section header'))?.[0] ?? Infinity;
      if (verdict.unit.some((l) => l.includes('Unit configuration has fatal error'))) fatal = Math.min(fatal, Math.max(...verdict.lines.map(([l]) => l)));

      const theirs = new Set<string>();
      for (const [line, message] of verdict.lines) {
        const c = theirClass(message);
        if (c) theirs.add(`${c}@${line}`);
      }
      if (verdict.unit.some((l) => theirClass(l) === 'execstart')) theirs.add('execstart');

      const ours = new Set<string>();
      for (const f of findings) {
        const c = RULE_CLASS[f.rule];
        if (c === 'execstart') ours.add(c);
        if (!c || c === 'execstart') continue;
        const line = reportLine(model, input.text, f);
        if (line <= fatal) ours.add(`${c}@${line}`);
      }

      const diff = [...[...ours].filter((k) => !theirs.has(k)).map((k) => `ours:${k}`), ...[...theirs].filter((k) => !ours.has(k)).map((k) => `theirs:${k}`)].sort();
      compared += new Set([...ours, ...theirs]).size;
      const expected = ALLOWED[input.name]?.diff ?? [];
      if (!diff.length && !expected.length) agreeing++;
      else if (JSON.stringify(diff) === JSON.stringify([...expected].sort())) allowed++;
      else if (diff.length) unexpected.push(`${input.name}: ${diff.join(', ')} (systemd said: ${JSON.stringify(verdict)})`);
      else stale.push(`${input.name}: allowlisted ${expected.join(', ')} no longer differs`);
    }
    console.log(`systemd differential: ${agreeing}/${all.length} files agree exactly, ${allowed} with allowlisted disagreements; ${compared} verdicts compared`);
    assert.deepEqual(unexpected, [], 'unlisted disagreements');
    assert.deepEqual(stale, [], 'stale allowlist entries');
  });
});
