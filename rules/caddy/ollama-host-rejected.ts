import { classifyAddress } from '../knowledge/services';
import type { Report, Rule } from '../core/types';
import { addToBlock } from './edit';
import { lintedOnItsOwn } from './imports';
import type { CaddyModel } from './model';
import { anchorOf, blockItems, isOllama, lineSpan, onePerPlace, proxies, related, upstreamsOf, writtenAt, type Placed } from './sites';

/** `Host` values Ollama accepts when it listens on loopback, or that Caddy fills with the upstream's. */
const ACCEPTED_HOST = /^(localhost|127\.[\d.]+|\[?::1\]?)(:\d+)?$|^\{(upstream_hostport|upstream_host|http\.reverse_proxy\.upstream\.(hostport|host))\}$/i;

export const rule: Rule<CaddyModel> = {
  id: 'caddy/ollama-host-rejected',
  format: 'caddy',
  severity: 'warning',
  summary: 'reverse_proxy to Ollama on loopback passes the client Host, which Ollama answers with 403',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const { p } of proxies(model, ctx)) {
      // A reverse_proxy written in a file the workspace lints by itself is reported there, once:
      // what this rule reads is all in the directive's own block.
      if (!p.source.root && lintedOnItsOwn(p.source)) continue;
      const d = p.d;
      const upstream = upstreamsOf(d, ctx.services).find((u) => isOllama(u) && u.scheme !== 'https' && classifyAddress(u.host) === 'loopback');
      if (!upstream) continue;
      const subs = blockItems(model, ctx, p);
      if (subs.unknown || setsHost(subs.items)) continue;
      const port = upstream.port ?? 11434;
      const [start, end] = lineSpan(anchorOf(p));
      // An explicit `header_up Host {host}` is rewritten in place: a second Host line would lose to it.
      const explicit = clientHostLine(subs.items);
      // The edit goes where the lines are written, in whichever file that is.
      const where = explicit ?? p;
      const file = where.source.root ? {} : { file: where.source.file };
      const edit = explicit ? { range: explicit.source.range(explicit.value.start, explicit.value.end), newText: `localhost:${port}`, ...file } : { ...addToBlock(p.source, d, [`header_up Host localhost:${port}`]), ...file };
      reports.push({
        range: ctx.range(start, end),
        message: `Caddy passes the client's Host header to ${upstream.token.text}${writtenAt(p, ctx.file)}; Ollama listening on loopback answers 403 to any Host that is not local, so every request through this proxy fails. Set "header_up Host localhost:${port}".`,
        fixes: [{ title: explicit ? `Send "Host: localhost:${port}" instead of the client's` : `Add "header_up Host localhost:${port}"`, edits: [edit], preferred: true }],
        ...related(p),
      });
    }
    return onePerPlace(reports, ctx.file);
  },
};

const CLIENT_HOST = /^\{(host|hostport|http\.request\.host|http\.request\.hostport)\}$/;

function clientHostLine(items: readonly Placed[]) {
  const line = items.find(({ d: s }) => s.name.text === 'header_up' && s.args[0]?.text.toLowerCase() === 'host' && CLIENT_HOST.test(s.args[1]?.text ?? ''));
  return line && { value: line.d.args[1], source: line.source };
}

/** Whether Host is rewritten to something Ollama accepts (a rewrite to the client's own is the problem). */
function setsHost(items: readonly Placed[]): boolean {
  for (const { d: s } of items) {
    if (s.name.text !== 'header_up' || s.args[0]?.text.toLowerCase() !== 'host') continue;
    const value = s.args[1]?.text ?? '';
    if (ACCEPTED_HOST.test(value) || !CLIENT_HOST.test(value)) return true;
  }
  return false;
}
