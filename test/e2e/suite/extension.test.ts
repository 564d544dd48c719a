/// <reference types="mocha" />
/** The installed extension itself: what it ships, when it activates, what it leaves alone, its commands. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activated, closeAll, codeOf, describe, fileIn, open, sleep, targetOf, waitForDiagnostics, withCode, writeFile } from './helpers';

const PORT = 'compose/port-exposed-all-interfaces';
const EXPOSED = 'services:\n  ollama:\n    image: ollama/ollama:0.5.7\n    ports:\n      - "11434:11434"\n';

let probes = 0;
/** Lints a fresh compose file and waits for its finding: after it, the server has seen what was opened before. */
async function probe(): Promise<void> {
  const uri = fileIn('e2e', `probe-${++probes}`, 'compose.yaml');
  await writeFile(uri, EXPOSED);
  await open(uri);
  await waitForDiagnostics(uri, (d) => withCode(d, PORT).length === 1, 'the probe\'s finding');
  await sleep(500);
}

suite('extension', () => {
  let ext: vscode.Extension<unknown>;
  suiteSetup(async () => {
    ext = await activated();
  });
  teardown(closeAll);

  test('is the packaged .vsix, installed as a user would', () => {
    const root = ext.extensionPath;
    for (const f of ['package.json', 'dist/extension.js', 'dist/server.js', 'docs/rules/compose/port-exposed-all-interfaces.md']) {
      assert.ok(fs.existsSync(path.join(root, f)), `${f} is shipped`);
    }
    for (const f of ['client', 'server', 'rules', 'test', 'node_modules', 'tsconfig.json', 'dist/extension.js.map']) {
      assert.ok(!fs.existsSync(path.join(root, f)), `${f} is not shipped`);
    }
  });

  test('activates on its own files only, never on start-up', () => {
    const events: string[] = (ext.packageJSON as { activationEvents: string[] }).activationEvents;
    assert.ok(events.includes('onLanguage:dockercompose'));
    for (const e of ['*', 'onStartupFinished', 'onLanguage:yaml', 'onLanguage:plaintext', 'onLanguage:ini', 'onLanguage:properties']) {
      assert.ok(!events.includes(e), `no ${e}`);
    }
  });

  test('contributes its commands under the Portcullis category', async () => {
    const all = await vscode.commands.getCommands(true);
    const contributed = (ext.packageJSON as { contributes: { commands: { command: string; category: string }[] } }).contributes.commands;
    for (const id of ['portcullis.showOutput', 'portcullis.openRuleDocs', 'portcullis.restartServer']) {
      assert.ok(all.includes(id), `${id} is registered`);
      assert.equal(contributed.find((c) => c.command === id)?.category, 'Portcullis');
    }
    await vscode.commands.executeCommand('portcullis.showOutput');
  });

  test('opens the rule documentation from the diagnostic code', async () => {
    const doc = (await open(fileIn('docker-compose.yml'))).document;
    const [diag] = withCode(await waitForDiagnostics(doc.uri, (d) => withCode(d, PORT).length > 0, 'a port finding'), PORT);
    const target = targetOf(diag);
    assert.ok(target, 'the code has a target');
    assert.equal(target.scheme, 'file');
    assert.equal(target.fsPath, path.join(ext.extensionPath, 'docs', 'rules', `${PORT}.md`), 'the page inside the installed extension');
    assert.ok(fs.existsSync(target.fsPath));

    // What a click on the code does.
    await vscode.commands.executeCommand('vscode.open', target);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, target.fsPath);
    assert.match(vscode.window.activeTextEditor.document.getText(), /^# /);

    assert.equal(await vscode.commands.executeCommand('portcullis.openRuleDocs', codeOf(diag)), true);
    const preview = await waitForTab((t) => t.input instanceof vscode.TabInputWebview && /markdown/i.test(t.input.viewType) && t.label.includes('port-exposed-all-interfaces'));
    assert.ok(preview, 'the Markdown preview of the page is open');

    assert.equal(await vscode.commands.executeCommand('portcullis.openRuleDocs', '../../package'), false, 'a path is not a rule id');
  });

  test('Open Rule Documentation without an id asks for the rule', async () => {
    const first = fs.readdirSync(path.join(ext.extensionPath, 'docs', 'rules')).sort()[0];
    const page = fs.readdirSync(path.join(ext.extensionPath, 'docs', 'rules', first)).sort()[0].replace(/\.md$/, '');
    const opened = vscode.commands.executeCommand<boolean>('portcullis.openRuleDocs');
    await sleep(1000); // the quick pick is up, its first rule highlighted
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(await opened, true);
    assert.ok(await waitForTab((t) => t.input instanceof vscode.TabInputWebview && t.label.includes(`${page}.md`)), `the preview of ${first}/${page}`);
  });

  test('does not lint YAML that is not compose (a GitHub workflow)', async () => {
    const uri = fileIn('e2e', '.github', 'workflows', 'ci.yml');
    const doc = (await open(uri)).document;
    assert.equal(doc.languageId, 'yaml');
    await probe();
    assert.deepEqual(vscode.languages.getDiagnostics(uri), []);
  });

  test('lints nothing in documents that are not files', async () => {
    const scheme = 'portcullis-e2e';
    const provider = vscode.workspace.registerTextDocumentContentProvider(scheme, { provideTextDocumentContent: () => EXPOSED });
    try {
      const uri = vscode.Uri.from({ scheme, path: '/docker-compose.yml' });
      const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'dockercompose');
      await vscode.window.showTextDocument(doc);
      await probe();
      assert.deepEqual(vscode.languages.getDiagnostics(uri), []);
    } finally {
      provider.dispose();
    }
    // Nowhere in the window: output channels, settings, chat input and the like.
    for (const [uri, ds] of vscode.languages.getDiagnostics()) {
      if (ds.some((d) => d.source === 'portcullis')) assert.ok(uri.scheme === 'file' || uri.scheme === 'untitled', `${uri.toString()}: ${describe(ds)}`);
    }
  });

  test('keeps working after portcullis.restartServer', async () => {
    await vscode.commands.executeCommand('portcullis.restartServer');
    await probe();
  });

  test('does not lint an untitled plaintext document', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: EXPOSED });
    let failed = true;
    try {
      await vscode.window.showTextDocument(doc);
      await probe();
      assert.deepEqual(vscode.languages.getDiagnostics(doc.uri), []);
      failed = false;
    } finally {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      // A server stuck on this document would fail every later test too: give them a fresh one.
      if (failed) await vscode.commands.executeCommand('portcullis.restartServer');
    }
  });
});

async function waitForTab(ok: (t: vscode.Tab) => boolean, timeoutMs = 10_000): Promise<vscode.Tab | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find(ok);
    if (tab) return tab;
    await sleep(100);
  }
  return undefined;
}
