/**
 * Differential parsing: our verdict on a Caddyfile (does caddy/syntax-error, caddy/unknown-directive
 * or caddy/undefined-snippet report?) against `caddy adapt` from Debian's Caddy 2.6, on the real-world
 * corpus and on our fixtures. Every disagreement is listed below with its reason; an unlisted one
 * fails the test, and so does a listed one that has become an agreement.
 * Version note: Caddy 2.6 predates `basic_auth` (2.8) — the text given to it has `basic_auth` renamed
 * `basicauth` (see caddy-tool.ts); `{$VAR}` placeholders get values through the environment.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lintText } from '../../rules';
import { caddyAdapt, caddyAvailable } from './caddy-tool';

const SHARED = path.resolve(__dirname, '../../../shared');
const CORPUS = path.join(SHARED, 'corpus/caddy');
const FIXTURES = path.resolve(__dirname, '../fixtures/caddy');
const VALIDATION = new Set(['caddy/syntax-error', 'caddy/unknown-directive', 'caddy/undefined-snippet']);

/** name → why our verdict differs from Caddy 2.6's. */
const DISAGREEMENTS: Record<string, string> = {
  // corpus: Caddy refuses, we accept
  '0x004ad3E__caddy-native-authelia-docker__Caddyfile': 'acme_dns cloudflare: the DNS provider plugin is not in Debian\'s Caddy build',
  'kbak__local-ai-stack__caddy__Caddyfile.ai': 'acme_dns cloudflare: the DNS provider plugin is not in Debian\'s Caddy build',
  'kbak__local-ai-stack__caddy__Caddyfile.server': 'acme_dns cloudflare: the DNS provider plugin is not in Debian\'s Caddy build',
  'dunglas__symfony-docker__frankenphp__Caddyfile': 'frankenphp/php_server: FrankenPHP plugin, not in Debian\'s Caddy build',
  'hedgedoc__hedgedoc__dev-reverse-proxy__Caddyfile': 'servers { trusted_proxies } is newer than Caddy 2.6 (its option syntax changed in 2.6.3+)',
  'nextcloud__all-in-one__Containers__apache__Caddyfile': 'tls issuer acme { profile } is a Caddy 2.10 option unknown to 2.6',
  'searxng__searxng-docker__Caddyfile': 'log { format … request>remote_ip } field filter syntax is newer than Caddy 2.6',
  'nextcloud__all-in-one__Containers__mastercontainer__acme.Caddyfile': 'imports headers.Caddyfile, which this one-file run does not put next to it (Caddy: file not found; we: an import matching nothing is unknown); the two together are in caddy-imports.test.ts',
  'nextcloud__all-in-one__Containers__mastercontainer__headers.Caddyfile': 'an import fragment (starts with a directive): we lint it as a site body, caddy adapt takes it as a whole Caddyfile',
  // fixtures
  'brace-on-new-line.Caddyfile': "Caddy 2.7+ refuses a '{' alone on a new line; 2.6 still took it as the previous line's block",
  'unclosed-brace.Caddyfile': "a missing last '}' at the end of the file: Caddy's closing check sees the previous '}' again and accepts it, with respond silently inside handle; we report the unclosed '{'",
  'heredoc.Caddyfile': 'heredocs are Caddy 2.7+; 2.6 reads the lines as directives',
  'snippets.Caddyfile': 'import blocks and {block} are Caddy 2.9+; 2.6 keeps {block} literally',
  'quoted-brace.Caddyfile': 'a quoted "{" is text since Caddy 2.7 (Caddy 2.11\'s quoted_brace_args fixture); 2.6 still opened a block with it',
  'rate-limit.Caddyfile': 'rate_limit is the caddy-ratelimit plugin, not in Debian\'s Caddy build',
  'rate-limit-order.Caddyfile': 'rate_limit is the caddy-ratelimit plugin, not in Debian\'s Caddy build (its order option is refused too)',
};

function files(): { name: string; file: string }[] {
  const corpus = readdirSync(CORPUS).map((name) => ({ name, file: path.join(CORPUS, name) }));
  const fixtures = readdirSync(FIXTURES).filter((n) => n.endsWith('.Caddyfile')).map((name) => ({ name, file: path.join(FIXTURES, name) }));
  return [...corpus, ...fixtures];
}

describe('caddy differential: our verdict vs caddy adapt (2.6)', { skip: !caddyAvailable() && 'caddy is not installed' }, () => {
  it('agrees on every corpus file and fixture, or the disagreement is listed with its reason', () => {
    const unlisted: string[] = [];
    const stale: string[] = [];
    let agree = 0;
    let listed = 0;
    const all = files();
    for (const { name, file } of all) {
      const text = readFileSync(file, 'utf8');
      const findings = lintText(file, text, { format: 'caddy' }).findings.filter((f) => VALIDATION.has(f.rule));
      const ours = findings.length > 0;
      const theirs = caddyAdapt(text);
      const same = ours === !theirs.ok;
      if (same) {
        agree++;
        if (DISAGREEMENTS[name]) stale.push(name);
      } else if (DISAGREEMENTS[name]) listed++;
      else unlisted.push(`${name}: ours=${ours ? findings.map((f) => `${f.range.start.line + 1}: ${f.message}`).join('; ') : 'valid'} caddy=${theirs.ok ? 'valid' : theirs.message}`);
    }
    console.log(`caddy differential: ${agree}/${all.length} agree with caddy adapt 2.6 (${listed} listed disagreements)`);
    assert.deepEqual(unlisted, [], 'unlisted disagreements');
    assert.deepEqual(stale, [], 'listed disagreements that now agree: remove them from the list');
  });
});
