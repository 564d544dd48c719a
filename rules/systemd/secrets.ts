import type { RuleContext, SecretCandidate } from '../core/types';
import { envAssignments } from './edit';
import { literalSpan, type Assignment, type SystemdModel, type Word } from './model';

const EXEC = /^Exec(Start|StartPre|StartPost|Condition|Reload|Stop|StopPost)$/;
const FLAG = /^--?[A-Za-z][A-Za-z0-9_.-]*$/;

/**
 * The values `secrets/hardcoded-secret` checks in a unit: each `NAME=value` of `Environment=`, and
 * the arguments of `Exec*=` commands (`--flag=value`, `--flag value`, bare words). No automatic
 * move: `Environment=` has no way to reference another variable, so the fix needs an
 * `EnvironmentFile=` line, which the secrets rule's move does not express yet.
 */
export function systemdSecretCandidates(model: SystemdModel, _ctx: RuleContext): SecretCandidate[] {
  const out: SecretCandidate[] = [];
  for (const a of model.assignments) {
    if (!a.section?.accepted) continue;
    if (a.key === 'Environment') {
      for (const env of envAssignments(a)) out.push(candidate(env.name, env.word, env.valueIndex, 'env'));
    } else if (EXEC.test(a.key)) {
      out.push(...execArgs(a));
    }
  }
  return out;
}

function candidate(name: string | undefined, word: Word, from: number, where: SecretCandidate['where']): SecretCandidate {
  const value = word.value.slice(from);
  const span = literalSpan(word, from, word.value.length);
  return span ? { name, value, valueSpan: span, where } : { name, value, valueSpan: [word.start, word.end], where, inexact: true };
}

function execArgs(a: Assignment): SecretCandidate[] {
  const out: SecretCandidate[] = [];
  // The first word is the command (with its `-`, `@`, `+`, `!` prefixes).
  for (let i = 1; i < a.words.length; i++) {
    const w = a.words[i];
    const flag = /^(--?[A-Za-z][A-Za-z0-9_.-]*)=/.exec(w.value);
    if (flag) {
      out.push(candidate(flag[1], w, flag[0].length, 'arg'));
      continue;
    }
    if (FLAG.test(w.value)) continue;
    const prev = a.words[i - 1].value;
    out.push(candidate(i > 1 && FLAG.test(prev) ? prev : undefined, w, 0, 'arg'));
  }
  return out;
}
