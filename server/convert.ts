import * as path from 'node:path';
import {
  CodeActionKind,
  DiagnosticSeverity,
  type CodeAction,
  type CreateFile,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type TextDocumentEdit,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { redactor, type Finding, type Fix, type Range, type Redactor, type Severity, type TextEdit } from '../rules';
import { fileUri } from './uri';

export const SOURCE = 'portcullis';
export const FIX_ALL_KIND = 'source.fixAll.portcullis';

/**
 * What travels in `Diagnostic.data`: the code actions are built from this, never from the message.
 * Its fixes are masked like every output (a client may log or show them); the code action
 * request finds the real fix among the document's current ones by that masked form.
 */
export interface DiagnosticData {
  rule: string;
  fixes: Fix[];
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The document being converted: its URI stands for its path in edits and related locations. */
export interface DocumentRef {
  uri: string;
  file: string;
  version: number;
}

/** The rule's page ships in the package's `docs/`, beside `dist/` where this bundle runs. */
export function ruleDocUri(rule: string, bundleDir: string): string {
  return fileUri(path.join(bundleDir, '..', 'docs', 'rules', `${rule}.md`));
}

/** `redact`: the masking of this publication (built from all of its findings, `redactor(findings)`). */
export function toDiagnostic(real: Finding, doc: DocumentRef, bundleDir: string, redact: Redactor = redactor([real])): Diagnostic {
  const finding = redact.finding(real);
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity] ?? DiagnosticSeverity.Warning,
    code: finding.rule,
    codeDescription: { href: ruleDocUri(finding.rule, bundleDir) },
    source: SOURCE,
    message: finding.message,
  };
  const related = (finding.related ?? []).flatMap((r): DiagnosticRelatedInformation[] => {
    const uri = uriOf(r.file, doc);
    return uri ? [{ location: { uri, range: r.range }, message: r.message }] : [];
  });
  if (related.length) diagnostic.relatedInformation = related;
  const data: DiagnosticData = { rule: finding.rule, fixes: finding.fixes };
  diagnostic.data = data;
  return diagnostic;
}

function uriOf(file: string, doc: DocumentRef): string | undefined {
  if (file === doc.file) return doc.uri;
  return path.isAbsolute(file) ? fileUri(file) : undefined;
}

/** Reads `Diagnostic.data` back, trusting nothing about its shape: it has been through the client. */
export function readDiagnosticData(diagnostic: Diagnostic): DiagnosticData | undefined {
  if (diagnostic.source !== SOURCE) return undefined;
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  if (!data || typeof data.rule !== 'string' || !Array.isArray(data.fixes)) return undefined;
  const fixes = data.fixes.filter(
    (f): f is Fix =>
      !!f &&
      typeof f.title === 'string' &&
      Array.isArray(f.edits) &&
      f.edits.every((e) => !!e && typeof e.newText === 'string' && isRange(e.range) && (e.file === undefined || typeof e.file === 'string')),
  );
  return { rule: data.rule, fixes };
}

function isRange(r: unknown): r is Range {
  const isPos = (p: any) => !!p && Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0;
  return !!r && isPos((r as Range).start) && isPos((r as Range).end);
}

export interface EditCapabilities {
  documentChanges: boolean;
  createFiles: boolean;
}

export interface EditEnvironment extends EditCapabilities {
  /** The version of a document open in the editor, if it is. */
  openVersion(uri: string): number | undefined;
  exists(file: string): boolean;
}

/**
 * Edits (each naming its file) as a WorkspaceEdit: versioned edits to the document, edits to other
 * files by their `file:` URI, and a `CreateFile` first for a file that does not exist yet (`.env`).
 * Undefined when the client could not apply it.
 */
export function toWorkspaceEdit(edits: readonly TextEdit[], doc: DocumentRef, env: EditEnvironment): WorkspaceEdit | undefined {
  const byUri = new Map<string, { file: string; edits: LspTextEdit[] }>();
  for (const e of edits) {
    const file = e.file ?? doc.file;
    const uri = uriOf(file, doc);
    if (!uri) return undefined;
    if (!byUri.has(uri)) byUri.set(uri, { file, edits: [] });
    byUri.get(uri)!.edits.push({ range: e.range, newText: e.newText });
  }
  if (!byUri.size) return undefined;

  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  const changes: Record<string, LspTextEdit[]> = {};
  for (const [uri, target] of byUri) {
    const version = uri === doc.uri ? doc.version : env.openVersion(uri);
    const missing = version === undefined && !env.exists(target.file);
    if (missing && !(env.documentChanges && env.createFiles)) return undefined;
    if (missing) documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
    documentChanges.push({ textDocument: { uri, version: version ?? null }, edits: target.edits });
    changes[uri] = target.edits;
  }
  return env.documentChanges ? { documentChanges } : { changes };
}

/**
 * The real fixes of the current findings, by the masked form `Diagnostic.data` carries (canonical
 * JSON): the client sends back masked fixes, the edit applied must be the real one.
 */
export function realFixes(findings: readonly Finding[], key: (rule: string, fix: Fix) => string): Map<string, Fix> {
  const redact = redactor(findings);
  const out = new Map<string, Fix>();
  for (const f of findings) for (const fix of f.fixes) out.set(key(f.rule, redact.fix(fix)), fix);
  return out;
}

/** A quick fix: the title as shown (masked), the edit the real one. */
export function quickFix(fix: Fix, diagnostic: Diagnostic, edit: WorkspaceEdit): CodeAction {
  return { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred === true, edit };
}

export function fixAllAction(edit: WorkspaceEdit, count: number): CodeAction {
  return { title: `Fix all Portcullis problems with an obvious fix (${count})`, kind: FIX_ALL_KIND, edit };
}
