// Cross-checks the argument counts of rules/nginx/directive-table.ts against the installed nginx
// (`nginx -t`): prints every directive nginx knows whose count we get wrong. Newer and NGINX Plus
// directives ("unknown directive" to this nginx) are skipped.
//   node --import tsx scripts/nginx-check-table.ts
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIRECTIVE_TABLE } from '../rules/nginx/directive-table';
import { Ctx, specsOf } from '../rules/nginx/directives';

const dir = mkdtempSync(join(tmpdir(), 'nginx-table-'));
mkdirSync(join(dir, 'logs'), { recursive: true });
const modules = ['/usr/lib/nginx/modules/ngx_stream_module.so', '/usr/lib/nginx/modules/ngx_mail_module.so'].filter(existsSync);
const head = modules.map((m) => `load_module ${m};`).join('\n') + `\nerror_log ${dir}/error.log; pid ${dir}/nginx.pid;\n`;

function wrap(ctx: number, d: string): string | undefined {
  const e = 'events {}\n';
  switch (ctx) {
    case Ctx.main: return `${d}\n${e}`;
    case Ctx.events: return `events { ${d} }`;
    case Ctx.http: return `${e}http { ${d} }`;
    case Ctx.server: return `${e}http { server { ${d} } }`;
    case Ctx.location: return `${e}http { server { location / { ${d} } } }`;
    case Ctx.sif: return `${e}http { server { if ($host) { ${d} } } }`;
    case Ctx.lif: return `${e}http { server { location / { if ($host) { ${d} } } } }`;
    case Ctx.limit_except: return `${e}http { server { location / { limit_except GET { ${d} } } } }`;
    case Ctx.upstream: return `${e}http { upstream u { server 127.0.0.1; ${d} } }`;
    case Ctx.stream: return `${e}stream { ${d} }`;
    case Ctx['s.server']: return `${e}stream { server { ${d} } }`;
    case Ctx['s.upstream']: return `${e}stream { upstream u { server 127.0.0.1:1; ${d} } }`;
    case Ctx.mail: return `${e}mail { ${d} }`;
    case Ctx['m.server']: return `${e}mail { server { ${d} } }`;
  }
  return undefined;
}

function verdict(conf: string): 'ok' | 'count' | 'unknown' | 'other' {
  writeFileSync(join(dir, 'n.conf'), head + conf);
  try {
    execFileSync('nginx', ['-t', '-q', '-c', join(dir, 'n.conf'), '-p', dir], { stdio: 'pipe' });
    return 'ok';
  } catch (e) {
    const out = String((e as { stderr: Buffer }).stderr);
    if (/invalid number of arguments/.test(out)) return 'count';
    if (/unknown directive/.test(out)) return 'unknown';
    return 'other';
  }
}

const SKIP = new Set(['if', 'location', 'include', 'server', 'http', 'events', 'stream', 'mail', 'load_module']);
let checked = 0;
for (const name of new Set(DIRECTIVE_TABLE.split('\n').filter(Boolean).map((l) => l.split(' ')[0]))) {
  if (SKIP.has(name)) continue;
  for (const spec of specsOf(name)!) {
    const ctx = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192].find((c) => spec.contexts & c);
    if (ctx === undefined) continue;
    const probe = (k: number) => {
      const args = Array.from({ length: k }, () => 'x').join(' ');
      const conf = wrap(ctx, `${name}${args ? ' ' + args : ''}${spec.block ? ' {}' : ';'}`);
      return conf ? verdict(conf) : 'other';
    };
    const counts = [spec.min - 1, spec.min, spec.min + 1, Number.isFinite(spec.max) ? spec.max : spec.min + 6, Number.isFinite(spec.max) ? spec.max + 1 : -1].filter((k) => k >= 0);
    let unknown = false;
    const wrong: string[] = [];
    for (const k of [...new Set(counts)]) {
      const v = probe(k);
      if (v === 'unknown') { unknown = true; break; }
      const ours = k >= spec.min && k <= spec.max;
      if (ours && v === 'count') wrong.push(`${k}: nginx says wrong count`);
      if (!ours && v === 'ok') wrong.push(`${k}: nginx accepts the count`);
    }
    if (unknown) continue;
    checked++;
    if (wrong.length) {
      const accepted = Array.from({ length: 12 }, (_, k) => k).filter((k) => probe(k) !== 'count');
      console.log(`${name} [${spec.family}] ours ${spec.min}..${spec.max}: ${wrong.join('; ')}; nginx takes ${accepted.join(',')}`);
    }
  }
}
console.log(`checked ${checked} directives`);
