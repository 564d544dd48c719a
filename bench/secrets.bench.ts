/**
 * The secret pass per keystroke, beside the other compose rules: the whole synchronous pass
 * (parse + every compose rule + secrets/hardcoded-secret), the secrets rule's share of it
 * (candidate extraction + detectors), and the asynchronous secretlint pass, on a typical compose
 * file and on a generated 5,000-line one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lintText, mergeConfig, parseDocument, runAsyncRules, runRules } from '../rules';
import { median, table, time } from './harness';

const typicalPath = resolve(__dirname, '../../shared/corpus/compose/AllDayAutomationsai__openwebui-litellm-stack__docker-compose.yml');
const typical = existsSync(typicalPath)
  ? readFileSync(typicalPath, 'utf8')
  : ['services:', '  app:', '    image: example/app:1', '    environment:', '      - DB_PASSWORD=Zq8vLr2mXw9p', '      - LOG_LEVEL=info'].join('\n') + '\n';
/** As bench/compose.bench.ts's generated file (importing it would run that benchmark), with secrets in it. */
function generateCompose(targetLines: number): string {
  const out = ['services:'];
  for (let i = 0; out.length < targetLines; i++) {
    out.push(
      `  svc-${i}:`,
      `    image: ${i % 3 === 0 ? 'ollama/ollama' : i % 3 === 1 ? 'redis:7.2' : `example/app-${i}:1.${i}`}`,
      '    restart: unless-stopped',
      '    ports:',
      `      - "${i % 2 ? '127.0.0.1:' : ''}${10000 + i}:${8000 + (i % 50)}"`,
      '    environment:',
      `      - OLLAMA_BASE_URL=http://svc-${Math.max(0, i - 1)}:11434`,
      `      - LOG_LEVEL=${i % 2 ? 'info' : 'debug'}`,
      `      - API_TOKEN=${i % 4 ? '${API_TOKEN}' : `t0k3n-${(i * 7919).toString(36)}-v4lu3`}`,
      '    volumes:',
      `      - data-${i}:/data`,
      '    depends_on:',
      `      - svc-${Math.max(0, i - 1)}`,
    );
  }
  return out.join('\n') + '\n';
}
const big = generateCompose(5000);

const secretsOnly = mergeConfig({ rules: {} });
const withoutSecrets = mergeConfig({ rules: { 'secrets/hardcoded-secret': 'off' } });

async function timeAsync(fn: () => Promise<unknown>, runs = 15): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

async function main() {
  const rows: (string | number)[][] = [];
  for (const [name, text] of [
    [`typical (${typical.split('\n').length - 1} lines)`, typical],
    [`generated (${big.split('\n').length - 1} lines)`, big],
  ] as const) {
    const file = '/bench/compose.yaml';
    const whole = time(() => lintText(file, text, { format: 'compose', config: secretsOnly }));
    // The rules on one parsed document, with and without the secrets rule: its own share.
    const doc = parseDocument(file, text, 'compose')!;
    const full = time(() => runRules(doc, { config: secretsOnly }));
    const rest = time(() => runRules(doc, { config: withoutSecrets }));
    const asyncMs = await timeAsync(() => runAsyncRules(doc, { config: secretsOnly }));
    rows.push([name, whole, rest, full - rest, asyncMs]);
  }
  console.log('secrets: median ms per keystroke — whole sync pass (parse + all rules), the other rules, the secrets rule (sync), the async secretlint pass\n');
  console.log(table(rows, ['file', 'sync parse+rules', 'other rules', 'secrets sync', 'secrets async']));
}

void main();
