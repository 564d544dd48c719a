import type { Report, Rule } from '../core/types';
import type { CaddyModel, ServerBlock } from './model';
import { lineSpan, scopes, upstreamsOf, type Scope } from './sites';

export const rule: Rule<CaddyModel> = {
  id: 'caddy/no-rate-limit',
  format: 'caddy',
  severity: 'info',
  summary: 'A site in front of an AI or no-auth service has no rate_limit',
  check(model, ctx) {
    const reports: Report[] = [];
    const bySite = new Map<ServerBlock, Scope[]>();
    for (const s of scopes(model)) bySite.set(s.site, [...(bySite.get(s.site) ?? []), s]);
    for (const site of model.blocks) {
      const own = bySite.get(site) ?? [];
      if (!own.length || own.some((s) => s.unknown)) continue;
      const items = own.flatMap((s) => s.items);
      if (items.some((p) => p.d.name.text === 'rate_limit')) continue;
      const proxy = items.find((p) => p.d.name.text === 'reverse_proxy' && upstreamsOf(p.d, ctx.services).some((u) => u.service?.noAuth || u.service?.streaming));
      if (!proxy) continue;
      const service = upstreamsOf(proxy.d, ctx.services).find((u) => u.service?.noAuth || u.service?.streaming)!.service!.name;
      const [start, end] = site.keys.length ? [site.keys[0].start, site.keys[site.keys.length - 1].end] : lineSpan(proxy.via ?? proxy.d);
      reports.push({
        range: ctx.range(start, end),
        message: `This site proxies ${service} with no rate_limit: one client can queue unlimited generations on the GPU (and guess passwords without pause). Add the rate_limit plugin (caddy-ratelimit) and a limit.`,
      });
    }
    return reports;
  },
};
