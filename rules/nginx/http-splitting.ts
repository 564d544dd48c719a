import type { Report, Rule } from '../core/types';
import { locationMatch, scopeChain } from './analysis';
import { named, type Directive, type NginxModel } from './model';
import { namedGroups } from './regex';

/** Variables nginx fills with the decoded URI, where %0d%0a has become a real line break. */
const DECODED = /^(uri|document_uri)$/;

export const rule: Rule<NginxModel> = {
  id: 'nginx/http-splitting',
  format: 'nginx',
  severity: 'error',
  summary: 'A header, redirect or upstream request built from a value that can hold a line break',
  check(model, ctx) {
    const reports: Report[] = [];
    // The maps by the variable they define, once: many directives use the same few.
    const maps: Maps = new Map();
    const sets = new Set<string>();
    for (const d of model.all) {
      if (d.name === 'map' && d.block && d.args[1] && !maps.has(d.args[1].value.slice(1))) maps.set(d.args[1].value.slice(1), d);
      else if (d.name === 'set' && d.args[0]) sets.add(d.args[0].value.slice(1));
    }
    maps.sets = sets;
    for (const d of named(model, 'add_header', 'proxy_set_header', 'proxy_pass', 'rewrite', 'return')) {
      const value = valueOf(d);
      if (!value || !value.value.includes('$')) continue;
      const source = splittingSource(model, maps, d, value.value, 0);
      if (!source) continue;
      reports.push({
        range: ctx.range(value.start, value.end),
        message: `${source} can contain a decoded line break (%0d%0a in the request): the client can end this header or request line and inject headers or a whole response of its own. Use $request_uri, or a capture that excludes \\r and \\n.`,
      });
    }
    return reports;
  },
};

/** The argument of `d` that becomes part of a header or a request line. */
function valueOf(d: Directive) {
  switch (d.name) {
    case 'add_header':
    case 'proxy_set_header':
      return d.args[1];
    case 'proxy_pass':
      return d.args[0];
    case 'rewrite':
      return d.args[1];
    case 'return':
      return d.args.length === 2 && /^30[12378]$/.test(d.args[0].value) ? d.args[1] : d.args.length === 1 && !/^\d+$/.test(d.args[0].value) ? d.args[0] : undefined;
    default:
      return undefined;
  }
}

/** The maps by the variable they define, and the names any `set` assigns. */
type Maps = Map<string, Directive> & { sets?: Set<string> };

function splittingSource(model: NginxModel, maps: Maps, d: Directive, value: string, depth: number): string | undefined {
  if (depth > 8) return undefined;
  for (const m of value.matchAll(/\$\{?(\w+)\}?/g)) {
    const name = m[1];
    if (DECODED.test(name)) return `$${name}`;
    const digit = /^\d$/.test(name);
    if (!digit && !maps.has(name) && !maps.sets?.has(name) && !/^[a-z_]+$/.test(name)) continue;
    if (digit || isNamedCapture(d, name)) {
      // A rewrite's own captures are escaped in its replacement.
      if (d.name === 'rewrite') continue;
      const source = regexSource(d);
      const body = source && group(source.re, name);
      // "." never matches a line feed in PCRE, but gixy counts it for `if ($uri ~ …)`: so do we.
      if (body && canHoldLineBreak(body, source.fromIf)) return `$${name} (${body})`;
      continue;
    }
    const set = maps.sets?.has(name) ? setValue(model, d, name) : undefined;
    if (set !== undefined && splittingSource(model, maps, d, set, depth + 1)) return `$${name}`;
    if (mapCarriesLineBreak(maps, name, depth)) return `$${name}`;
  }
  return undefined;
}

/** The regex that fills $1…/$name here: an enclosing `if ($uri ~ …)` or the location's regex. */
function regexSource(d: Directive): { re: string; fromIf: boolean } | undefined {
  for (let p = d.parent; p; p = p.parent) {
    if (p.name === 'if') {
      const [subject, op, re] = p.args.map((a) => a.value.replace(/^\(|\)$/g, ''));
      if (op === '~' || op === '~*') return DECODED.test(subject.slice(1)) && re ? { re, fromIf: true } : undefined;
    }
    if (p.name === 'location') {
      const m = locationMatch(p);
      return m && (m.kind === 'regex' || m.kind === 'regex-i') ? { re: m.uri, fromIf: false } : undefined;
    }
  }
  return undefined;
}

function isNamedCapture(d: Directive, name: string): boolean {
  const source = regexSource(d);
  return !!source && namedGroups(source.re).has(name);
}

/** A named group's opening, tried at one position (sticky: no scan of the rest). */
const NAMED = /\(\?P?<(\w+)>/y;

/** The body of capture `name` (a number or a name) of a regex. */
function group(re: string, name: string): string | undefined {
  let count = 0;
  for (let i = 0; i < re.length; i++) {
    if (re[i] === '\\') {
      i++;
      continue;
    }
    if (re[i] !== '(') continue;
    NAMED.lastIndex = i;
    const named = NAMED.exec(re);
    if (re[i + 1] === '?' && !named) continue;
    count++;
    if (named ? named[1] !== name && String(count) !== name : String(count) !== name) continue;
    let depth = 0;
    for (let j = i; j < re.length; j++) {
      if (re[j] === '\\') j++;
      else if (re[j] === '(') depth++;
      else if (re[j] === ')' && --depth === 0) return re.slice(i + (named ? named[0].length : 1), j);
    }
  }
  return undefined;
}

/** Whether a regex fragment can match "\n": \W, \s, \D, a negated class without \n (and "." in map). */
function canHoldLineBreak(body: string, dotMatches: boolean): boolean {
  // One pass (a user's fragment can be long: no RegExp scanning it from every `[`).
  // nginx turns \n in a word into a real line feed before PCRE sees it: both spellings exclude it.
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      if (/[WsD]/.test(body[++i] ?? '')) return true;
    } else if (c === '[') {
      const negated = body[i + 1] === '^';
      let excludesLineFeed = false;
      let j = i + (negated ? 2 : 1);
      for (; j < body.length && body[j] !== ']'; j++) {
        if (body[j] === '\n') excludesLineFeed = true;
        else if (body[j] === '\\') {
          j++;
          if (body[j] === 'n') excludesLineFeed = true;
          else if (/[WsD]/.test(body[j] ?? '')) return true;
        }
      }
      if (j >= body.length) return false;
      if (negated && !excludesLineFeed) return true;
      i = j;
    } else if (c === '.' && dotMatches) return true;
  }
  return false;
}

function setValue(model: NginxModel, d: Directive, name: string): string | undefined {
  for (const level of scopeChain(model, d)) {
    const set = level.find((x) => x.name === 'set' && x.args[0]?.value === `$${name}`);
    if (set?.args[1]) return set.args[1].value;
  }
  return undefined;
}

/** A map whose values are decoded-URI variables, other such maps, or regex captures that can hold a line break. */
function mapCarriesLineBreak(maps: Maps, name: string, depth: number): boolean {
  if (depth > 8) return false;
  const map = maps.get(name);
  if (!map) return false;
  return map.block!.children.some((entry) => {
    const value = entry.args[0]?.value ?? '';
    for (const m of value.matchAll(/\$\{?(\w+)\}?/g)) {
      if (DECODED.test(m[1])) return true;
      if (/^\d$/.test(m[1]) && entry.name.startsWith('~')) {
        const body = group(entry.name.replace(/^~\*?/, ''), m[1]);
        if (body && canHoldLineBreak(body, true)) return true;
      }
      if (mapCarriesLineBreak(maps, m[1], depth + 1)) return true;
    }
    return false;
  });
}
