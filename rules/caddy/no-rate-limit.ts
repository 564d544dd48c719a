import type { Report, Rule } from '../core/types';
import type { CaddyModel } from './model';
import { anchorOf, lineSpan, onePerPlace, scopesBySite, upstreamsOf } from './sites';

export const rule: Rule<CaddyModel> = {
  id: 'caddy/no-rate-limit',
  format: 'caddy',
  severity: 'info',
  summary: 'A site in front of an AI or no-auth service has no rate_limit',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const [site, own] of scopesBySite(model, ctx)) {
      if (own.some((s) => s.unknown)) continue;
      const items = own.flatMap((s) => s.items);
      if (items.some((p) => p.d.name.text === 'rate_limit')) continue;
      const proxy = items.find((p) => p.d.name.text === 'reverse_proxy' && upstreamsOf(p.d, ctx.services).some((u) => u.service?.noAuth || u.service?.streaming));
      if (!proxy) continue;
      const service = upstreamsOf(proxy.d, ctx.services).find((u) => u.service?.noAuth || u.service?.streaming)!.service!.name;
      // A site of an imported file is reported at the import that brings it in.
      const [start, end] = site.keys.length && own[0].siteSource.root ? [site.keys[0].start, site.keys[site.keys.length - 1].end] : lineSpan(anchorOf(proxy));
      const source = own[0].siteSource;
      const elsewhere = !source.root && site.keys.length ? { related: [{ file: source.file, range: source.range(site.keys[0].start, site.keys[site.keys.length - 1].end), message: 'site written here' }] } : {};
      reports.push({
        range: ctx.range(start, end),
        ...elsewhere,
        message: `This site proxies ${service} with no rate_limit: one client can queue unlimited generations on the GPU (and guess passwords without pause). Add the rate_limit plugin (caddy-ratelimit) and a limit.`,
      });
    }
    return onePerPlace(reports, ctx.file);
  },
};
