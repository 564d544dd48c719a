/**
 * `# portcullis-disable-next-line rule[, rule]` silences the next line; `# portcullis-disable rule`
 * silences the rest of the file (until `# portcullis-enable rule`). No rule named = every rule.
 * Every format accepts `#` comment lines, so one line scan serves them all.
 */

export interface Suppressions {
  isSuppressed(rule: string, line: number): boolean;
}

const DIRECTIVE = /^[ \t]*#[ \t]*portcullis-(disable-next-line|disable|enable)\b(.*)$/;

interface Span {
  rules: Set<string> | 'all';
  from: number;
  to: number;
}

export function scanSuppressions(text: string): Suppressions {
  if (!text.includes('portcullis-')) return { isSuppressed: () => false };
  const spans: Span[] = [];
  const open = new Map<string, number>(); // rule (or '*') -> first silenced line
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]);
    if (!m) continue;
    const names = m[2]
      .replace(/--.*$/, '') // `-- reason` after the rule list, as ESLint allows
      .split(/[\s,]+/)
      .filter(Boolean);
    const rules: Set<string> | 'all' = names.length ? new Set(names) : 'all';
    if (m[1] === 'disable-next-line') {
      // The next line that is not itself a comment directive.
      let next = i + 1;
      while (next < lines.length && DIRECTIVE.test(lines[next])) next++;
      spans.push({ rules, from: next, to: next });
    } else if (m[1] === 'disable') {
      for (const r of rules === 'all' ? ['*'] : rules) if (!open.has(r)) open.set(r, i + 1);
    } else {
      for (const r of rules === 'all' ? [...open.keys()] : rules) {
        const from = open.get(r);
        if (from === undefined) continue;
        spans.push({ rules: r === '*' ? 'all' : new Set([r]), from, to: i });
        open.delete(r);
      }
    }
  }
  for (const [r, from] of open) spans.push({ rules: r === '*' ? 'all' : new Set([r]), from, to: Number.MAX_SAFE_INTEGER });
  return {
    isSuppressed(rule, line) {
      return spans.some((s) => line >= s.from && line <= s.to && (s.rules === 'all' || s.rules.has(rule)));
    },
  };
}
