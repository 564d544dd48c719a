import { parseRegex, shapes, type Atom, type CharSet } from './regex';

/**
 * What is wrong with a regex that checks an `Origin` or `Referer` header, judged shape by shape (see
 * regex.ts): a browser sends `scheme://host[:port]` as Origin and an absolute URL as Referer, so the
 * check is only as strong as what it pins down — a start (`^`), the scheme, every label of the
 * registrable domain (`example.com`, `example.com.tr`), and an end of the host (`$`, `/`, `:port`).
 * Subdomains may be open (`([a-z0-9-]+\.)?example\.com`): they belong to the same site.
 */

export type Header = 'origin' | 'referer';

export type WeaknessKind =
  /** No `^`: the value only has to contain a match. */
  | 'unanchored-start'
  /** A set before the scheme: anything may come first. */
  | 'open-scheme'
  /** The host is not ended: `.evil.net` may follow. */
  | 'unanchored-end'
  /** A set in the registrable domain (an unescaped `.`, `[^/]+`): the client picks the domain. */
  | 'open-domain'
  /** (Referer) a set in the host that can hold `/`: another site's URL fits. */
  | 'open-host'
  /** No scheme after `^`: never matches what a browser sends. */
  | 'no-scheme'
  /** A host name no browser sends (`yandex.rucmd=x`, upper case). */
  | 'invalid-host'
  /** (Origin) a path after the host: an Origin never has one. */
  | 'origin-path'
  /** (option `domains`) a host outside the trusted domains. */
  | 'untrusted-domain'
  /** (option `httpsOnly`) a scheme other than https. */
  | 'insecure-scheme';

/** The user's policy (the rule's options): which domains are trusted, whether http is. */
export interface OriginPolicy {
  /** Trusted domains, lower case: each and its subdomains may pass, no other host. */
  domains?: readonly string[];
  /** Only `https://` may pass. */
  httpsOnly?: boolean;
}

export interface Weakness {
  kind: WeaknessKind;
  /** A value the regex accepts that shows the weakness, when one is easy to give. */
  example?: string;
  /** The part of the pattern at fault, as written (`[^/]+`, `.`). */
  culprit?: string;
  /** The host the regex accepts, for invalid-host and untrusted-domain. */
  host?: string;
}

/** Worst first: the weakness reported when a pattern has several. */
const ORDER: WeaknessKind[] = ['unanchored-start', 'open-scheme', 'unanchored-end', 'open-domain', 'open-host', 'untrusted-domain', 'insecure-scheme', 'no-scheme', 'invalid-host', 'origin-path'];

/**
 * Public suffixes of two labels that are common in such checks: the registrable domain has three
 * labels there. Hosting platforms are among them: anyone can get `<name>.vercel.app`.
 */
const TWO_LEVEL_SUFFIXES = new Set([
  'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'com.au', 'net.au', 'org.au', 'co.jp', 'ne.jp', 'or.jp', 'co.nz', 'com.br', 'com.tr',
  'com.cn', 'com.mx', 'co.in', 'co.za', 'com.ua', 'co.il', 'co.kr', 'com.sg', 'com.hk', 'com.tw', 'com.ar', 'co.id', 'com.my',
  'github.io', 'gitlab.io', 'vercel.app', 'netlify.app', 'herokuapp.com', 'pages.dev', 'workers.dev', 'web.app', 'firebaseapp.com',
  'appspot.com', 'azurewebsites.net', 'cloudfront.net', 'onrender.com', 'fly.dev', 'ngrok.io', 'ngrok-free.app', 'glitch.me', 'repl.co',
]);

/**
 * The worst weakness of `pattern` as a check of `header` (under the user's `policy`, when given);
 * undefined when it is sound or unreadable.
 */
