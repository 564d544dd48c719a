/**
 * Talks to the built language server as an editor would: a child process speaking JSON-RPC over
 * stdio. The server is bundled afresh for each test file into a temp folder laid out like the
 * package (`dist/server.js` beside a `docs/` link), so the tests never run a stale `dist/`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const REPO = path.resolve(__dirname, '../..');

export interface BuiltServer {
  /** The temp package root: `dist/server.js` and `docs/` (a link to the repository's). */
  root: string;
  serverJs: string;
  cleanup(): void;
}

export async function buildServer(): Promise<BuiltServer> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-lsp-'));
  const serverJs = path.join(root, 'dist', 'server.js');
  try {
    await build({
      entryPoints: [path.join(REPO, 'server', 'main.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile: serverJs,
      logLevel: 'silent',
    });
  } catch (error) {
    fs.rmSync(root, { recursive: true, force: true });
    throw new Error(`could not bundle server/main.ts: ${(error as Error).message}`);
  }
  fs.symlinkSync(path.join(REPO, 'docs'), path.join(root, 'docs'));
  return { root, serverJs, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export function docHref(root: string, rule: string): string {
  return pathToFileURL(path.join(root, 'docs', 'rules', `${rule}.md`)).href;
}

export interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface Diagnostic {
  range: Range;
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
  message: string;
  relatedInformation?: unknown[];
  data?: any;
}

export interface PublishDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

export interface CodeAction {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  diagnostics?: Diagnostic[];
  edit?: { documentChanges?: any[]; changes?: Record<string, any[]> };
}

export interface StartOptions {
  workspaceFolders?: string[];
  /** Answers `workspace/configuration` for the `portcullis` section. */
  settings?: (scopeUri: string | undefined) => unknown;
  /** Answers `workspace/configuration` for the `files` section (VS Code's `files.exclude` lives there). */
  files?: (scopeUri: string | undefined) => unknown;
  capabilities?: Record<string, unknown>;
}

export const CLIENT_CAPABILITIES = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
    workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
      isPreferredSupport: true,
      dataSupport: true,
    },
  },
};

export class LspClient {
  readonly published: PublishDiagnostics[] = [];
  readonly logs: { type: number; message: string }[] = [];
  readonly registrations: { method: string; registerOptions?: any }[] = [];
  readonly unregistrations: { id: string; method: string }[] = [];
  /** Tokens the server asked for with `window/workDoneProgress/create`, and its `$/progress` reports. */
  readonly progressTokens: (string | number)[] = [];
  readonly progress: { token: string | number; value: { kind: 'begin' | 'report' | 'end'; title?: string; message?: string; cancellable?: boolean } }[] = [];
  settings: (scopeUri: string | undefined) => unknown;
  files: (scopeUri: string | undefined) => unknown;
  stderr = '';
  initializeResult: any;
  private waiters: (() => void)[] = [];
  private exited = false;

