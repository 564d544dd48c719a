/**
 * The secret pass per keystroke, beside the other rules of the format: the whole synchronous pass
 * (parse + every rule + secrets/hardcoded-secret), the secrets rule's share of it (candidate
 * extraction + detectors), and the asynchronous secretlint pass, on a typical file and on a
 * generated 5,000-line one — for compose, systemd and nginx.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lintText, mergeConfig, parseDocument, runAsyncRules, runRules, type Format } from '../rules';
import { generateCompose } from './generate';
import { median, table, time } from './harness';

const typicalPath = resolve(__dirname, '../../shared/corpus/compose/AllDayAutomationsai__openwebui-litellm-stack__docker-compose.yml');
const typical = existsSync(typicalPath)
  ? readFileSync(typicalPath, 'utf8')
  : ['services:', '  app:', '    image: example/app:1', '    environment:', '      - DB_PASSWORD=Zq8vLr2mXw9p', '      - LOG_LEVEL=info'].join('\n') + '\n';
const big = generateCompose(5000, { secrets: true });

const corpus = (format: string, name: string, fallback: string) => {
  const p = resolve(__dirname, `../../shared/corpus/${format}/${name}`);
  return existsSync(p) ? readFileSync(p, 'utf8') : fallback;
};
const typicalUnit = corpus('systemd', 'Vijay2win__llm-serve__litellm.service', '[Service]\nEnvironment=API_TOKEN=Zq8vN2rT5wX1yB4k\nExecStart=/usr/bin/litellm --port 4000\n');
const typicalNginx = corpus('nginx', 'c00cjz00__openwebui_docker__nginx__ollama.conf', 'server {\n  location / { proxy_pass http://127.0.0.1:11434; }\n}\n');

/** A long unit: Environment= lines (some with a literal token) and ExecStartPre= commands continued over lines. */
function generateUnit(targetLines: number): string {
  const out = ['[Unit]', 'Description=generated', '[Service]', 'ExecStart=/usr/bin/litellm --port 4000'];
  for (let i = 0; out.length < targetLines - 2; i++) {
    out.push(`Environment=VAR_${i}=value-${i} MODE_${i}=prod${i % 5 ? '' : ` SVC_${i}_TOKEN=Zq8v${(i * 104729).toString(36)}N2rT5wX1`}`);
    out.push(`ExecStartPre=/usr/bin/prepare --step ${i} \\`, `  --api-key=${i % 4 ? '${API_KEY}' : `t0k3n${(i * 7919).toString(36)}v4lu3x9`} \\`, `  --model m${i}`);
  }
  out.push('[Install]', 'WantedBy=multi-user.target');
  return out.join('\n') + '\n';
}

/** A long nginx config: servers with proxied locations, header values and an occasional literal key. */
function generateNginx(targetLines: number): string {
  const out = ['http {'];
  for (let i = 0; out.length < targetLines - 1; i++) {
    out.push(
      '  server {',
      `    listen 127.0.0.1:${10000 + i};`,
      `    server_name s${i}.example.com;`,
      `    if ($http_x_api_key != "${i % 4 ? '$expected_key' : `Zq8v${(i * 7919).toString(36)}N2rT5wX1`}") { return 401; }`,
      '    location / {',
      `      proxy_set_header Host $host;`,
      `      proxy_set_header X-Request-Id $request_id;`,
      `      proxy_pass http://127.0.0.1:${20000 + i};`,
      '    }',
      '  }',
    );
  }
  out.push('}');
  return out.join('\n') + '\n';
}

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
  const inputs: [Format, string, string, string][] = [
    ['compose', '/bench/compose.yaml', 'typical', typical],
    ['compose', '/bench/compose.yaml', 'generated', big],
    ['systemd', '/etc/systemd/system/litellm.service', 'typical', typicalUnit],
    ['systemd', '/etc/systemd/system/litellm.service', 'generated', generateUnit(5000)],
    ['nginx', '/etc/nginx/conf.d/site.conf', 'typical', typicalNginx],
    ['nginx', '/etc/nginx/nginx.conf', 'generated', generateNginx(5000)],
  ];
  for (const [format, file, kind, text] of inputs) {
    const name = `${format} ${kind} (${text.split('\n').length - 1} lines)`;
    const whole = time(() => lintText(file, text, { format, config: secretsOnly }));
    // The rules on one parsed document, with and without the secrets rule: its own share.
    const doc = parseDocument(file, text, format)!;
    const full = time(() => runRules(doc, { config: secretsOnly }));
    const rest = time(() => runRules(doc, { config: withoutSecrets }));
    const asyncMs = await timeAsync(() => runAsyncRules(doc, { config: secretsOnly }));
    rows.push([name, whole, rest, Math.max(0, full - rest), asyncMs]);
  }
  console.log('secrets: median ms per keystroke — whole sync pass (parse + all rules), the other rules, the secrets rule (sync), the async secretlint pass\n');
  console.log(table(rows, ['file', 'sync parse+rules', 'other rules', 'secrets sync', 'secrets async']));
}

void main();
