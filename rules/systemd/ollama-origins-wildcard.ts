import type { Fix, Report, Rule, RuleContext } from '../core/types';
import { edit, envAssignments, literalRange, removeAssignment, type EnvAssignment } from './edit';
import type { Assignment, SystemdModel } from './model';

/** `*`, or any host of a web scheme (`http://*`); `moz-extension://*` and the like stay narrow. */
const WILDCARD = /^(\*|(https?|\*):\/\/\*(:\*)?\/?)$/i;

export const rule: Rule<SystemdModel> = {
  id: 'systemd/ollama-origins-wildcard',
  format: 'systemd',
  severity: 'warning',
  summary: 'OLLAMA_ORIGINS=* lets any web page call the Ollama API from the browser',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const a of model.assignments) {
      if (a.key !== 'Environment' || !a.section?.accepted) continue;
      for (const env of envAssignments(a)) {
        if (env.name !== 'OLLAMA_ORIGINS') continue;
        const origins = env.value.split(',');
        if (!origins.some((o) => WILDCARD.test(o.trim()))) continue;
        const r = literalRange(env.word, 0, env.word.value.length);
        reports.push({
          range: r ? ctx.range(r[0], r[1]) : ctx.range(env.word.start, env.word.end),
          message:
            'OLLAMA_ORIGINS allows every origin: any web page a user of this machine opens can send requests to Ollama (run, pull, delete models) through their browser. Ollama already allows localhost origins; list only the extra origins you need.',
          fixes: fixes(a, env, origins, ctx),
        });
      }
    }
    return reports;
  },
};

function fixes(a: Assignment, env: EnvAssignment, origins: string[], ctx: RuleContext): Fix[] {
  const narrow = origins.filter((o) => o.trim() && !WILDCARD.test(o.trim()));
  if (narrow.length) {
    // Keep the origins that are not wildcards; only when they are written without quotes or escapes.
    const r = literalRange(env.word, env.valueIndex, env.word.value.length);
    if (!r) return [];
    return [{ title: 'Remove the wildcard origin', edits: [edit(ctx, r[0], r[1], narrow.join(','))], preferred: true }];
  }
  // Nothing but wildcards: drop the variable (the whole line when it is alone on it).
  if (a.words.length === 1) return [{ title: 'Remove OLLAMA_ORIGINS (Ollama allows localhost origins by default)', edits: [removeAssignment(ctx, a)], preferred: true }];
  const i = a.words.indexOf(env.word);
  const start = i > 0 ? a.words[i - 1].end : env.word.start;
  const end = i > 0 ? env.word.end : a.words[i + 1].start;
  return [{ title: 'Remove OLLAMA_ORIGINS (Ollama allows localhost origins by default)', edits: [edit(ctx, start, end, '')], preferred: true }];
}