export function originRegexWeakness(pattern: string, ignoreCase: boolean, header: Header, policy: OriginPolicy = {}): Weakness | undefined {
  const regex = parseRegex(pattern, ignoreCase);
  if (!regex) return undefined;
  let worst: Weakness | undefined;
  let matchesRealValue = false;
  for (const shape of shapes(regex)) {
    const w = shapeWeakness(shape, header, regex.ignoreCase, policy);
    if (!w || !NEVER.includes(w.kind)) matchesRealValue = true;
    if (w && (!worst || ORDER.indexOf(w.kind) < ORDER.indexOf(worst.kind))) worst = w;
    if (worst?.kind === ORDER[0]) break;
  }
  // A shape no browser sends is harmless next to ones it does (`^(https?://)?example\.com$`).
  return worst && NEVER.includes(worst.kind) && matchesRealValue ? undefined : worst;
}

/** Shapes that never match a real header: only worth a word when every shape is one. */
const NEVER: WeaknessKind[] = ['no-scheme', 'origin-path'];

type Body = Exclude<Atom, { kind: 'start' | 'end' }>;

const isChar = (a: Body | undefined, chars: string): boolean => a?.kind === 'char' && chars.includes(a.c);
const PROBES = [':', '/', '.', '-', '@', '?', '#', '!', '`', ' ', '_', '0', 'é'];
const lettersOnly = (s: CharSet) => !PROBES.some((p) => s.has(p));
const digitsOnly = (s: CharSet) => s.has('0') && !['a', 'z', 'A', ...PROBES.filter((p) => p !== '0')].some((p) => s.has(p));

function shapeWeakness(shape: Atom[], header: Header, icase: boolean, policy: OriginPolicy): Weakness | undefined {
  // Anchors count at the ends only; elsewhere they make a shape that never matches, which a
  // missing `^` still turns into "contains".
  const anchoredStart = shape[0]?.kind === 'start';
  const anchoredEnd = shape[shape.length - 1]?.kind === 'end';
  const body = shape.filter((a): a is Body => a.kind === 'char' || a.kind === 'set');
  // An empty value (no header at all) is another question than which site sent it.
  if (!body.length) return undefined;
  if (!anchoredStart) {
    const hasScheme = schemeEnd(body) !== undefined;
    const example = header === 'referer' ? `https://evil.example/?${render(body, -1)}` : !hasScheme && !anchoredEnd ? `https://${render(body, -1)}.evil.example` : undefined;
    return { kind: 'unanchored-start', example };
  }

  const scheme = schemeEnd(body);
  if (scheme === undefined) {
    const set = body.find((a) => a.kind === 'set');
    const laterScheme = body.some((a, i) => isChar(a, ':') && isChar(body[i + 1], '/') && isChar(body[i + 2], '/'));
    if (set && set.kind === 'set' && laterScheme) return { kind: 'open-scheme', culprit: set.set.source };
    return { kind: 'no-scheme' };
  }
  if (!icase && body.slice(0, scheme).some((a) => a.kind === 'char' && /[A-Z]/.test(a.c))) return { kind: 'invalid-host', host: render(body.slice(0, scheme), -1) };

  const hostStart = scheme + 3;
  let hostEnd = hostStart;
  // An IPv6 address (`[::1]`) is a host of its own: it ends at "]".
  const v6 = isChar(body[hostStart], '[') ? body.findIndex((a, i) => i > hostStart && isChar(a, ']')) : -1;
  if (v6 > 0) hostEnd = v6 + 1;
  else while (hostEnd < body.length && !isChar(body[hostEnd], '/?#:')) hostEnd++;
  const host = v6 > 0 ? [] : body.slice(hostStart, hostEnd);
  if (hostEnd === body.length && !anchoredEnd && v6 < 0) {
    return { kind: 'unanchored-end', example: `${render(body, -1)}.evil.example${header === 'referer' ? '/' : ''}` };
  }

  const domainSet = openDomain(host);
  if (domainSet) return { kind: 'open-domain', culprit: culpritOf(domainSet), example: render(body, body.indexOf(domainSet)) };

  if (header === 'referer') {
    const slashy = host.find((a) => a.kind === 'set' && a.many && a.set.has('/') && a.set.has('e'));
    if (slashy) return { kind: 'open-host', culprit: culpritOf(slashy), example: render(body, body.indexOf(slashy), 'evil.example/?') };
  }

  // The port: whatever the regex lets through there, the host stays the one written before it.
  let rest = hostEnd;
  if (isChar(body[rest], ':')) while (rest < body.length && !isChar(body[rest], '/?#')) rest++;

  const bad = host.find((a) => a.kind === 'char' && !/[a-z0-9.\-_]/.test(a.c));
  if (bad) return { kind: 'invalid-host', host: render(host, -1) };
  const hostText = render(body.slice(hostStart, hostEnd), -1);
  // A host starting with "." (`([^/]+)?\.example\.com` without its group) is none a browser sends.
  if (policy.domains && !hostText.startsWith('.') && !hostText.includes('..') && !trusted(body.slice(hostStart, hostEnd), policy.domains)) {
    return { kind: 'untrusted-domain', host: hostText, example: render(body, -1) };
  }
  const schemeText = render(body.slice(0, scheme), -1).toLowerCase();
  if (policy.httpsOnly && schemeText !== 'https') return { kind: 'insecure-scheme', culprit: schemeText, example: render(body, -1) };
  if (header === 'origin' && rest < body.length) return { kind: 'origin-path', example: render(body, -1) };
  return undefined;
}

