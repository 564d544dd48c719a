/// <reference types="mocha" />
/**
 * The Exposure view on the multi-file fixture `e2e/deployment/` (Ollama published on every interface
 * by compose and proxied by nginx with auth_basic): its rows as VS Code gets them from the provider,
 * a click to the line, and the server's change notification refreshing it. The workspace holds the
 * other fixtures and examples/ too: only the rows of the fixture's files are checked exactly.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Row } from '../../../client/exposure-format';
import type { PortcullisApi } from '../../../client/extension';
import { activated, closeAll, fileIn, rangeOf, sleep, writeFile } from './helpers';

interface Shown {
  label: string;
  description: string;
  icon: string;
  children?: Shown[];
}

let api: PortcullisApi;

/** The top-level rows whose entry point is in `folder`, polled until `ok` accepts them (the first scan takes a moment). */
async function rowsIn(folder: vscode.Uri, ok: (rows: Row[]) => boolean, what: string, timeoutMs = 40_000): Promise<Row[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = (await api.exposureView.getChildren()).filter((r) => r.place.file.startsWith(folder.fsPath + '/'));
    if (ok(rows)) return rows;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; have: ${JSON.stringify(rows.map((r) => show(r)), null, 1)}`);
    await sleep(250);
  }
}

/** A row as the view shows it: what the tree item says. */
function show(row: Row): Shown {
  const item = api.exposureView.getTreeItem(row);
  const out: Shown = { label: String(item.label), description: String(item.description), icon: (item.iconPath as vscode.ThemeIcon).id };
  if (row.children.length) out.children = row.children.map(show);
  return out;
}

suite('exposure view', () => {
  suiteSetup(async () => {
    api = (await activated()).exports as PortcullisApi;
    assert.ok(api?.exposureView, 'activate returns the exposure view');
  });
  teardown(closeAll);

  test('is contributed: a Portcullis container with the Exposure view and its refresh command', async () => {
    const ext = await activated();
    const contributes = (ext.packageJSON as { contributes: Record<string, unknown> }).contributes as {
      viewsContainers: { activitybar: { id: string; title: string; icon: string }[] };
      views: Record<string, { id: string; name: string }[]>;
      menus: Record<string, { command: string; when: string }[]>;
    };
    assert.deepEqual(contributes.viewsContainers.activitybar.map((c) => [c.id, c.title]), [['portcullis', 'Portcullis']]);
    assert.ok(fs.existsSync(path.join(ext.extensionPath, contributes.viewsContainers.activitybar[0].icon)), 'the icon is shipped');
    assert.deepEqual(contributes.views.portcullis.map((v) => [v.id, v.name]), [['portcullis.exposure', 'Exposure']]);
    assert.ok(contributes.menus['view/title'].some((m) => m.command === 'portcullis.refreshExposure' && m.when === 'view == portcullis.exposure'));
    assert.ok((await vscode.commands.getCommands(true)).includes('portcullis.refreshExposure'));
    // Opening the container shows the view (VS Code fails these for an unknown container or view).
    await vscode.commands.executeCommand('workbench.view.extension.portcullis');
    await vscode.commands.executeCommand('portcullis.exposure.focus');
    await vscode.commands.executeCommand('portcullis.refreshExposure');
  });

  test('lists the entry points of the deployment, what sits behind them and the worst finding', async () => {
    const rows = await rowsIn(fileIn('e2e', 'deployment'), (rs) => JSON.stringify(rs.map(show)) === JSON.stringify(EXPECTED), 'the deployment fixture\'s rows');
    assert.deepEqual(rows.map(show), EXPECTED);
    // The tooltip names the worst finding's rule and says where it is.
    const tooltip = api.exposureView.getTreeItem(rows[0]).tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /^\$\(error\) `deployment\/proxy-bypass` \(error\): compose service ollama \\\(Ollama\\\) is behind the authentication/m);
    assert.match(tooltip.value, /\ne2e\/deployment\/compose\\\.yaml:7$/);
  });

  test('a click opens the line of the worst finding, else of the entry point', async () => {
    const rows = await rowsIn(fileIn('e2e', 'deployment'), (rs) => rs.length === EXPECTED.length, 'the deployment fixture\'s rows');
    const clicks = [...rows, ...rows.flatMap((r) => r.children)];
    assert.equal(clicks.length, CLICKS.length);
    for (const [i, row] of clicks.entries()) {
      const [file, needle] = CLICKS[i];
      const item = api.exposureView.getTreeItem(row);
      assert.ok(item.command, `${item.label} has a command`);
      await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor, `${item.label} opened an editor`);
      assert.equal(editor.document.uri.fsPath, fileIn(...file).fsPath, `${item.label}: the file`);
      const want = rangeOf(editor.document, needle);
      assert.deepEqual(
        [editor.selection.start.line, editor.selection.start.character, editor.selection.end.line, editor.selection.end.character],
        [want.start.line, want.start.character, want.end.line, want.end.character],
        `${item.label}: the selection is ${needle}`,
      );
    }
  });

  test('a change on disk refreshes the view through portcullis/exposureChanged', async () => {
    const folder = fileIn('e2e', 'deployment-live');
    const uri = vscode.Uri.joinPath(folder, 'compose.yaml');
    let changes = 0;
    const sub = api.exposureView.onDidChangeTreeData(() => changes++);
    try {
      await sleep(1000); // what earlier tests changed has been announced: count only what this one does
      changes = 0;
      await writeFile(uri, 'services:\n  redis:\n    image: redis:7.4\n    ports:\n      - "6380:6379"\n');
      await waitFor(() => changes > 0, 'portcullis/exposureChanged after a new file');
      const [row] = await rowsIn(folder, (rs) => rs.length === 1, 'the new file\'s entry point');
      assert.match(show(row).label, /^\*:6380 {2}compose service redis/);
      changes = 0;
      await vscode.workspace.fs.delete(folder, { recursive: true });
      await waitFor(() => changes > 0, 'portcullis/exposureChanged after a deletion');
      await rowsIn(folder, (rs) => rs.length === 0, 'the entry point to go');
    } finally {
      sub.dispose();
      await vscode.workspace.fs.delete(folder, { recursive: true }).then(undefined, () => undefined);
    }
  });
});

async function waitFor(ok: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const BEHIND = 'TLS ✓ · auth ✓ · rate limit ✗';
const BARE = 'TLS ✗ · auth ✗ · rate limit ✗';
/** What the view shows for e2e/deployment/: the port that walks around the proxy, and nginx's server with its two locations. */
const EXPECTED: Shown[] = [
  { label: '*:11435  compose service ollama (Ollama)', description: BARE, icon: 'error' },
  {
    label: '*:443  nginx ollama.example.com',
    description: BEHIND,
    icon: 'error',
    children: [
      { label: '/docs/ → http://127.0.0.1:8088', description: BEHIND, icon: 'pass' },
      { label: '/ → http://127.0.0.1:11435 → compose service ollama (Ollama)', description: BEHIND, icon: 'error' },
    ],
  },
];
/** For each row (top level, then children, in order): the file and the text its click selects. */
const PORT = '"11435:11434"';
const COMPOSE = ['e2e', 'deployment', 'compose.yaml'];
const CLICKS: [string[], string][] = [
  [COMPOSE, PORT], // deployment/proxy-bypass, on the port itself
  [COMPOSE, PORT], // the server: its worst finding is on the port behind it
  [['e2e', 'deployment', 'nginx', 'conf.d', 'ollama.conf'], 'proxy_pass http://127.0.0.1:8088;'], // no finding: the route itself
  [COMPOSE, PORT],
];
