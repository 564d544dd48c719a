import { classifyAddress } from '../knowledge/services';
import type { Report, Rule } from '../core/types';
import { named, type NginxModel, type Word } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/resolver-external',
  format: 'nginx',
  severity: 'warning',
  summary: 'resolver uses a public DNS server, whose answers can be spoofed',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const d of named(model, 'resolver')) {
      // `valid=30s`, `ipv6=off`, `status_zone=…` are options, not servers.
      const external = d.args.filter((a) => !a.value.includes('=') && isPublicAddress(a));
      if (!external.length) continue;
      const list = external.map((a) => a.value).join(', ');
      reports.push({
        range: ctx.range(external[0].start, external[0].end),
        message: `nginx asks ${list} over plain UDP DNS across the internet: a spoofed reply can poison its cache and send proxied requests (proxy_pass with variables, OCSP stapling) to an attacker's server. Use a resolver on this host or your private network (127.0.0.53, your VPC's DNS).`,
      });
    }
    return reports;
  },
};

/** A literal IP address (port allowed) outside loopback and private ranges. Names are left alone: what they resolve to is unknown. */
function isPublicAddress(w: Word): boolean {
  let host = w.value;
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (v6) host = v6[1];
  else if (/^[\d.]+:\d+$/.test(host)) host = host.slice(0, host.lastIndexOf(':'));
  const literal = /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host.includes(':') && /^[0-9a-f:.]+$/i.test(host));
  return literal && classifyAddress(host) === 'exposed' && !/^(0\.0\.0\.0|::)$/.test(host);
}