/**
 * Whether every host these atoms match is a trusted domain or one of its subdomains: the literal
 * end of the host must be the domain, after a literal "." when anything else comes before it.
 */
function trusted(host: Body[], domains: readonly string[]): boolean {
  let i = host.length;
  while (i > 0 && host[i - 1].kind === 'char') i--;
  const suffix = render(host.slice(i), -1).toLowerCase();
  return domains.some((d) => suffix.endsWith(`.${d}`) || (i === 0 && suffix === d));
}

/** The index of the `:` of `://` after a literal scheme, or undefined. */
function schemeEnd(body: Body[]): number | undefined {
  let i = 0;
  while (i < body.length) {
    const a = body[i];
    if (a.kind === 'char' ? /[a-zA-Z0-9+.-]/.test(a.c) : !a.many && lettersOnly(a.set)) i++;
    else break;
  }
  return i > 0 && isChar(body[i], ':') && isChar(body[i + 1], '/') && isChar(body[i + 2], '/') ? i : undefined;
}

/** A set that lets the client choose part of the registrable domain of `host`. */
function openDomain(host: Body[]): Body | undefined {
  const labels: Body[][] = [[]];
  for (const a of host) {
    if (isChar(a, '.')) labels.push([]);
    else labels[labels.length - 1].push(a);
  }
  const last = labels[labels.length - 1];
  // An IPv4 address: its numbers can't be registered.
  if (last.length && last.every((a) => (a.kind === 'char' ? /[0-9]/.test(a.c) : digitsOnly(a.set)))) return undefined;
  const literal = (label: Body[]) => (label.every((a) => a.kind === 'char') ? label.map((a) => (a as { c: string }).c).join('') : undefined);
  const suffix = labels.length >= 3 ? `${literal(labels[labels.length - 2])}.${literal(last)}` : '';
  const count = TWO_LEVEL_SUFFIXES.has(suffix) ? 3 : 2;
  return labels.slice(-count).flat().find((a) => a.kind === 'set');
}

function culpritOf(a: Body): string {
  return a.kind === 'set' ? a.set.source : a.c;
}

/** The shape as a sample value; the set at `open` is filled with what an attacker would put there. */
function render(body: Body[], open: number, attacker?: string): string {
  return body
    .map((a, i) => {
      if (a.kind === 'char') return a.c;
      if (i === open) return attacker ?? attackerText(a.set, a.many, body[i + 1]);
      return fill(a.set, a.many, a.many ? 'a' : '.');
    })
    .join('');
}

function attackerText(set: CharSet, many: boolean, next: Body | undefined): string {
  if (many && set.has('.') && set.has('e') && (!next || isChar(next, '/?#:$'))) return '.evil.example';
  if (many && set.has('e')) return 'evil';
  return fill(set, false, '-');
}

/** A harmless character (or word) the set accepts. */
function fill(set: CharSet, many: boolean, prefer = 'a'): string {
  for (const c of [prefer, 'a', 'x', '0', '-', '_']) if (set.has(c)) return many && /[a-z]/.test(c) ? 'abc' : c;
  for (let c = 33; c < 127; c++) if (set.has(String.fromCharCode(c))) return String.fromCharCode(c);
  return '';
}
