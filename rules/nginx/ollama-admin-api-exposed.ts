import type { Report, Rule } from '../core/types';
import { effective, enclosing, findLocation, knownTargets, locationMatch } from './analysis';
import { indentUnit, insertAtBlockStart, insertBefore } from './edit';
import type { NginxModel } from './model';

const ADMIN = ['pull', 'push', 'delete', 'create', 'copy'];

export const rule: Rule<NginxModel> = {
  id: 'nginx/ollama-admin-api-exposed',
  format: 'nginx',
  severity: 'warning',
  summary: "Ollama's model-management endpoints reachable through the proxy",
  check(model, ctx) {
    const reports: Report[] = [];
    for (const t of knownTargets(model, ctx.services, (s) => s.name === 'Ollama', ctx)) {
      const location = enclosing(t.directive, 'location');
      const m = location && locationMatch(location);
      if (!location || !m || (m.kind !== 'prefix' && m.kind !== 'noregex' && m.kind !== 'exact')) continue;
      if (effective(model, t.directive, ['allow', 'deny'], ctx).some((a) => a.name === 'deny' && a.args[0]?.value === 'all')) continue;
      // The client path that reaches /api/… upstream: the location's prefix replaces the proxy_pass URI.
      const upstreamUri = t.uri ?? '';
      if (upstreamUri && !'/api/'.startsWith(upstreamUri)) continue;
      const clientApi = upstreamUri ? m.uri + '/api/'.slice(upstreamUri.length) : '/api/';
      if (!upstreamUri && !'/api/'.startsWith(m.uri) && !m.uri.startsWith('/api/')) continue;
      const level = location.parent ? location.parent.block!.children : model.root;
      const exposed = ADMIN.filter((e) => findLocation(level, clientApi + e).location === location);
      if (!exposed.length) continue;
      const unit = indentUnit(ctx.text, location);
      const pattern = `^${clientApi.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(${ADMIN.join('|')})`;
      const lines = [`location ~ ${/[\s;{}"']/.test(pattern) ? `"${pattern}"` : pattern} {`, `${unit}deny all;`, '}'];
      // A ^~ or = location is never followed by a regex check: the block goes inside it.
      const edit = m.kind === 'prefix' ? insertBefore(ctx, location, lines) : insertAtBlockStart(ctx, location, lines);
      reports.push({
        range: ctx.range(t.directive.start, t.directive.end),
        message: `Ollama's model-management API (${exposed.map((e) => `/api/${e}`).join(', ')}) is reachable through this proxy: whoever can call it can download models to fill the disk, delete or overwrite yours, and push them out.`,
        fixes: [{ title: `Deny ${clientApi}{${ADMIN.join(',')}}`, edits: [edit], preferred: true }],
      });
    }
    return reports;
  },
};
