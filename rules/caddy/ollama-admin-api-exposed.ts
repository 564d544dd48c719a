import type { Report, Rule } from '../core/types';
import { insertBefore } from './edit';
import type { CaddyModel, Directive } from './model';
import { anchorOf, describeMatcher, editAnchor, findMatcher, isOllama, lineSpan, onePerPlace, pathMatches, proxies, reachingPaths, related, upstreamsOf, type Scope } from './sites';

/** Ollama's endpoints that change what the server holds: download, upload, delete, create, copy models. */
export const OLLAMA_ADMIN_PATHS = ['/api/pull', '/api/push', '/api/delete', '/api/create', '/api/copy'];
const BLOCKING = new Set(['respond', 'abort', 'error']);

export const rule: Rule<CaddyModel> = {
  id: 'caddy/ollama-admin-api-exposed',
  format: 'caddy',
  severity: 'warning',
  summary: "Ollama is proxied without blocking its model-management endpoints",
  check(model, ctx) {
    const reports: Report[] = [];
    for (const { scope, p } of proxies(model, ctx)) {
      const upstream = upstreamsOf(p.d, ctx.services).find(isOllama);
      if (!upstream || scope.unknown) continue;
      const paths = reachingPaths(scope, p.d, true);
      const open = OLLAMA_ADMIN_PATHS.filter((a) => (!paths || paths.some((q) => pathMatches(q, a))) && !blocked(scope, a));
      if (!open.length) continue;
      const at = anchorOf(p);
      // The matcher and respond go above the proxy (or the import that brings it), in the site's body.
      const edit = editAnchor(p);
      const [start, end] = lineSpan(at);
      const name = freeMatcherName(scope);
      reports.push({
        range: ctx.range(start, end),
        message: `This proxy lets clients reach Ollama's ${open.join(', ')}: whoever can use it can download, overwrite and delete models. Answer them with 403.`,
        fixes: [{
          title: `Answer ${open.length === OLLAMA_ADMIN_PATHS.length ? "Ollama's admin endpoints" : open.join(' ')} with 403`,
          edits: [{ ...insertBefore(edit.source, edit.d, [`${name} path ${open.join(' ')}`, `respond ${name} 403`]), ...(edit.source.root ? {} : { file: edit.source.file }) }],
          preferred: true,
        }],
        ...related(p),
      });
    }
    return onePerPlace(reports, ctx.file);
  },
};

/** A respond/abort/error for the path in this scope or an enclosing one, or a handle that does so. */
function blocked(scope: Scope, path: string): boolean {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    for (const { d } of s.items) {
      const m = describeMatcher(s, d);
      const covers = !!m?.paths && !m.other && !m.access && m.paths.some((q) => pathMatches(q, path));
      if (!covers) continue;
      if (BLOCKING.has(d.name.text)) return true;
      if ((d.name.text === 'handle' || d.name.text === 'route') && firstIsBlocking(d)) return true;
    }
  }
  return false;
}

function firstIsBlocking(d: Directive): boolean {
  return (d.block?.directives ?? []).some((x) => BLOCKING.has(x.name.text) && !x.args[0]?.text.startsWith('@') && !x.args[0]?.text.startsWith('/'));
}

function freeMatcherName(scope: Scope): string {
  for (let i = 0; ; i++) {
    const name = i ? `@ollama_admin${i + 1}` : '@ollama_admin';
    if (!findMatcher(scope, name)) return name;
  }
}
