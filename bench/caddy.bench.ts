/**
 * Caddyfile benchmark: parse only vs parse + every caddy rule, on every corpus file and on a
 * generated 10,000-line Caddyfile with snippets and imports. Median of several runs after warm-up.
 * Run: node --import tsx bench/caddy.bench.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatModule, lintText } from '../rules';

const CORPUS = path.resolve(__dirname, '../../shared/corpus/caddy');
const RUNS = 15;
const WARMUP = 5;

/** A large Caddyfile: global options, snippets with arguments, sites importing them, nested blocks. */
export function generateCaddyfile(targetLines: number): string {
  const out: string[] = ['{', '\tadmin localhost:2019', '\temail ops@example.com', '\torder rate_limit before basic_auth', '}', ''];
  for (let i = 0; i < 20; i++) {
    out.push(`(common${i}) {`, '\tencode zstd gzip', '\theader {', '\t\tStrict-Transport-Security "max-age=31536000"', '\t\t-Server', '\t}', '\tlog {', `\t\toutput file /var/log/caddy/{args[0]}-${i}.log`, '\t}', '}', '');
  }
  out.push('(proxy) {', '\treverse_proxy {args[0]} {', '\t\theader_up X-Real-IP {remote_host}', '\t\tflush_interval -1', '\t}', '}', '');
  let n = 0;
  while (out.length < targetLines - 2) {
    const ollama = n % 5 === 0;
    out.push(
      `site${n}.example.com, www.site${n}.example.com {`,
      `\timport common${n % 20} site${n}`,
      '\t@api path /api/* /v1/*',
      '\tbasic_auth @api {',
      '\t\talice $2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG',
      '\t}',
      '\thandle_path /static/* {',
      '\t\troot * /srv/static',
      '\t\tfile_server',
      '\t}',
      '\thandle /api/* {',
      ollama ? '\t\treverse_proxy localhost:11434' : `\t\timport proxy app${n}:8080`,
      '\t}',
      '\trespond /health "ok" 200',
      '\thandle {',
      `\t\treverse_proxy "app${n}:3000" {`,
      '\t\t\thealth_uri /healthz',
      '\t\t}',
      '\t}',
      '}',
      '',
    );
    n++;
  }
  out.push('import sites.d/*.caddy', '');
  return out.join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void): number {
  for (let i = 0; i < WARMUP; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

function main() {
  const caddy = formatModule('caddy')!;
  const inputs: { name: string; file: string; text: string }[] = [];
  try {
    for (const name of readdirSync(CORPUS).sort()) inputs.push({ name, file: path.join(CORPUS, name), text: readFileSync(path.join(CORPUS, name), 'utf8') });
  } catch {
    console.error(`(no corpus at ${CORPUS})`);
  }
  const big = generateCaddyfile(10_000);
  inputs.push({ name: `generated (${big.split('\n').length} lines)`, file: '/bench/Caddyfile', text: big });

  const rows: string[][] = [];
  let corpusParse = 0;
  let corpusAll = 0;
  for (const { name, file, text } of inputs) {
    const parse = time(() => caddy.parse(text, file));
    const all = time(() => lintText(file, text, { format: 'caddy' }));
    if (!name.startsWith('generated')) {
      corpusParse += parse;
      corpusAll += all;
    }
    rows.push([name.slice(0, 60), String(text.split('\n').length), parse.toFixed(3), all.toFixed(3), (all / parse).toFixed(2)]);
  }
  rows.push(['corpus total', '', corpusParse.toFixed(3), corpusAll.toFixed(3), (corpusAll / corpusParse).toFixed(2)]);
  const head = ['file', 'lines', 'parse ms', 'parse+rules ms', 'ratio'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`caddy benchmark: median of ${RUNS} runs after ${WARMUP} warm-up runs (node ${process.version})`);
  console.log(fmt(head));
  for (const r of rows) console.log(fmt(r));
}

main();
