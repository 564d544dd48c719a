/**
 * The Exposure view: the deployment's entry points (every listener reachable from outside) and what
 * sits behind each, with TLS / auth / rate-limit marks and the worst finding; a click opens its line.
 * The data is the server's `portcullis/exposure` answer; `portcullis/exposureChanged` refreshes it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Exposure } from '../rules/deployment/exposure-types';
import { rows, type IconId, type Row } from './exposure-format';

export const VIEW_ID = 'portcullis.exposure';
export const REFRESH_COMMAND = 'portcullis.refreshExposure';
const EXPOSURE_REQUEST = 'portcullis/exposure';
const EXPOSURE_CHANGED = 'portcullis/exposureChanged';
/** The context key the view's welcome texts read: `loading`, `empty`, `error` or `ready`. */
const STATE_KEY = 'portcullis.exposureState';

/** The part of the language client the view uses. */
export interface ExposureSource {
  sendRequest(method: string, params: unknown): Promise<unknown>;
  onNotification(method: string, handler: () => void): vscode.Disposable;
}

const COLORS: Record<IconId, string> = {
  error: 'problemsErrorIcon.foreground',
  warning: 'problemsWarningIcon.foreground',
  info: 'problemsInfoIcon.foreground',
  pass: 'testing.iconPassed',
};

export class ExposureTreeProvider implements vscode.TreeDataProvider<Row>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Row | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: ExposureSource,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(source.onNotification(EXPOSURE_CHANGED, () => this.refreshSoon()), { dispose: () => clearTimeout(this.timer) });
    void setState('loading');
  }

  refresh(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.changed.fire(undefined);
  }

  /** A scan or a burst of saves sends many notifications: ask once they pause. */
  private refreshSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 150);
  }

  /** The server's current answer. */
  async exposure(): Promise<Exposure> {
    return (await this.source.sendRequest(EXPOSURE_REQUEST, {})) as Exposure;
  }

  async getChildren(row?: Row): Promise<Row[]> {
    if (row) return row.children;
    try {
      const top = rows(await this.exposure(), relativePath);
      await setState(top.length ? 'ready' : 'empty');
      return top;
    } catch (err) {
      this.log.error(`The exposure could not be computed: ${err instanceof Error ? err.message : String(err)}`);
      await setState('error');
      return [];
    }
  }

  getTreeItem(row: Row): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, row.children.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = row.id;
    item.description = row.description;
    item.iconPath = new vscode.ThemeIcon(row.icon, new vscode.ThemeColor(COLORS[row.icon]));
    const tooltip = new vscode.MarkdownString(row.tooltip, true);
    tooltip.isTrusted = false;
    item.tooltip = tooltip;
    const { file, range } = row.open;
    const selection = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
    item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(file), { selection, preview: true }] };
    item.contextValue = row.children.length ? 'entry' : 'hop';
    return item;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}

/** The view, its refresh command and the server's change notification; returns the provider (the tests' API). */
export function registerExposureView(context: vscode.ExtensionContext, source: ExposureSource, log: vscode.LogOutputChannel): ExposureTreeProvider {
  const provider = new ExposureTreeProvider(source, log);
  context.subscriptions.push(
    provider,
    vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true }),
    vscode.commands.registerCommand(REFRESH_COMMAND, () => provider.refresh()),
  );
  return provider;
}

function setState(state: 'loading' | 'empty' | 'error' | 'ready'): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', STATE_KEY, state);
}

/** `examples/Caddyfile` for a file of a workspace folder (the folder named in a multi-root workspace). */
function relativePath(file: string): string {
  const uri = vscode.Uri.file(file);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return file;
  const rel = path.relative(folder.uri.fsPath, uri.fsPath);
  return (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `${folder.name}/${rel}` : rel;
}
