import type { Report, Rule, TextEdit } from '../core/types';
import { effective, foreignAtLevel, holder, knownTargets, proxyHeaders } from './analysis';
import { insertAfter, replaceArgs } from './edit';
import { setHeadersEdits } from './headers';
import type { NginxModel } from './model';
import { append } from '../core/arrays';

export const rule: Rule<NginxModel> = {
  id: 'nginx/websocket-headers-missing',
  format: 'nginx',
  severity: 'warning',
  summary: 'A WebSocket service proxied without HTTP/1.1 and the Upgrade/Connection headers',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const t of knownTargets(model, ctx.services, (s) => s.websocket, ctx)) {
      const headers = proxyHeaders(model, t, ctx);
      const [version] = effective(model, t.directive, 'proxy_http_version', ctx);
      const upgrade = headers.get('Upgrade');
      const connection = headers.get('Connection');
      const missing: string[] = [];
      const needHeaders: { name: string; value: string }[] = [];
      if (version?.args[0]?.value !== '1.1') missing.push('proxy_http_version 1.1');
      if (!upgrade || !/\$http_upgrade/.test(upgrade.args[1]?.value ?? '')) {
        missing.push('the Upgrade header');
        needHeaders.push({ name: 'Upgrade', value: '$http_upgrade' });
      }
      if (!connection || !/upgrade/i.test(connection.args[1]?.value ?? '')) {
        missing.push('the Connection header');
        needHeaders.push({ name: 'Connection', value: 'upgrade' });
      }
      if (!missing.length) continue;
      const { location, anchor } = holder(t);
      const edits: TextEdit[] = [];
      let fixable = !!location && !foreignAtLevel(model, location, version, ctx);
      if (version?.args[0]?.value !== '1.1') {
        if (version && version.parent === location) edits.push(replaceArgs(ctx, version, '1.1'));
        else edits.push(insertAfter(ctx, anchor, ['proxy_http_version 1.1;']));
      }
      if (needHeaders.length) {
        const headerEdits = setHeadersEdits(ctx, t, headers, needHeaders);
        if (headerEdits) append(edits, headerEdits);
        else fixable = false;
      }
      reports.push({
        range: ctx.range(t.directive.start, t.directive.end),
        message: `${t.service!.name} needs WebSockets, but this proxy lacks ${missing.join(', ')}: nginx speaks HTTP/1.0 to upstreams and drops the hop-by-hop Upgrade headers, so the connection never upgrades.`,
        fixes: fixable ? [{ title: 'Add the WebSocket proxy settings', edits: mergeInsertions(edits), preferred: true }] : [],
      });
    }
    return reports;
  },
};

/** Two insertions at one place become one, in order, so applying them never interleaves. */
function mergeInsertions(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of edits) {
    const same = out.find((o) => JSON.stringify(o.range) === JSON.stringify(e.range) && o.range.start.line === o.range.end.line && o.range.start.character === o.range.end.character);
    if (same && e.range.start.character === e.range.end.character) same.newText += e.newText;
    else out.push(e);
  }
  return out;
}
