/**
 * nginx benchmark: parse only vs parse + every nginx rule, on every corpus file and on the
 * 35,178-line generated config (../shared/bench/nginx-large.conf). Median of several runs after
 * warm-up, in milliseconds.
 *   node --import tsx bench/nginx.bench.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseDocument, runRules } from '../rules';
import { parseNginx } from '../rules/nginx/model';

const shared = path.resolve(__dirname, '../../shared');
const corpusDir = path.join(shared, 'corpus', 'nginx');
const large = path.join(shared, 'bench', 'nginx-large.conf');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time and median CPU time (this process, GC threads included) of `fn`, in ms. */
function time(fn: () => void, runs: number, warmup: number): { wall: number; cpu: number } {
  for (let i = 0; i < warmup; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

const rows: { name: string; lines: number; parse: number; all: number; parseCpu: number; allCpu: number }[] = [];
function measure(name: string, file: string, text: string, runs: number, warmup: number) {
  const parse = time(() => parseNginx(text, file), runs, warmup);
  const all = time(() => {
    const doc = parseDocument(file, text, 'nginx')!;
    runRules(doc);
  }, runs, warmup);
  rows.push({ name, lines: text.split('\n').length, parse: parse.wall, all: all.wall, parseCpu: parse.cpu, allCpu: all.cpu });
}

const corpus = readdirSync(corpusDir).sort();
let corpusText = 0;
for (const name of corpus) {
  const text = readFileSync(path.join(corpusDir, name), 'utf8');
  corpusText += text.length;
  measure(name.length > 48 ? name.slice(0, 45) + '...' : name, path.join('/bench/nginx', name), text, 50, 20);
}
const largeText = readFileSync(large, 'utf8');
measure('nginx-large.conf', '/bench/nginx/nginx.conf', largeText, 15, 5);

const pad = (s: string, n: number) => s.padEnd(n);
const num = (x: number) => x.toFixed(3).padStart(10);
console.log(`${pad('file', 50)}${'lines'.padStart(7)}${'parse ms'.padStart(10)}${'all ms'.padStart(10)}${'ratio'.padStart(8)}`);
for (const r of rows) console.log(`${pad(r.name, 50)}${String(r.lines).padStart(7)}${num(r.parse)}${num(r.all)}${(r.all / r.parse).toFixed(2).padStart(8)}`);
const corpusRows = rows.slice(0, corpus.length);
const sum = (k: 'parse' | 'all') => corpusRows.reduce((a, r) => a + r[k], 0);
console.log(`\ncorpus: ${corpus.length} files, ${(corpusText / 1024).toFixed(0)} KiB — parse ${sum('parse').toFixed(2)} ms, parse+rules ${sum('all').toFixed(2)} ms in all (${(sum('all') / corpus.length).toFixed(3)} ms per file)`);
const l = rows[rows.length - 1];
console.log(`large: ${l.lines} lines — parse ${l.parse.toFixed(1)} ms, parse+rules ${l.all.toFixed(1)} ms wall (CPU ${l.parseCpu.toFixed(1)} / ${l.allCpu.toFixed(1)} ms) (target < 100 ms; gixy-ng 1390 ms)`);
const load = loadavg()[0];
if (load > 2) console.log(`note: load average ${load.toFixed(1)} on ${cpus().length} CPUs during this run: wall times are inflated; CPU times are the steadier figure.`);
