/**
 * systemd: our unit-file parse alone against the whole pass (parse + every systemd rule), side by
 * side in one run, on the corpus units and drop-ins and on a generated 5,000-line unit.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lintText } from '../rules';
import { parseSystemd } from '../rules/systemd/model';
import { table, time } from './harness';

const shared = resolve(__dirname, '../../shared/corpus/systemd');

/** A unit with every construct the parser handles: comments, quoting, continuations, many sections. */
export function generateUnit(targetLines: number): string {
  const out = ['[Unit]', 'Description=Generated unit', 'After=network-online.target', '', '[Service]', 'ExecStart=/usr/local/bin/ollama serve'];
  for (let i = 0; out.length < targetLines - 4; i++) {
    out.push(
      `# block ${i}`,
      `Environment="VAR_${i}=value ${i}" OTHER_${i}=x${i}`,
      `Environment=${i % 5 === 0 ? 'APP_HOST=0.0.0.0' : `APP_HOST_${i}=127.0.0.1:${8000 + (i % 100)}`}`,
      `ExecStartPre=/usr/bin/test -d /srv/data/${i} \\`,
      `  --flag-${i} \\`,
      `  ; comment inside the continuation`,
      `  --last ${i}`,
      `${i % 7 === 0 ? 'Enviroment' : 'LimitNOFILE'}=${65536 + i}`,
    );
  }
  out.push('User=ollama', '', '[Install]', 'WantedBy=multi-user.target');
  return out.join('\n') + '\n';
}

const inputs: { name: string; file: string; text: string }[] = [];
if (existsSync(shared)) {
  for (const f of readdirSync(shared).sort()) inputs.push({ name: f, file: '/corpus/' + f.replace(/__/g, '/'), text: readFileSync(join(shared, f), 'utf8') });
}
const big = generateUnit(5000);
inputs.push({ name: `generated (${big.split('\n').length - 1} lines)`, file: '/bench/generated.service', text: big });

const rows: (string | number)[][] = [];
let parseTotal = 0;
let fullTotal = 0;
for (const { name, file, text } of inputs) {
  const parse = time(() => parseSystemd(text, file));
  const full = time(() => lintText(file, text, { format: 'systemd' }));
  if (!name.startsWith('generated')) {
    parseTotal += parse;
    fullTotal += full;
  }
  rows.push([name.length > 60 ? name.slice(0, 57) + '…' : name, parse, full, full - parse, (full / parse).toFixed(2) + '×']);
}
const corpus = rows.slice(0, -1);
console.log('systemd: median ms per file — parse alone vs parse + all systemd rules\n');
console.log(table(rows, ['file', 'parse ms', 'full ms', 'rules ms', 'full/parse']));
if (corpus.length) {
  console.log(`\ncorpus (${corpus.length} files): parse ${parseTotal.toFixed(2)} ms, full ${fullTotal.toFixed(2)} ms, ratio ${(fullTotal / parseTotal).toFixed(2)}×; mean full pass per file ${(fullTotal / corpus.length).toFixed(3)} ms`);
}
const last = rows[rows.length - 1];
console.log(`generated 5,000-line unit: parse ${Number(last[1]).toFixed(2)} ms, full ${Number(last[2]).toFixed(2)} ms, ratio ${last[4]}`);
