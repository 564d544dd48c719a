import type { Fix, Report, Rule, RuleContext } from '../core/types';
import { named, type Directive, type NginxModel, type Word } from './model';
import { originRegexWeakness, type Header, type OriginPolicy, type Weakness } from './origin-regex';

/** The variables of the headers a browser sets to say which site a request comes from. */
const HEADERS: Record<string, Header> = { $http_origin: 'origin', $http_referer: 'referer' };

export const rule: Rule<NginxModel> = {
  id: 'nginx/weak-origin-check',
  format: 'nginx',
  severity: 'warning',
  summary: 'An Origin or Referer regex that another site can satisfy',
  check(model, ctx) {
    const reports: Report[] = [];
    const policy = policyOf(ctx.options);
    for (const d of named(model, 'if')) {
      const c = regexCondition(d);
      if (!c) continue;
      if (c.variable.name === '$http_referrer') {
        reports.push(misspelledReferer(ctx, c));
        continue;
      }
      const header = HEADERS[c.variable.name];
      // A match that only refuses is a block list: matching too much only blocks more.
      if (!header || !namesAHost(c.pattern) || (!c.op.startsWith('!') && onlyRefuses(d))) continue;
      const icase = c.op.endsWith('*');
      const weakness = originRegexWeakness(c.pattern, icase, header, policy);
      if (weakness) reports.push({ range: ctx.range(c.regex.start, c.end), message: explain(weakness, header, c.pattern, policy), fixes: fixesFor(ctx, c.regex, 0, c.pattern, icase, header, weakness, policy) });
    }
    // `map $http_origin $cors { ~^https://… $http_origin; }`: each regex key that grants something
    // is such a check (a CORS allow list). Maps over the Referer are mostly spam block lists.
    for (const d of named(model, 'map')) {
      if (d.args[0]?.value.toLowerCase() !== '$http_origin' || !d.block) continue;
      for (const entry of d.block.children) {
        const key = entry.nameWord;
        const m = /^~(\*?)(.*)$/s.exec(key.value);
        if (!m || /^(|0|false|off|no)$/i.test(entry.args[0]?.value ?? '') || !namesAHost(m[2])) continue;
        const weakness = originRegexWeakness(m[2], m[1] === '*', 'origin', policy);
        if (weakness) reports.push({ range: ctx.range(key.start, key.end), message: explain(weakness, 'origin', m[2], policy), fixes: fixesFor(ctx, key, 1 + m[1].length, m[2], m[1] === '*', 'origin', weakness, policy) });
      }
    }
    return reports;
  },
};

/**
 * The options `domains` (trusted domains: each and its subdomains may pass) and `httpsOnly`.
 * Values of the wrong type are ignored, as are entries that are not host names; `*` (gixy's
 * default) or no usable entry means any domain.
 */
function policyOf(options: Readonly<Record<string, unknown>> | undefined): OriginPolicy {
  const policy: OriginPolicy = {};
  if (options?.httpsOnly === true) policy.httpsOnly = true;
  const raw = options?.domains;
  if (Array.isArray(raw) && !raw.includes('*')) {
    const domains = raw
      .filter((d): d is string => typeof d === 'string')
      // Forgiving about how a domain is written: "https://Example.com/", "*.example.com", "example.com.".
      .map((d) => d.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/\/+$/, '').replace(/^\*?\./, '').replace(/\.$/, ''))
      .filter((d) => /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$|^\[[0-9a-f:.]+\]$/.test(d));
    if (domains.length) policy.domains = [...new Set(domains)];
  }
  return policy;
}

function misspelledReferer(ctx: RuleContext, c: RegexCondition): Report {
  const range = ctx.range(c.variable.start, c.variable.end);
  return {
    range,
    message: 'There is no "Referrer" header: browsers send "Referer", so $http_referrer is always empty and this check never sees where the request comes from. Use $http_referer.',
    fixes: [{ title: 'Use $http_referer', edits: [{ range, newText: '$http_referer' }], preferred: true }],
  };
}

function fixesFor(ctx: RuleContext, word: Word, skip: number, pattern: string, icase: boolean, header: Header, weakness: Weakness, policy: OriginPolicy): Fix[] {
  // Only where the word is written as nginx reads it: offsets in the pattern are offsets in the text.
  const open = word.quote ? word.start + 1 : word.start;
  if (ctx.text.slice(open, open + skip + pattern.length) !== word.value.slice(0, skip + pattern.length)) return [];
  const at = open + skip;
  if (weakness.kind === 'open-domain' && weakness.culprit === '.') return escapeDots(ctx, at, pattern, icase, header, policy);
  if (weakness.kind === 'insecure-scheme') return requireHttps(ctx, at, pattern, icase, header, policy);
  return [];
}

/**
 * `^https?://example\.com$` under `httpsOnly`: dropping the "?" of every `https?` leaves the https
 * check that was meant. Offered when that leaves a sound check.
 */
function requireHttps(ctx: RuleContext, at: number, pattern: string, icase: boolean, header: Header, policy: OriginPolicy): Fix[] {
  const marks = [...pattern.matchAll(/https\?/gi)].map((m) => m.index + 'https'.length);
  if (!marks.length) return [];
  const fixed = marks.reduceRight((p, i) => `${p.slice(0, i)}${p.slice(i + 1)}`, pattern);
  if (originRegexWeakness(fixed, icase, header, policy)) return [];
  return [{ title: 'Accept https only ("https://")', edits: marks.map((i) => ({ range: ctx.range(at + i, at + i + 1), newText: '' })), preferred: true }];
}