  private constructor(
    readonly proc: ChildProcess,
    readonly connection: MessageConnection,
    options: StartOptions,
  ) {
    this.settings = options.settings ?? (() => ({}));
    this.files = options.files ?? (() => null);
    proc.stderr!.on('data', (d) => (this.stderr += d));
    proc.on('exit', () => {
      this.exited = true;
      this.notify();
    });
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnostics) => {
      this.published.push(p);
      this.notify();
    });
    connection.onNotification('window/logMessage', (p: { type: number; message: string }) => {
      this.logs.push(p);
      this.notify();
    });
    connection.onRequest('workspace/configuration', (p: { items: { scopeUri?: string; section?: string }[] }) =>
      p.items.map((item) => (item.section === 'portcullis' ? this.settings(item.scopeUri) : item.section === 'files' ? this.files(item.scopeUri) : null)),
    );
    connection.onRequest('window/workDoneProgress/create', (p: { token: string | number }) => {
      this.progressTokens.push(p.token);
      return null;
    });
    connection.onNotification('$/progress', (p: LspClient['progress'][number]) => {
      this.progress.push(p);
      this.notify();
    });
    connection.onRequest('client/registerCapability', (p: { registrations: { method: string; registerOptions?: any }[] }) => {
      this.registrations.push(...p.registrations);
      this.notify();
      return null;
    });
    connection.onRequest('client/unregisterCapability', (p: { unregisterations: { id: string; method: string }[] }) => {
      this.unregistrations.push(...p.unregisterations);
      return null;
    });
    connection.onRequest('workspace/workspaceFolders', () => null);
  }

  static async start(serverJs: string, options: StartOptions = {}): Promise<LspClient> {
    if (!fs.existsSync(serverJs)) throw new Error(`${serverJs} is missing: the server bundle was not built`);
    const proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspClient(proc, connection, options);
    connection.listen();
    const folders = options.workspaceFolders ?? [];
    client.initializeResult = await client.request('initialize', {
      processId: process.pid,
      rootUri: folders[0] ? pathToFileURL(folders[0]).href : null,
      workspaceFolders: folders.map((f) => ({ uri: pathToFileURL(f).href, name: path.basename(f) })),
      capabilities: options.capabilities ?? CLIENT_CAPABILITIES,
    });
    connection.sendNotification('initialized', {});
    return client;
  }

  get alive(): boolean {
    return !this.exited;
  }

  request<R = any>(method: string, params: unknown, timeoutMs = 10_000): Promise<R> {
    return withTimeout(this.connection.sendRequest(method, params) as Promise<R>, timeoutMs, `no answer to ${method}`);
  }

  send(method: string, params: unknown): void {
    void this.connection.sendNotification(method, params);
  }

  open(uri: string, text: string, languageId = 'dockercompose', version = 1): void {
    this.send('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, text: string): void {
    this.send('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  close(uri: string): void {
    this.send('textDocument/didClose', { textDocument: { uri } });
  }

  /** A mark in the stream of diagnostics: `diagnostics()` only looks at what arrives after it. */
  mark(): number {
    return this.published.length;
  }

  /** The first publication for `uri` after `mark` that satisfies `accept`. */
  async diagnostics(uri: string, accept: (p: PublishDiagnostics) => boolean = () => true, mark = 0, timeoutMs = 5000): Promise<PublishDiagnostics> {
    const found = () => this.published.slice(mark).find((p) => p.uri === uri && accept(p));
    return this.waitUntil(found, timeoutMs, () => `diagnostics for ${uri}; got ${JSON.stringify(this.published.slice(mark).filter((p) => p.uri === uri).map((p) => ({ version: p.version, codes: p.diagnostics.map((d) => d.code) })))}`);
  }

  async waitUntil<T>(probe: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined) return value;
      if (this.exited) throw new Error(`the server exited while waiting for ${what()}\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what()}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Shuts the server down politely, and kills it if it does not go. Safe to call twice. */
  async stop(): Promise<void> {
    if (!this.exited) {
      try {
        await this.request('shutdown', null, 2000);
        this.send('exit', null);
        await this.waitUntil(() => (this.exited ? true : undefined), 2000, () => 'exit');
      } catch {
        // Fall through to the kill.
      }
    }
    if (!this.exited) this.proc.kill('SIGKILL');
    this.connection.dispose();
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}

export const SEVERITY = { error: 1, warning: 2, info: 3, hint: 4 } as const;

/** The diagnostics the server must publish for these findings: the contract, spelled out. */
export function expectedDiagnostics(findings: readonly { rule: string; severity: keyof typeof SEVERITY; range: Range; message: string; fixes: unknown[] }[], root: string): Diagnostic[] {
  return findings.map((f) => ({
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: docHref(root, f.rule) },
    source: 'portcullis',
    message: f.message,
    data: { rule: f.rule, fixes: f.fixes },
  }));
}

/** Writes a file of a test workspace (its folders created); returns its path. */
export function writeFile(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Applies LSP text edits (all relative to the original text) the way an editor does. */
export function applyTextEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => (p.line >= lineStarts.length ? text.length : Math.min(lineStarts[p.line] + p.character, text.length));
  // Back to front, and inserts at one place in their given order.
  const sorted = edits
    .map((e, i) => ({ i, start: offset(e.range.start), end: offset(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
