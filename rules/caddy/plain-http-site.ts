import { classifyAddress } from '../knowledge/services';
import type { Report, Rule } from '../core/types';
import { parseAddress, type CaddyModel } from './model';
import { AUTH_DIRECTIVES, onePerPlace, scopesBySite, upstreamsOf, type Placed } from './sites';
import type { ServiceKnowledge } from '../knowledge/services';

/** Names that only resolve inside a private network. */
const INTERNAL_TLD = /\.(local|lan|internal|home|home\.arpa|localhost|test|example|invalid|docker|corp|intranet|private)$/i;

export const rule: Rule<CaddyModel> = {
  id: 'caddy/plain-http-site',
  format: 'caddy',
  severity: 'warning',
  summary: 'A plain-HTTP site for a public name proxies a sensitive service or carries credentials',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const [site, own] of scopesBySite(model, ctx)) {
      if (site.kind !== 'site') continue;
      const why = sensitive(own.flatMap((s) => s.items), ctx.services);
      if (!why) continue;
      // A site of an imported file is reported at the import that brings it in; its fix edits that file.
      const source = own[0].siteSource;
      const anchor = own[0].outer;
      if (!source.root && !anchor) continue;
      for (const key of site.keys) {
        if (key.text.includes('{')) continue;
        const { scheme, host, port } = parseAddress(key.text);
        const plain = scheme === 'http' || (scheme === undefined && port === '80');
        if (!plain) continue;
        const domain = /[a-z]/i.test(host) && host.includes('.') && !INTERNAL_TLD.test(host) && !host.startsWith('*');
        const publicIp = classifyAddress(host) === 'exposed' && host !== '';
        if (!domain && !publicIp && host !== '') continue;
        const keyRange = source.range(key.start, key.end);
        const range = anchor ? ctx.range(anchor.args[0]?.start ?? anchor.name.start, anchor.args[0]?.end ?? anchor.name.end) : keyRange;
        const where = host === '' ? 'on every interface, for any name' : `for ${host}`;
        reports.push({
          range,
          message: `Site "${key.text}"${source.root ? '' : ` (in ${source.file})`} serves plain HTTP ${where} and ${why}: everything crosses the network unencrypted, credentials and API keys included.`,
          // A public domain gets a certificate automatically once the http:// or :80 is gone.
          fixes: domain ? [{ title: `Serve ${host} over HTTPS (Caddy gets the certificate)`, edits: [{ range: keyRange, newText: host, ...(source.root ? {} : { file: source.file }) }], preferred: true }] : [],
          ...(source.root ? {} : { related: [{ file: source.file, range: keyRange, message: 'site address written here' }] }),
        });
      }
    }
    return onePerPlace(reports, ctx.file);
  },
};

function sensitive(items: readonly Placed[], services: ServiceKnowledge): string | undefined {
  for (const { d } of items) {
    if (AUTH_DIRECTIVES.has(d.name.text)) return `sends ${d.name.text} credentials`;
    if (d.name.text === 'reverse_proxy') {
      const s = upstreamsOf(d, services).find((u) => u.service?.noAuth || u.service?.streaming)?.service;
      if (s) return `proxies ${s.name}`;
    } else if (d.name.text.startsWith('@') && (d.block?.directives ?? [d]).some((x) => /^(header|query)$/.test(x.name.text === d.name.text ? x.args[0]?.text ?? '' : x.name.text))) {
      return 'checks an API key or token in the request';
    }
  }
  return undefined;
}
