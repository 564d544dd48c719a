import type { Report, Rule } from '../core/types';
import { locationMatch } from './analysis';
import { named, type NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/alias-traversal',
  format: 'nginx',
  severity: 'warning',
  summary: 'alias in a location whose path lets /files../ reach the parent directory',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const d of named(model, 'alias')) {
      if (!d.args[0] || d.parent?.name !== 'location') continue;
      const m = locationMatch(d.parent);
      if (!m) continue;
      const alias = d.args[0].value;
      let why: string | undefined;
      if ((m.kind === 'prefix' || m.kind === 'noregex') && !m.uri.endsWith('/') && alias.endsWith('/')) {
        why = `location ${m.uri} has no trailing slash but its alias does: ${m.uri}../ maps to ${alias}../, the directory above`;
      } else if ((m.kind === 'prefix' || m.kind === 'noregex') && !m.uri.endsWith('/') && !alias.includes('$') && !/\.\w+$/.test(m.uri)) {
        why = `location ${m.uri} has no trailing slash, so it also matches ${m.uri}_old/…, served from ${alias}_old/: every sibling of ${alias} whose name starts the same is reachable`;
      } else if (m.kind === 'regex' || m.kind === 'regex-i') {
        why = regexTraversal(m.uri, alias);
      }
      if (!why) continue;
      reports.push({ range: ctx.range(d.start, d.end), message: `Path traversal through alias: ${why}.` });
    }
    return reports;
  },
};

/** A capture that can hold ".." and is not anchored after a "/" on both sides lets "..": reach the parent. */
function regexTraversal(regex: string, alias: string): string | undefined {
  for (const ref of alias.matchAll(/\$(\d)/g)) {
    const n = Number(ref[1]);
    const group = captureGroup(regex, n);
    if (!group) continue;
    if (group.body.startsWith('/') || !canHoldDot(group.body)) continue;
    const slashBeforeGroup = regex[group.start - 1] === '/';
    const slashBeforeRef = alias[ref.index! - 1] === '/';
    if (slashBeforeGroup && slashBeforeRef) continue;
    return `capture $${n} (${group.body}) can be "..", and the alias puts it right after "${alias.slice(0, ref.index)}"`;
  }
  return undefined;
}

function captureGroup(regex: string, n: number): { start: number; body: string } | undefined {
  let count = 0;
  for (let i = 0; i < regex.length; i++) {
    if (regex[i] === '\\') {
      i++;
      continue;
    }
    if (regex[i] !== '(' || regex[i + 1] === '?') continue;
    if (++count !== n) continue;
    let depth = 0;
    for (let j = i; j < regex.length; j++) {
      if (regex[j] === '\\') j++;
      else if (regex[j] === '(') depth++;
      else if (regex[j] === ')' && --depth === 0) return { start: i, body: regex.slice(i + 1, j) };
    }
  }
  return undefined;
}

function canHoldDot(body: string): boolean {
  if (/^\[\^[^\]]*(\\\.|\.)[^\]]*\][*+]?$/.test(body)) return false;
  return /\.|\\S|\\W|\[\^/.test(body) && !/^[\w|-]+$/.test(body);
}

