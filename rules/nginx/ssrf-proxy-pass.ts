import type { Report, Rule } from '../core/types';
import { enclosing, locationMatch, scopeChain } from './analysis';
import { named, type Directive, type NginxModel } from './model';
import { namedGroups } from './regex';

/** Variables whose value the client chooses. */
const CLIENT = /^(arg_\w+|http_\w+|cookie_\w+|args|query_string|request_body|remote_user|\d+)$/;
/** Variables that always start with "/": they end the host part. */
const PATHS = /^(request_uri|uri|document_uri)$/;

export const rule: Rule<NginxModel> = {
  id: 'nginx/ssrf-proxy-pass',
  format: 'nginx',
  severity: 'error',
  summary: 'proxy_pass to a host the client chooses (server-side request forgery)',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const d of named(model, 'proxy_pass')) {
      if (!d.args[0] || !d.args[0].value.includes('$')) continue;
      const location = enclosing(d, 'location');
      if (location?.block?.children.some((c) => c.name === 'internal')) continue;
      const source = controlledHost(model, d, d.args[0].value, location, 0);
      if (!source) continue;
      reports.push({
        range: ctx.range(d.args[0].start, d.args[0].end),
        message: `The upstream host comes from ${source}, which the client controls: anyone can make nginx fetch internal addresses (cloud metadata, admin APIs) for them. Proxy to a fixed host, or check the value against a list with map.`,
      });
    }
    return reports;
  },
};

/** Which client-controlled variable reaches the scheme or host part of `url`, if any. */
function controlledHost(model: NginxModel, d: Directive, url: string, location: Directive | undefined, depth: number): string | undefined {
  if (depth > 8) return undefined;
  const scheme = /^([^:/]*):\/\//.exec(url);
  const rest = scheme ? url.slice(scheme[0].length) : url;
  const slash = firstPathStart(rest);
  const parts = [...(scheme ? [scheme[1]] : []), rest.slice(0, slash)];
  for (const part of parts) {
    for (const m of part.matchAll(/\$\{?(\w+)\}?/g)) {
      const name = m[1];
      if (PATHS.test(name)) break;
      if (CLIENT.test(name) || captureOf(location, name)) return `$${name}`;
      const set = setValue(model, d, name);
      if (set !== undefined && controlledHost(model, d, set, location, depth + 1)) return `$${name}`;
      if (mapFromRequest(model, name)) return `$${name}`;
    }
  }
  return undefined;
}

/** Where the path starts: the first "/" or a variable that always starts with one. */
function firstPathStart(s: string): number {
  const m = /\/|\$\{?(request_uri|uri|document_uri)\b/.exec(s);
  return m ? m.index : s.length;
}

function captureOf(location: Directive | undefined, name: string): boolean {
  const m = location && locationMatch(location);
  if (!m || (m.kind !== 'regex' && m.kind !== 'regex-i')) return false;
  return /^\d$/.test(name) || namedGroups(m.uri).has(name);
}

function setValue(model: NginxModel, d: Directive, name: string): string | undefined {
  for (const level of scopeChain(model, d)) {
    const set = level.find((x) => x.name === 'set' && x.args[0]?.value === `$${name}`);
    if (set?.args[1]) return set.args[1].value;
  }
  return undefined;
}

/** A map whose values carry regex captures of a request value. */
function mapFromRequest(model: NginxModel, name: string): boolean {
  return model.all.some((x) => x.name === 'map' && x.args[1]?.value === `$${name}` && !!x.block?.children.some((e) => /\$\d|\$\{?\w+/.test(e.args[0]?.value ?? '')));
}
