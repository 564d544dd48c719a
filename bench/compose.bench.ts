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
import { parseAgainstFull } from './harness';

const shared = resolve(__dirname, '../../shared/corpus/compose');

const inputs: { name: string; text: string }[] = [];
if (existsSync(shared)) for (const f of readdirSync(shared).sort()) inputs.push({ name: f, text: readFileSync(join(shared, f), 'utf8') });
const big = generateCompose(5000);
inputs.push({ name: `generated (${big.split('\n').length - 1} lines)`, text: big });

const last = parseAgainstFull(
  'compose: median ms per file — yaml parse alone vs parse + model + all compose rules',
  inputs.map(({ name, text }) => ({ name, parse: () => parseAllDocuments(text, { merge: true, uniqueKeys: true }), full: () => lintText('/bench/compose.yaml', text, { format: 'compose' }) })),
);
console.log(`generated 5,000 lines: parse ${Number(last[1]).toFixed(2)} ms, full ${Number(last[2]).toFixed(2)} ms, ratio ${last[4]} (target: rules cost less than the parse, ratio < 2)`);
