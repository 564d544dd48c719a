/**
 * Differential parsing: on every nginx file of the shared corpus and on our own fixtures, our
 * verdict (accepted / rejected, and the line) agrees with `nginx -t` from Debian's nginx package.
 * Every disagreement is listed below with its reason; an unlisted one fails the test.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LineIndex, lintText } from '../../rules';
import { parseNginx } from '../../rules/nginx/model';
import { nginxAvailable, nginxTest } from './nginx-tool';

const shared = path.resolve(__dirname, '../../../shared');
const corpus = path.join(shared, 'corpus', 'nginx');
const fixtures = path.resolve(__dirname, '../fixtures/nginx/differential');

const SYNTAX_RULES = new Set(['nginx/syntax-error', 'nginx/unknown-directive', 'nginx/directive-not-allowed-here', 'nginx/wrong-argument-count']);

/** Known disagreements: file → why nginx 1.22 and we differ. */
const NEWER_HTTP2 = '`http2 on;` is nginx 1.25.1, newer than Debian\'s 1.22 (our table follows the current docs)';
const TEMPLATE = 'envsubst template: `${VAR}` placeholders are not valid values until substituted (nginx -t checks values; we check syntax)';
const ALLOWED: Record<string, string> = {
  'corpus/almakua__server_stack__nginx__conf.d__jellyfin.conf': NEWER_HTTP2,
  'corpus/almakua__server_stack__nginx__conf.d__k3s-cluster.conf': NEWER_HTTP2,
  'fixtures/newer-http2-on.conf': NEWER_HTTP2,
  'corpus/av__harbor__services__dify__nginx__conf.d__default.conf.template': `${TEMPLATE}; we stop at the bare \`\${ACME_CHALLENGE_LOCATION}\` line (line 73), which has no ";"`,
  'corpus/av__harbor__services__dify__nginx__proxy.conf.template': TEMPLATE,
  'corpus/av__harbor__services__onyx__nginx__app.conf.template': TEMPLATE,
  'corpus/leonseng__ollama-anywhere__nginx__conf.d__ollama-proxy.conf': 'NGINX Plus config: the `resolve` server parameter is open source only since nginx 1.27.3 (newer than 1.22); `health_check`, `match` and `status_zone` are NGINX Plus directives in the docs',
  'corpus/leonseng__ollama-anywhere__nginx__nginx.conf': 'NGINX Plus config: `api` is an NGINX Plus directive listed in the current docs',
  'corpus/nextcloud__docker__.examples__docker-compose__insecure__mariadb__fpm__web__nginx.conf': 'the `resolve` server parameter is open source only since nginx 1.27.3, newer than 1.22 (nginx -t checks parameter values; we check syntax)',
  'fixtures/lua-block.conf': 'a third-party (OpenResty lua) directive: Debian\'s nginx lacks the module; we accept it and keep its Lua body opaque',
};

interface Ours {
  ok: boolean;
  line?: number;
}

/** Our verdict: rejected when one of the syntax rules reports; the line is where nginx would stop. */
export function ourVerdict(file: string, text: string): Ours {
  const findings = lintText(file, text, { format: 'nginx' }).findings.filter((f) => SYNTAX_RULES.has(f.rule));
  if (!findings.length) return { ok: true };
  const model = parseNginx(text, file);
  const lines = new LineIndex(text);
  const offsets = [...model.syntaxErrors.map((e) => e.nginxAt), ...model.all.filter((d) => d.problem).map((d) => d.handledAt)];
  const first = offsets.length ? Math.min(...offsets) : lines.offset(findings[0].range.start);
  return { ok: false, line: lines.position(first).line + 1 };
}

function cases(): { name: string; file: string }[] {
  const out: { name: string; file: string }[] = [];
  for (const f of readdirSync(corpus).sort()) out.push({ name: `corpus/${f}`, file: path.join(corpus, f) });
  for (const f of readdirSync(fixtures).sort()) out.push({ name: `fixtures/${f}`, file: path.join(fixtures, f) });
  return out;
}

describe('nginx: differential parsing against nginx -t', { skip: !nginxAvailable && 'nginx or openssl not installed' }, () => {
  it('agrees with nginx -t on every corpus file and fixture, or the disagreement is listed', () => {
    let agree = 0;
    const unlisted: string[] = [];
    const stale: string[] = [];
    const all = cases();
    // Debian ships stream and mail as modules (libnginx-mod-stream, libnginx-mod-mail).
    const modules = existsSync('/usr/lib/nginx/modules/ngx_stream_module.so') && existsSync('/usr/lib/nginx/modules/ngx_mail_module.so');
    let skipped = 0;
    for (const c of all) {
      const text = readFileSync(c.file, 'utf8');
      if (!modules && /^\s*(stream|mail)\s*\{/m.test(text)) {
        skipped++;
        console.log(`  skipped ${c.name}: nginx's stream/mail modules are not installed`);
        continue;
      }
      const theirs = nginxTest(text, path.basename(c.file));
      const ours = ourVerdict(`/work/project/nginx/${path.basename(c.file)}`, text);
      const same = theirs.ok === ours.ok && (theirs.ok || theirs.line === undefined || theirs.line === ours.line);
      if (same) {
        agree++;
        if (ALLOWED[c.name]) stale.push(c.name);
        continue;
      }
      const what = `${c.name}: nginx ${theirs.ok ? 'accepts' : `rejects at ${theirs.line ?? '?'} (${theirs.message?.trim()})`}; we ${ours.ok ? 'accept' : `reject at ${ours.line}`}`;
      if (ALLOWED[c.name]) console.log(`  listed: ${what} — ${ALLOWED[c.name]}`);
      else unlisted.push(what);
    }
    console.log(`nginx differential: ${agree}/${all.length - skipped} agree with nginx -t (${all.length - skipped - agree} listed disagreements)`);
    if (stale.length) console.log(`  listed but now agreeing: ${stale.join(', ')}`);
    assert.deepEqual(unlisted, []);
  });
});
