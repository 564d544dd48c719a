import { classifyAddress } from '../knowledge/services';
import type { Report, Rule } from '../core/types';
import { addToBlock } from './edit';
import type { CaddyModel, Directive } from './model';
import { isOllama, lineSpan, proxies, upstreamsOf } from './sites';

/** `Host` values Ollama accepts when it listens on loopback, or that Caddy fills with the upstream's. */
const ACCEPTED_HOST = /^(localhost|127\.[\d.]+|\[?::1\]?)(:\d+)?$|^\{(upstream_hostport|upstream_host|http\.reverse_proxy\.upstream\.(hostport|host))\}$/i;

export const rule: Rule<CaddyModel> = {
  id: 'caddy/ollama-host-rejected',
  format: 'caddy',
  severity: 'warning',
  summary: 'reverse_proxy to Ollama on loopback passes the client Host, which Ollama answers with 403',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const { p } of proxies(model)) {
      const d = p.d;
      const upstream = upstreamsOf(d, ctx.services).find((u) => isOllama(u) && u.scheme !== 'https' && classifyAddress(u.host) === 'loopback');
      if (!upstream || setsHost(d) !== false) continue;
      const port = upstream.port ?? 11434;
      const [start, end] = lineSpan(d);
      // An explicit `header_up Host {host}` is rewritten in place: a second Host line would lose to it.
      const explicit = clientHostLine(d);
      const edit = explicit ? { range: ctx.range(explicit.start, explicit.end), newText: `localhost:${port}` } : addToBlock(ctx, d, [`header_up Host localhost:${port}`]);
      reports.push({
        range: ctx.range(start, end),
        message: `Caddy passes the client's Host header to ${upstream.token.text}; Ollama listening on loopback answers 403 to any Host that is not local, so every request through this proxy fails. Set "header_up Host localhost:${port}".`,
        fixes: [{ title: explicit ? `Send "Host: localhost:${port}" instead of the client's` : `Add "header_up Host localhost:${port}"`, edits: [edit], preferred: true }],
      });
    }
    return reports;
  },
};

const CLIENT_HOST = /^\{(host|hostport|http\.request\.host|http\.request\.hostport)\}$/;

function clientHostLine(d: Directive) {
  const line = (d.block?.directives ?? []).find((s) => s.name.text === 'header_up' && s.args[0]?.text.toLowerCase() === 'host' && CLIENT_HOST.test(s.args[1]?.text ?? ''));
  return line?.args[1];
}

/** true: Host is rewritten to something Ollama accepts; false: it is not touched; undefined: unknown. */
function setsHost(d: Directive): boolean | undefined {
  let verdict: boolean | undefined = false;
  for (const s of d.block?.directives ?? []) {
    if (s.name.text === 'import') verdict = undefined;
    if (s.name.text !== 'header_up') continue;
    const field = s.args[0]?.text.toLowerCase();
    if (field === 'host') {
      const value = s.args[1]?.text ?? '';
      // A rewrite to an upstream-side name is the fix; passing the client's own is the problem.
      if (ACCEPTED_HOST.test(value) || !CLIENT_HOST.test(value)) return true;
    }
  }
  return verdict;
}
