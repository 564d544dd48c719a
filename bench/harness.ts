/** Small timing helpers shared by the benchmarks: warm up, then the median of repeated runs. */

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median milliseconds of `fn`, run until `minRuns` runs and at least `minMs` have passed. */
export function time(fn: () => unknown, minRuns = 15, minMs = 200): number {
  for (let i = 0; i < 3; i++) fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minRuns || performance.now() - start < minMs) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
    if (samples.length > 5000) break;
  }
  return median(samples);
}

export function table(rows: (string | number)[][], header: string[]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? c.toFixed(3) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  return cells.map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ')).join('\n');
}

/**
 * A format's parse alone against its whole pass (parse + every rule), side by side in one run, per
 * input; the last input is the generated one, left out of the corpus totals. Prints the table and
 * the totals; returns the generated input's row (name, parse ms, full ms, rules ms, ratio).
 */
export function parseAgainstFull(title: string, inputs: { name: string; parse: () => unknown; full: () => unknown }[]): (string | number)[] {
  const rows: (string | number)[][] = [];
  let parseTotal = 0;
  let fullTotal = 0;
  for (const input of inputs) {
    const parse = time(input.parse);
    const full = time(input.full);
    if (!input.name.startsWith('generated')) {
      parseTotal += parse;
      fullTotal += full;
    }
    rows.push([input.name.length > 60 ? input.name.slice(0, 57) + '…' : input.name, parse, full, full - parse, (full / parse).toFixed(2) + '×']);
  }
  const corpus = rows.slice(0, -1);
  console.log(title + '\n');
  console.log(table(rows, ['file', 'parse ms', 'full ms', 'rules ms', 'full/parse']));
  if (corpus.length) {
    console.log(`\ncorpus (${corpus.length} files): parse ${parseTotal.toFixed(2)} ms, full ${fullTotal.toFixed(2)} ms, ratio ${(fullTotal / parseTotal).toFixed(2)}×; mean full pass per file ${(fullTotal / corpus.length).toFixed(3)} ms`);
  }
  return rows[rows.length - 1];
}
