/**
 * The VS Code side of Portcullis: starts the language server (`dist/server.js`) and adds the
 * commands. All linting happens in the server; this file only wires VS Code to it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerExposureView, type ExposureTreeProvider } from './exposure-view';

/** Languages whose documents may be ours; the server decides by path and content, and says no to the rest. */
const LANGUAGES = ['dockercompose', 'yaml', 'nginx', 'caddyfile', 'systemd-unit-file', 'ini', 'properties', 'plaintext'];

/** Files that are ours whatever language VS Code gave them (no syntax extension installed). */
const PATTERNS = [
  '**/{docker-,}compose*.{yml,yaml}',
  '**/Caddyfile*',
  '**/*.caddyfile',
  '**/*.{service,socket,timer,mount,path}',
  '**/*.d/*.conf',
  '**/nginx/**/*.conf',
  '**/{conf.d,sites-available,sites-enabled,snippets}/**',
];

/** Only real files and unsaved editors: VS Code's own documents (output, chat input, git) are never linted. */
const SCHEMES = ['file', 'untitled'];

const RULE_ID = /^[a-z]+\/[a-z0-9]+(?:-[a-z0-9]+)*$/;

let client: LanguageClient | undefined;

/** What `activate` returns, for the e2e tests: the Exposure view's provider (`getChildren`, `getTreeItem`, `exposure()`). */
export interface PortcullisApi {
  exposureView: ExposureTreeProvider;
}

export async function activate(context: vscode.ExtensionContext): Promise<PortcullisApi> {
  const output = vscode.window.createOutputChannel('Portcullis', { log: true });
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };

  const watcher = vscode.workspace.createFileSystemWatcher('**/.portcullis.json');
  context.subscriptions.push(watcher);

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...SCHEMES.flatMap((scheme) => LANGUAGES.map((language) => ({ scheme, language }))),
      ...PATTERNS.map((pattern) => ({ scheme: 'file', pattern })),
    ],
    synchronize: { configurationSection: 'portcullis', fileEvents: watcher },
    outputChannel: output,
  };

  client = new LanguageClient('portcullis', 'Portcullis', serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.commands.registerCommand('portcullis.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('portcullis.openRuleDocs', (id?: unknown) => openRuleDocs(context, id)),
    vscode.commands.registerCommand('portcullis.restartServer', () => restart(output)),
  );

  try {
    await client.start();
  } catch (err) {
    output.error(`The Portcullis server failed to start: ${err instanceof Error ? err.message : String(err)}`);
    void vscode.window.showErrorMessage('Portcullis: the language server failed to start. See the output for details.', 'Show Output').then((choice) => {
      if (choice) output.show(true);
    });
  }
  // Registered even when the server failed to start: the view then says so instead of staying blank.
  const exposureView = registerExposureView(context, client, output);
  return { exposureView };
}

/** Stop, then start: unlike `client.restart()`, this also recovers a server too busy to answer the shutdown. */
async function restart(output: vscode.LogOutputChannel): Promise<void> {
  if (!client) return;
  output.info('Restarting the Portcullis server');
  try {
    await client.stop();
  } catch (err) {
    // The client terminates the process itself once the shutdown request times out.
    output.warn(`The server did not stop cleanly (${err instanceof Error ? err.message : String(err)}); starting a new one`);
  }
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** Opens `docs/rules/<id>.md` of this extension in the Markdown preview; asks for the rule when none is given. */
async function openRuleDocs(context: vscode.ExtensionContext, arg: unknown): Promise<boolean> {
  const docsRoot = context.asAbsolutePath(path.join('docs', 'rules'));
  let id = ruleIdOf(arg);
  if (id === undefined) {
    const ids = listRuleDocs(docsRoot);
    id = await vscode.window.showQuickPick(ids, { title: 'Portcullis: Open Rule Documentation', placeHolder: 'Rule id' });
    if (!id) return false;
  }
  // The id ends up in a path: accept only the `<format>/<kebab-name>` shape.
  const file = RULE_ID.test(id) ? path.join(docsRoot, `${id}.md`) : undefined;
  if (!file || !fs.existsSync(file)) {
    void vscode.window.showWarningMessage(`Portcullis: no documentation for rule "${id}".`);
    return false;
  }
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(file));
  return true;
}

/** A rule id given as a string, or the code of a diagnostic. */
function ruleIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'code' in arg) {
    const code = (arg as { code: unknown }).code;
    if (typeof code === 'string') return code;
    if (code && typeof code === 'object' && typeof (code as { value?: unknown }).value === 'string') return (code as { value: string }).value;
  }
  return undefined;
}

function listRuleDocs(docsRoot: string): string[] {
  const ids: string[] = [];
  let formats: string[] = [];
  try {
    formats = fs.readdirSync(docsRoot);
  } catch {
    return ids;
  }
  for (const format of formats.sort()) {
    let files: string[] = [];
    try {
      files = fs.readdirSync(path.join(docsRoot, format));
    } catch {
      continue;
    }
    for (const f of files.sort()) if (f.endsWith('.md')) ids.push(`${format}/${f.slice(0, -3)}`);
  }
  return ids;
}
