/**
 * The workspace scan over JSON-RPC against the built `dist/server.js --stdio`, on generated
 * workspaces (written to a temp folder, deleted after): the time from `initialized` to the scan's
 * last diagnostics, the server's peak RSS (VmHWM) against a workspace a tenth the size (memory
 * must stay flat: no workspace text is kept), and typing latency — didChange to
 * publishDiagnostics for an open file, the 150 ms debounce included — while the scan runs and
 * when idle.
 *
 * `PORTCULLIS_BENCH_SCALE=0.1` shrinks the big workspace (default 1: 10,000 config files among
 * 200,000 other files).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLIENT_CAPABILITIES, LspClient } from '../test/lsp/harness';
import { median, table } from './harness';

const SERVER = path.resolve(__dirname, '../dist/server.js');
const SCALE = Number(process.env.PORTCULLIS_BENCH_SCALE ?? 1);
const DEBOUNCE_MS = 150;

const ollama = (port: string) => `services:\n  ollama:\n    image: ollama/ollama:0.5.7\n    ports:\n      - "${port}"\n  web:\n    image: ghcr.io/open-webui/open-webui:main\n    environment:\n      - OLLAMA_BASE_URL=http://ollama:11434\n`;

/** The config files of one project: one of each format, some with findings, some clean. */
function configFiles(i: number): [string, string][] {
  return [
    ['compose.yaml', ollama(i % 2 ? `127.0.0.1:${10000 + i}:11434` : `${10000 + i}:11434`)],
    ['nginx/conf.d/site.conf', `server {\n  listen 80;\n  server_name p${i}.example.com;\n  location / {\n    proxy_pass http://127.0.0.1:${10000 + i};\n  }\n}\n`],
    ['Caddyfile', `p${i}.example.com {\n  reverse_proxy localhost:${10000 + i}\n}\n`],
    [`systemd/p${i}.service`, `[Unit]\nDescription=p${i}\n\n[Service]\nExecStart=/usr/bin/app --port ${10000 + i}\nEnvironment=APP_HOST=${i % 3 ? '127.0.0.1' : '0.0.0.0'}\n`],
    ['deploy/stack.yml', i % 2 ? ollama(`${20000 + i}:11434`) : 'name: not compose\nsteps:\n  - run: make\n'],
  ];
}

/** `projects` folders of 5 config files and `othersPer` other files each (sources, docs, a node_modules). */
function generate(root: string, projects: number, othersPer: number): { configs: number; others: number } {
  let others = 0;
  for (let i = 0; i < projects; i++) {
    const dir = path.join(root, `project-${i}`);
    for (const [name, text] of configFiles(i)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const src = path.join(dir, 'src', 'lib');
    const modules = path.join(dir, 'node_modules', 'dep', 'lib');
    fs.mkdirSync(src, { recursive: true });
    fs.mkdirSync(modules, { recursive: true });
    for (let j = 0; j < othersPer; j++) {
      // Mostly sources; some YAML and .conf that the content rules out; a fifth in node_modules.
      const name = j % 10 === 0 ? path.join(dir, 'ci', `job-${j}.yml`) : j % 10 === 1 ? path.join(dir, 'etc', `tool-${j}.conf`) : j % 5 === 2 ? path.join(modules, `m${j}.js`) : path.join(src, `f${j}.ts`);
      if (j < 2) fs.mkdirSync(path.dirname(name), { recursive: true });
      fs.writeFileSync(name, j % 10 === 0 ? 'on: push\njobs: {}\n' : j % 10 === 1 ? '[program:x]\ncommand=/bin/true\n' : `export const x${j} = ${j};\n`);
      others++;
    }
  }
  return { configs: projects * 5, others };
}

function vmHwmKb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

interface Measured {
  configs: number;
  others: number;
  generateMs: number;
  scanMs: number;
  published: number;
  hwmMb: number;
  typingScan: number[];
  typingIdle: number[];
}

async function measure(projects: number, othersPer: number): Promise<Measured> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-bench-ws-')));
  let client: LspClient | undefined;
  try {
    let t = performance.now();
    const { configs, others } = generate(root, projects, othersPer);
    const generateMs = performance.now() - t;
    // Drop what the generation left in the page cache? Not possible unprivileged: the scan reads warm files, as in an editor reopened on a project.

    const typed = path.join(root, 'typing', 'compose.yaml');
    fs.mkdirSync(path.dirname(typed), { recursive: true });
    t = performance.now();
    client = await LspClient.start(SERVER, { workspaceFolders: [root], capabilities: { ...CLIENT_CAPABILITIES, window: { workDoneProgress: true } } });
    const c = client;
    const pid = c.proc.pid!;
    const ended = () => c.progress.some((p) => p.value.kind === 'end');

    // Typing while the scan runs: one change at a time, waiting for its diagnostics.
    const uri = pathToFileURL(typed).href;
    c.open(uri, ollama('1:11434'));
    await c.diagnostics(uri, (p) => p.version === 1, 0, 60_000);
    let version = 1;
    const type = async (): Promise<number> => {
      const v = ++version;
      const mark = c.mark();
      const sent = performance.now();
      c.change(uri, v, ollama(`${v}:11434`));
      await c.diagnostics(uri, (p) => p.version === v, mark, 60_000);
      return performance.now() - sent;
    };
    const typingScan: number[] = [];
    while (!ended()) {
      const ms = await type();
      if (!ended()) typingScan.push(ms);
    }
    await c.waitUntil(() => (ended() ? true : undefined), 600_000, () => 'the end of the scan');
    const endAt = performance.now();
    const scanPublications = c.published.filter((p) => p.uri !== uri);
    const scanMs = endAt - t;
    const published = new Set(scanPublications.map((p) => p.uri)).size;
    const hwmMb = vmHwmKb(pid) / 1024;

    const typingIdle: number[] = [];
    for (let i = 0; i < 20; i++) typingIdle.push(await type());
    return { configs, others, generateMs, scanMs, published, hwmMb, typingScan, typingIdle };
  } finally {
    await client?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run npm run build first`);
  const bigProjects = Math.max(10, Math.round(2000 * SCALE));
  const runs: [string, Measured][] = [];
  runs.push(['small', await measure(Math.round(bigProjects / 10), 100)]);
  runs.push(['big', await measure(bigProjects, 100)]);
  const p95 = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length * 0.95)] ?? NaN;
  const rows = runs.map(([name, m]) => [
    name,
    `${m.configs} / ${m.others}`,
    (m.generateMs / 1000).toFixed(1) + ' s',
    Math.round(m.scanMs),
    m.published,
    m.hwmMb.toFixed(0),
    m.typingScan.length ? `${median(m.typingScan).toFixed(0)} (p95 ${p95(m.typingScan).toFixed(0)}, n=${m.typingScan.length})` : 'n/a',
    `${median(m.typingIdle).toFixed(0)} (p95 ${p95(m.typingIdle).toFixed(0)})`,
  ]);
  console.log(`workspace scan over JSON-RPC (dist/server.js --stdio, ${os.cpus().length} cores); typing latency includes the ${DEBOUNCE_MS} ms debounce\n`);
  console.log(table(rows, ['workspace', 'config / other files', 'generate', 'scan ms (to last diagnostics)', 'files published', 'peak RSS MB', 'typing ms during scan', 'typing ms idle']));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