/**
 * `^https://app.example.com$` meant `app\.example\.com`: a dot between two letters or digits of a
 * name (or next to a group's parenthesis: `(www.)?`), outside a class and not repeated, is a dot
 * of the host. Offered when escaping those dots leaves a sound check.
 */
function escapeDots(ctx: RuleContext, at: number, pattern: string, icase: boolean, header: Header, policy: OriginPolicy): Fix[] {
  const dots: number[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
    } else if (c === '.' && /[A-Za-z0-9)-]/.test(pattern[i - 1] ?? '') && /[A-Za-z0-9()]/.test(pattern[i + 1] ?? '')) dots.push(i);
  }
  if (!dots.length) return [];
  const fixed = dots.reduceRight((p, i) => `${p.slice(0, i)}\\${p.slice(i)}`, pattern);
  if (originRegexWeakness(fixed, icase, header, policy)) return [];
  return [{ title: 'Escape the dots of the host name ("\\.")', edits: dots.map((i) => ({ range: ctx.range(at + i, at + i), newText: '\\' })), preferred: true }];
}

/** Checks of where a request comes from name a host or URL; `(poker|casino)` or `^$` are other checks. */
function namesAHost(pattern: string): boolean {
  return /[./]/.test(pattern);
}

/** `if ($http_referer ~* "spam\.example") { return 403; }`: the block only refuses. */
function onlyRefuses(d: Directive): boolean {
  const children = d.block?.children ?? [];
  return children.length > 0 && children.every((c) => (c.name === 'return' && /^(4\d\d|444)$/.test(c.args[0]?.value ?? '')) || c.name === 'deny');
}

interface RegexCondition {
  /** The variable's name in lower case, and where it is written (without a leading `(`). */
  variable: { name: string; start: number; end: number };
  op: string;
  regex: Word;
  /** The regex as nginx reads it (an unquoted last word loses the `)` that closes the condition). */
  pattern: string;
  /** Where the regex ends in the text. */
  end: number;
}

/** `if ($var ~ regex)`, `if ( $var !~* "regex" )`: the variable, the operator and the regex. */
function regexCondition(d: Directive): RegexCondition | undefined {
  const words = d.args[0]?.value === '(' ? d.args.slice(1) : d.args;
  const [variable, op, regex] = words;
  if (!variable || !op || !regex || !/^!?~\*?$/.test(op.value) || !/^\(?\$\w+$/.test(variable.value)) return undefined;
  const closes = !regex.quote && regex === d.args[d.args.length - 1] && regex.value.endsWith(')');
  const pattern = closes ? regex.value.slice(0, -1) : regex.value;
  const end = closes && regex.end > regex.start ? regex.end - 1 : regex.end;
  const name = variable.value.replace(/^\(/, '');
  return { variable: { name: name.toLowerCase(), start: variable.end - name.length, end: variable.end }, op: op.value, regex, pattern, end };
}

function explain(w: Weakness, header: Header, pattern: string, policy: OriginPolicy): string {
  const name = header === 'origin' ? 'Origin' : 'Referer';
  const e = w.example ? `"${w.example}"` : '';
  switch (w.kind) {
    case 'unanchored-start':
      return `This ${name} check is not anchored with "^": any value that merely contains a match passes${e ? `, such as ${e}` : ''}. Start the regex with "^https://".`;
    case 'open-scheme':
      return `This ${name} check lets anything come before the scheme ("${w.culprit}" ahead of "://"), so values from other sites pass. Start the regex with "^https://".`;
    case 'unanchored-end':
      return `This ${name} check does not end the host name: ${e} passes, a host anyone can register. End the host with "$"${header === 'referer' ? ' or "/"' : ''}.`;
    case 'open-domain':
      return `This ${name} check lets the client choose part of the domain name (${w.culprit === '.' ? 'an unescaped "." matches any character' : `"${w.culprit}"`}): ${e} passes. Escape dots as "\\." and allow only subdomains before a literal "\\.".`;
    case 'open-host':
      return `This Referer check's "${w.culprit}" can contain "/", so a page on another site passes: ${e}. Use a set without "/" (such as [a-z0-9-]) for subdomains.`;
    case 'no-scheme':
      return `This ${name} check has no scheme after "^": a browser's ${name} always starts with "https://" or "http://", so the regex never matches what it sends. Start it with "^https://".`;
    case 'invalid-host':
      return `This ${name} check accepts the host "${w.host}", which no browser sends: a "?", "/" or "." probably misses its escape (or the host is upper case in a case-sensitive check). Check the regex "${pattern}".`;
    case 'untrusted-domain': {
      const list = policy.domains ?? [];
      const trusted = list.length > 3 ? `${list.slice(0, 3).join(', ')}…` : list.join(', ');
      return `This ${name} check lets ${e} through: "${w.host}" is not one of the trusted domains (${trusted}) or their subdomains (option "domains"). Allow only hosts of those domains.`;
    }
    case 'insecure-scheme':
      return `This ${name} check lets ${e} through: the scheme "${w.culprit}" is not https, and only https is trusted (option "httpsOnly"): a page served over plain http can be altered on its way. Write "https://" (no "s?").`;
    case 'origin-path':
      return `An Origin is only scheme://host[:port], with no path, so ${e} never matches what a browser sends. End the regex after the host with "$".`;
  }
}
