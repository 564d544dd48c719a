import { classifyAddress } from '../knowledge/services';
import type { Report, Rule } from '../core/types';
import { parseAddress, walk, type CaddyModel, type ServerBlock } from './model';
import { AUTH_DIRECTIVES, upstreamsOf } from './sites';
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
    for (const site of model.sites) {
      const why = sensitive(site, ctx.services);
      if (!why) continue;
      for (const key of site.keys) {
        if (key.text.includes('{')) continue;
        const { scheme, host, port } = parseAddress(key.text);
        const plain = scheme === 'http' || (scheme === undefined && port === '80');
        if (!plain) continue;
        const domain = /[a-z]/i.test(host) && host.includes('.') && !INTERNAL_TLD.test(host) && !host.startsWith('*');
        const publicIp = classifyAddress(host) === 'exposed' && host !== '';
        if (!domain && !publicIp && host !== '') continue;
        const range = ctx.range(key.start, key.end);
        const where = host === '' ? 'on every interface, for any name' : `for ${host}`;
        reports.push({
          range,
          message: `Site "${key.text}" serves plain HTTP ${where} and ${why}: everything crosses the network unencrypted, credentials and API keys included.`,
          // A public domain gets a certificate automatically once the http:// or :80 is gone.
          fixes: domain ? [{ title: `Serve ${host} over HTTPS (Caddy gets the certificate)`, edits: [{ range, newText: host }], preferred: true }] : [],
        });
      }
    }
    return reports;
  },
};

function sensitive(site: ServerBlock, services: ServiceKnowledge): string | undefined {
  let why: string | undefined;
  walk(site.directives, (d) => {
    if (why) return;
    if (AUTH_DIRECTIVES.has(d.name.text)) why = `sends ${d.name.text} credentials`;
    else if (d.name.text === 'reverse_proxy') {
      const s = upstreamsOf(d, services).find((u) => u.service?.noAuth || u.service?.streaming)?.service;
      if (s) why = `proxies ${s.name}`;
    } else if (d.name.text.startsWith('@') && (d.block?.directives ?? [d]).some((x) => /^(header|query)$/.test(x.name.text === d.name.text ? x.args[0]?.text ?? '' : x.name.text))) {
      why = 'checks an API key or token in the request';
    }
  });
  return why;
}
