/// <reference types="mocha" />
/** Shared by the e2e suite files: run in VS Code's extension host against the installed Portcullis. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'portcullis.portcullis';

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the e2e workspace is open');
  return folder.uri;
}

export function fileIn(...segments: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...segments);
}

export async function activated(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  if (!ext.isActive) await ext.activate();
  return ext;
}

export async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (typeof c === 'string') return c;
  if (c && typeof c === 'object' && typeof c.value === 'string') return c.value;
  return undefined;
}

export function targetOf(d: vscode.Diagnostic): vscode.Uri | undefined {
  return d.code && typeof d.code === 'object' ? d.code.target : undefined;
}

/** Polls the diagnostics of `uri` until `ok` accepts them: the server debounces and answers asynchronously. */
export async function waitForDiagnostics(uri: vscode.Uri, ok: (ds: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ds = vscode.languages.getDiagnostics(uri);
    if (ok(ds)) return ds;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what} in ${uri.path}; have: ${describe(ds)}`);
    await sleep(100);
  }
}

export function withCode(ds: vscode.Diagnostic[], code: string): vscode.Diagnostic[] {
  return ds.filter((d) => codeOf(d) === code);
}

export function describe(ds: vscode.Diagnostic[]): string {
  return JSON.stringify(ds.map((d) => `${codeOf(d)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}/${vscode.DiagnosticSeverity[d.severity]}`));
}

/** The range of the first occurrence of `needle` in the document. */
export function rangeOf(doc: vscode.TextDocument, needle: string): vscode.Range {
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0, `"${needle}" occurs in ${doc.uri.path}`);
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + needle.length));
}

export function assertRange(actual: vscode.Range, expected: vscode.Range, what: string): void {
  assert.deepEqual(
    [actual.start.line, actual.start.character, actual.end.line, actual.end.character],
    [expected.start.line, expected.start.character, expected.end.line, expected.end.character],
    `${what}: range`,
  );
}

/** Applies a code action as the editor would: its edit, then its command. */
export async function applyAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `the edit of "${action.title}" applies`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Writes a scratch file into the workspace (each test gets its own, so runs never depend on order). */
export async function writeFile(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

export interface FindingCase {
  /** Path segments under the workspace. */
  file: string[];
  code: string;
  /** The text the finding's range covers exactly. */
  at: string;
  severity: vscode.DiagnosticSeverity;
  /** The title of the quick fix to apply, and text the file holds after it. */
  fix: RegExp;
  fixed: string;
}

/** The round trip every format gets: the finding at its exact place, its quick fix applied, the finding gone. */
export async function findingAndFix(c: FindingCase): Promise<void> {
  const doc = (await open(fileIn(...c.file))).document;
  const ds = withCode(await waitForDiagnostics(doc.uri, (d) => withCode(d, c.code).length > 0, c.code), c.code);
  assert.equal(ds.length, 1, describe(ds));
  assertRange(ds[0].range, rangeOf(doc, c.at), c.code);
  assert.equal(ds[0].severity, c.severity, `${c.code}: severity`);
  assert.equal(ds[0].source, 'portcullis');

  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, ds[0].range, vscode.CodeActionKind.QuickFix.value, 10);
  const fix = actions.find((a) => c.fix.test(a.title));
  assert.ok(fix, `a fix ${c.fix} among ${JSON.stringify(actions.map((a) => a.title))}`);
  await applyAction(fix);
  assert.ok(doc.getText().includes(c.fixed), `after "${fix.title}" the file holds ${c.fixed}:\n${doc.getText()}`);
  await waitForDiagnostics(doc.uri, (d) => withCode(d, c.code).length === 0, `${c.code} to go`);
  await doc.save();
}
