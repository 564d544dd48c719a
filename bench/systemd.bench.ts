/**
 * systemd: our unit-file parse alone against the whole pass (parse + every systemd rule), side by
 * side in one run, on the corpus units and drop-ins and on a generated 5,000-line unit.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lintText } from '../rules';
import { parseSystemd } from '../rules/systemd/model';
import { parseAgainstFull } from './harness';

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

const last = parseAgainstFull(
  'systemd: median ms per file — parse alone vs parse + all systemd rules',
  inputs.map(({ name, file, text }) => ({ name, parse: () => parseSystemd(text, file), full: () => lintText(file, text, { format: 'systemd' }) })),
);
console.log(`generated 5,000-line unit: parse ${Number(last[1]).toFixed(2)} ms, full ${Number(last[2]).toFixed(2)} ms, ratio ${last[4]}`);
