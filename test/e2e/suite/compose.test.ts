/// <reference types="mocha" />
/** docker-compose files in a real VS Code: diagnostics, quick fixes, fix-all, settings, syntax errors. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, applyAction, assertRange, closeAll, codeOf, describe, fileIn, open, rangeOf, sleep, waitForDiagnostics, withCode } from './helpers';

const PORT = 'compose/port-exposed-all-interfaces';

suite('compose', () => {
  suiteSetup(async () => {
    await activated();
  });
  teardown(closeAll);

  test('the example deployment shows its findings with codes, ranges and severities', async () => {
    const editor = await open(fileIn('docker-compose.yml'));
    const doc = editor.document;
    const ds = await waitForDiagnostics(doc.uri, (d) => withCode(d, PORT).length >= 2, 'two port findings');

    const ollama = rangeOf(doc, '"11434:11434"');
    const onOllama = withCode(ds, PORT).filter((d) => d.range.start.line === ollama.start.line);
    assert.equal(onOllama.length, 1, describe(ds));
    assertRange(onOllama[0].range, ollama, 'Ollama port');
    assert.equal(onOllama[0].severity, vscode.DiagnosticSeverity.Error, 'Ollama has no auth: error');
    assert.match(onOllama[0].message, /11434/);

    const webui = rangeOf(doc, '"3000:8080"');
    const onWebui = withCode(ds, PORT).filter((d) => d.range.start.line === webui.start.line);
    assert.equal(onWebui.length, 1, describe(ds));
    assertRange(onWebui[0].range, webui, 'Open WebUI port');
    assert.equal(onWebui[0].severity, vscode.DiagnosticSeverity.Warning);

    const auth = withCode(ds, 'compose/openwebui-auth-disabled');
    assert.equal(auth.length, 1, describe(ds));
    assertRange(auth[0].range, rangeOf(doc, 'WEBUI_AUTH=False'), 'WEBUI_AUTH');
    assert.equal(auth[0].severity, vscode.DiagnosticSeverity.Error);

    for (const d of ds) {
      assert.equal(d.source, 'portcullis');
      // The compose rules', and the cross-file rules' that land here (deployment/proxy-bypass on the Open WebUI port).
      assert.match(codeOf(d) ?? '', /^(compose|secrets|deployment)\/[a-z-]+$/, 'code is the rule id');
    }
  });

  test('the quick fix is offered and applying it fixes the text', async () => {
    const editor = await open(fileIn('e2e', 'ollama', 'compose.yaml'));
    const doc = editor.document;
    const [diag] = await waitForDiagnostics(doc.uri, (d) => withCode(d, PORT).length === 1, 'the port finding').then((d) => withCode(d, PORT));
    assertRange(diag.range, rangeOf(doc, '"11434:11434"'), 'port');

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value, 10);
    const bind = actions.find((a) => /127\.0\.0\.1/.test(a.title));
    assert.ok(bind, `a bind-to-loopback fix among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.ok(bind.kind && vscode.CodeActionKind.QuickFix.contains(bind.kind), 'it is a quick fix');
    assert.equal(bind.isPreferred, true, 'it is the preferred fix');

    await applyAction(bind);
    assert.equal(doc.lineAt(diag.range.start.line).text.trim(), '- "127.0.0.1:11434:11434"');
    await waitForDiagnostics(doc.uri, (d) => withCode(d, PORT).length === 0, 'the port finding to go');
    await doc.save();
  });

  test('the fix-all source action fixes every finding that has an obvious fix', async () => {
    const editor = await open(fileIn('e2e', 'fixall', 'docker-compose.yml'));
    const doc = editor.document;
    await waitForDiagnostics(doc.uri, (d) => withCode(d, PORT).length === 2, 'two port findings');

    const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
    const kind = vscode.CodeActionKind.SourceFixAll.append('portcullis');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, whole, kind.value, 10);
    const fixAll = actions.find((a) => a.kind && kind.contains(a.kind));
    assert.ok(fixAll, `a ${kind.value} action among ${JSON.stringify(actions.map((a) => `${a.kind?.value}: ${a.title}`))}`);

    await applyAction(fixAll);
    const text = doc.getText();
    assert.match(text, /"127\.0\.0\.1:11434:11434"/);
    assert.match(text, /"127\.0\.0\.1:6379:6379"/);
    await waitForDiagnostics(doc.uri, (d) => withCode(d, PORT).length === 0, 'no port finding left');
    await doc.save();
  });

  test('the portcullis.rules setting changes a rule\'s severity and turns it off', async () => {
    const config = () => vscode.workspace.getConfiguration('portcullis');
    const editor = await open(fileIn('e2e', 'off', 'compose.yaml'));
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (d) => withCode(d, PORT).length === 1, 'the port finding');
    try {
      await config().update('rules', { [PORT]: 'hint' }, vscode.ConfigurationTarget.Workspace);
      await waitForDiagnostics(uri, (d) => withCode(d, PORT).some((x) => x.severity === vscode.DiagnosticSeverity.Hint), 'the finding as a hint');

      await config().update('rules', { [PORT]: 'off' }, vscode.ConfigurationTarget.Workspace);
      const ds = await waitForDiagnostics(uri, (d) => withCode(d, PORT).length === 0, 'the port finding to go');
      assert.ok(ds.length > 0, 'the other rules still report');
    } finally {
      await config().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    const back = await waitForDiagnostics(uri, (d) => withCode(d, PORT).length === 1, 'the port finding to come back');
    assert.equal(withCode(back, PORT)[0].severity, vscode.DiagnosticSeverity.Error);
  });

  test('a YAML syntax error is one diagnostic, and the next file is still linted', async () => {
    const broken = (await open(fileIn('e2e', 'broken', 'compose.yaml'))).document;
    await waitForDiagnostics(broken.uri, (d) => d.length > 0, 'the syntax error');
    await sleep(1000); // anything else the server would send has arrived by now
    const ds = vscode.languages.getDiagnostics(broken.uri);
    assert.equal(ds.length, 1, describe(ds));
    assert.equal(codeOf(ds[0]), 'compose/syntax-error');
    assert.equal(ds[0].severity, vscode.DiagnosticSeverity.Error);
    assert.ok(ds[0].range.start.line >= 1, 'reported where the YAML breaks, not on line 1');

    const next = (await open(fileIn('e2e', 'after-broken', 'compose.yml'))).document;
    const after = await waitForDiagnostics(next.uri, (d) => withCode(d, PORT).length === 1, 'the next file\'s port finding');
    assertRange(withCode(after, PORT)[0].range, rangeOf(next, '"0.0.0.0:11434:11434"'), 'port');
  });

  test('an unsaved document in the dockercompose language is linted', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'dockercompose', content: 'services:\n  ollama:\n    image: ollama/ollama:0.5.7\n    ports:\n      - "11434:11434"\n' });
    try {
      await vscode.window.showTextDocument(doc);
      assert.equal(doc.uri.scheme, 'untitled');
      const ds = await waitForDiagnostics(doc.uri, (d) => withCode(d, PORT).length === 1, 'the port finding');
      assertRange(withCode(ds, PORT)[0].range, rangeOf(doc, '"11434:11434"'), 'port');
    } finally {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
