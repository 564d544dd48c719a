/**
 * Compose: the `yaml` package's parse alone against our whole pass (parse + model + every compose
 * rule), side by side in one run, on the corpus files and on a generated 5,000-line file.
 * Target: the rules add less than the parse itself costs (ratio below 2).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { lintText } from '../rules';
import { generateCompose } from './generate';
import { table, time } from './harness';

const shared = resolve(__dirname, '../../shared/corpus/compose');

const inputs: { name: string; text: string }[] = [];
if (existsSync(shared)) for (const f of readdirSync(shared).sort()) inputs.push({ name: f, text: readFileSync(join(shared, f), 'utf8') });
const big = generateCompose(5000);
inputs.push({ name: `generated (${big.split('\n').length - 1} lines)`, text: big });

const rows: (string | number)[][] = [];
let parseTotal = 0;
let fullTotal = 0;
for (const { name, text } of inputs) {
  const parse = time(() => parseAllDocuments(text, { merge: true, uniqueKeys: true }));
  const full = time(() => lintText('/bench/compose.yaml', text, { format: 'compose' }));
  if (!name.startsWith('generated')) {
    parseTotal += parse;
    fullTotal += full;
  }
  rows.push([name.length > 60 ? name.slice(0, 57) + '…' : name, parse, full, full - parse, (full / parse).toFixed(2) + '×']);
}
const corpus = rows.slice(0, -1);
console.log('compose: median ms per file — yaml parse alone vs parse + model + all compose rules\n');
console.log(table(rows, ['file', 'parse ms', 'full ms', 'rules ms', 'full/parse']));
if (corpus.length) {
  console.log(`\ncorpus (${corpus.length} files): parse ${parseTotal.toFixed(2)} ms, full ${fullTotal.toFixed(2)} ms, ratio ${(fullTotal / parseTotal).toFixed(2)}×; mean full pass per file ${(fullTotal / corpus.length).toFixed(3)} ms`);
}
const last = rows[rows.length - 1];
console.log(`generated 5,000 lines: parse ${Number(last[1]).toFixed(2)} ms, full ${Number(last[2]).toFixed(2)} ms, ratio ${last[4]} (target: rules cost less than the parse, ratio < 2)`);
