/**
 * Caddyfile benchmark: parse only vs parse + every caddy rule, on every corpus file, on a
 * generated 10,000-line Caddyfile with snippets, and on a generated 10,000-line configuration split
 * over files that import each other (a Caddyfile importing snippet files and site files, sites
 * importing fragments), linted through a Project as the editor and the CLI do. Median of several
 * runs after warm-up. Run: node --import tsx bench/caddy.bench.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { documentFacts, formatModule, lintProject, lintText, memoryFileSystem, parseDocument, Project, runRules } from '../rules';

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
    out.push(...site(n, ['\t@api path /api/* /v1/*', '\tbasic_auth @api {', `\t\talice ${HASH}`, '\t}'], '\t\treverse_proxy localhost:11434'));
    n++;
  }
  out.push('import sites.d/*.caddy', '');
  return out.join('\n');
}

const HASH = '$2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG';

/** Site `n`: its auth lines, static files, an API proxy (Ollama for every fifth site), the app. */
function site(n: number, auth: string[], ollamaProxy: string): string[] {
  return [
    `site${n}.example.com, www.site${n}.example.com {`,
    `\timport common${n % 20} site${n}`,
    ...auth,
    '\thandle_path /static/* {',
    '\t\troot * /srv/static',
    '\t\tfile_server',
    '\t}',
    '\thandle /api/* {',
    n % 5 === 0 ? ollamaProxy : `\t\timport proxy app${n}:8080`,
    '\t}',
    '\trespond /health "ok" 200',
    '\thandle {',
    `\t\treverse_proxy "app${n}:3000" {`,
    '\t\t\thealth_uri /healthz',
    '\t\t}',
    '\t}',
    '}',
    '',
  ];
}

/**
 * A configuration of about `targetLines` lines over many files: `/bench/caddy/Caddyfile` (global
 * options, snippets, a glob import of snippet files and one of site files), 20 snippet files, site
 * files of 10 sites each, and fragments the sites import (headers, auth, an Ollama proxy).
 */
export function generateCaddyWorkspace(targetLines: number): Record<string, string> {
  const dir = '/bench/caddy';
  const files: Record<string, string> = {};
  const root: string[] = ['{', '\tadmin localhost:2019', '\temail ops@example.com', '\torder rate_limit before basic_auth', '}', '', 'import snippets/*.caddy', ''];
  root.push('(proxy) {', '\treverse_proxy {args[0]} {', '\t\theader_up X-Real-IP {remote_host}', '\t\tflush_interval -1', '\t}', '}', '');
  for (let i = 0; i < 20; i++) {
    files[`${dir}/snippets/common${i}.caddy`] = [`(common${i}) {`, '\tencode zstd gzip', '\timport ../fragments/headers.caddy', '\tlog {', `\t\toutput file /var/log/caddy/{args[0]}-${i}.log`, '\t}', '}', ''].join('\n');
  }
  files[`${dir}/fragments/headers.caddy`] = ['header {', '\tStrict-Transport-Security "max-age=31536000"', '\tX-Content-Type-Options nosniff', '\t-Server', '}', ''].join('\n');
  files[`${dir}/fragments/auth.caddy`] = ['@api path /api/* /v1/*', 'basic_auth @api {', `\talice ${HASH}`, '}', ''].join('\n');
  files[`${dir}/fragments/ollama.caddy`] = ['reverse_proxy localhost:11434 {', '\theader_up Host localhost:11434', '\tflush_interval -1', '}', ''].join('\n');
  root.push('import sites/*.caddy', '');
  files[`${dir}/Caddyfile`] = root.join('\n');
  const count = () => Object.values(files).reduce((n, t) => n + t.split('\n').length, 0);
  for (let f = 0, n = 0; count() < targetLines; f++) {
    const out: string[] = [];
    for (let k = 0; k < 10; k++, n++) {
      out.push(...site(n, ['\timport ../fragments/auth.caddy'], '\t\timport ../fragments/ollama.caddy'));
    }
    files[`${dir}/sites/site${String(f).padStart(3, '0')}.caddy`] = out.join('\n');
  }
  return files;
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
  console.log(`corpus: ${(corpusAll / Math.max(1, inputs.length - 1)).toFixed(3)} ms per file (parse + rules), ${inputs.length - 1} files`);
  importsBench();
}

/** The multi-file configuration: the whole project linted at once, then the Caddyfile re-linted as a keystroke would. */
function importsBench() {
  const files = generateCaddyWorkspace(10_000);
  const fs = memoryFileSystem(files);
  const lines = Object.values(files).reduce((n, t) => n + t.split('\n').length, 0);
  const list = Object.entries(files).map(([file, text]) => ({ file, text }));
  const root = '/bench/caddy/Caddyfile';
  // Cold: a new project each run (every file parsed, references and facts recorded, every rule run).
  const coldTimes: number[] = [];
  let findings = 0;
  let asyncRuns = 0;
  const cold = async () => {
    const project = new Project(fs);
    const t0 = performance.now();
    const r = await lintProject(project, list, {}, (f) => fs.stamp(f));
    coldTimes.push(performance.now() - t0);
    findings = r.findings.length;
  };
  // Warm: the Caddyfile edited (a new parse of it), the imported files already parsed in the project.
  const project = new Project(fs);
  const warm = () => {
    const doc = parseDocument(root, files[root] + `\n# edit ${asyncRuns++}\n`, 'caddy')!;
    runRules(doc, { project });
    documentFacts(doc, { project });
  };
  void (async () => {
    for (let i = 0; i < WARMUP; i++) await cold();
    coldTimes.length = 0;
    for (let i = 0; i < RUNS; i++) await cold();
    for (const f of Object.keys(files)) project.document(f, 'caddy');
    const warmMs = time(warm);
    const doc = parseDocument(root, files[root], 'caddy')!;
    const facts = documentFacts(doc, { project }).facts.proxies ?? [];
    console.log(
      `\nwith file imports: ${Object.keys(files).length} files, ${lines} lines (${facts.length} sites, ${facts.reduce((n, p) => n + p.routes.length, 0)} routes, ${findings} findings)`,
    );
    console.log(`  whole project (parse + references + facts + rules, every file): ${median(coldTimes).toFixed(3)} ms`);
    console.log(`  Caddyfile re-linted after an edit, imports followed (parse + rules + facts): ${warmMs.toFixed(3)} ms`);
  })();
}

if (require.main === module) main();
