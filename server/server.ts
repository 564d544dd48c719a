import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocumentSyncKind,
  WatchKind,
  TextDocuments,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CANDIDATE_GLOBS, candidateByName, collectPreferredEdits, redactor, redactText, type Finding } from '../rules';
import { FIX_ALL_KIND, fixAllAction, quickFix, readDiagnosticData, realFixes, toDiagnostic, toWorkspaceEdit, type DocumentRef, type EditEnvironment } from './convert';
import { Deployment } from './deployment';
import { exposureOf, ShownFindings } from './exposure';
import { Linter, type LintInputs } from './linter';
import { CONFIG_FILE, ConfigStore } from './settings';
import { WorkspaceScanner } from './scan';
import { documentPath, filePath, fileUri, isLintable } from './uri';
import { isSharedInput, SHARED_INPUT_GLOBS, WorkspaceFiles } from './workspace';

/** The overview of the deployment's entry points (`Exposure`), for the VS Code view. */
export const EXPOSURE_REQUEST = 'portcullis/exposure';
/** Sent when the overview may have changed. */
export const EXPOSURE_CHANGED = 'portcullis/exposureChanged';

/** Diagnostics follow typing, but not every keystroke: a burst of changes is linted once. */
export const DEBOUNCE_MS = 150;
/** A client that never answers `workspace/configuration` must not stop linting. */
const SETTINGS_TIMEOUT_MS = 5000;

export interface ServerOptions {
  /** The folder of the running bundle, against which the rule docs' `docs/` is found. */
  bundleDir: string;
  /** The bundle itself, run again as a worker thread for large documents. */
  workerScript?: string;
}

/**
 * The language server: open documents, lint scheduling, settings, and conversion of findings to
 * diagnostics and code actions. Every rule decision lives in `rules/`.
 */
export function startServer(connection: Connection, options: ServerOptions): void {
  const documents = new TextDocuments(TextDocument);
  const timers = new Map<string, NodeJS.Timeout>();
  const justOpened = new Set<string>();
  let capabilities: ClientCapabilities = {};
  let pushedSettings: unknown;

  const configs = new ConfigStore({
    settings: (uri) => readSettings(uri),
    warn: (message) => connection.console.warn(redactText(`Portcullis: ${message}`)),
  });
  const files = new WorkspaceFiles();
  const deployment = new Deployment(files, {
    relint: (file) => relintFile(file),
    config: () => deploymentConfig(),
    changed: () => {
      watchReferences();
      void connection.sendNotification(EXPOSURE_CHANGED).catch(() => {});
    },
    error: (message) => connection.console.error(redactText(`Portcullis: ${message}`)),
  });
  const linter = new Linter(
    {
      // Logs quote rule errors and paths: masked as every output is.
      error: (message) => connection.console.error(redactText(message)),
      info: (message) => connection.console.info(redactText(message)),
    },
    options.workerScript,
    () => files.openTexts(),
    (doc, inputs) => deployment.parsed(doc, inputs),
  );

  const canPullSettings = () => capabilities.workspace?.configuration === true;

  // Workspace-wide diagnostics: config files no editor shows are linted from disk.
  let folders: string[] = [];
  /** The URI the client used for a file it opened: a closed file's disk findings go back under it. */
  const clientUris = new Map<string, string>();
  const filesExcludes = new Map<string, Promise<readonly string[]>>();
  const scanner = new WorkspaceScanner({
    linter,
    files,
    config: (file, folder) => configs.forFile(file, fileUri(folder)),
    filesExclude: (folder) => filesExcludeOf(folder),
    idle: () => (validating === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve))),
    publish: (file, findings) => {
      const uri = clientUris.get(file) ?? fileUri(file);
      const ref = { uri, file, version: 0 };
      const all = withDeployment(file, findings);
      shown.set(file, all);
      const redact = redactor(all);
      return connection.sendDiagnostics({ uri, diagnostics: all.map((f) => toDiagnostic(f, ref, options.bundleDir, redact)) });
    },
    project: deployment.project,
    forget: (file) => deployment.removed(file),
  });

  /**
   * Included and imported files need not have a config file's name (`import sites/*.caddy`): the
   * patterns the workspace's files reference are watched too, re-registered when they change.
   */
  let watchedReferences = '';
  let referenceWatch: Promise<{ dispose(): void } | undefined> = Promise.resolve(undefined);
  function watchReferences(): void {
    if (!capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) return;
    const patterns = deployment.project.referencePatterns();
    const key = patterns.join('\n');
    if (key === watchedReferences) return;
    watchedReferences = key;
    referenceWatch = referenceWatch.then(async (previous) => {
      previous?.dispose();
      if (!patterns.length) return undefined;
      // Absolute patterns: VS Code matches a string glob against absolute paths.
      return connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: patterns.map((globPattern) => ({ globPattern })) }).catch((error) => {
        logFailure('watching included files')(error);
        return undefined;
      });
    });
  }

  /** What the deployment rules and the overview run under: the first workspace folder's configuration. */
  async function deploymentConfig() {
    return (folders.length ? await configs.forFile(path.join(folders[0], CONFIG_FILE), fileUri(folders[0])) : await configs.forDocument('', undefined)).config;
  }

  /**
   * What the Problems panel shows for each file, without the fixes: the overview's worst findings
   * come from here, so refreshing the view lints nothing again.
   */
  const shown = new ShownFindings();

  /** A file's own findings with the deployment rules' findings in it. */
  function withDeployment(file: string, own: Finding[]): Finding[] {
    const cross = deployment.findingsFor(file);
    return cross.length ? [...own, ...cross] : own;
  }

  /** Lints a file again after another changed: from its editor when open, else from disk. */
  function relintFile(file: string): void {
    const open = documents.get(clientUris.get(path.resolve(file)) ?? fileUri(file));
    if (open) schedule(open.uri, 0);
    else void scanner.update(file, true).catch(logFailure(`linting ${file} from disk`));
  }
  /** Open documents' lints under way, and the scan waiting for them to finish. */
  let validating = 0;
  let idleWaiters: (() => void)[] = [];
  /** What the last scan of every folder depended on besides the files: a settings change that leaves it alone needs no new scan. */
  let scannedWith: string | undefined;

  function setFolders(paths: string[]): void {
    folders = [...new Set(paths)];
    configs.setWorkspaceFolders(folders);
    scanner.setFolders(folders);
  }

  function filesExcludeOf(folder: string): Promise<readonly string[]> {
    let globs = filesExcludes.get(folder);
    if (!globs) filesExcludes.set(folder, (globs = readFilesExclude(folder)));
    return globs;
  }

  /** VS Code's `files.exclude` of a folder: the globs set to true (the `when` forms are sibling tests, not ours). */
  async function readFilesExclude(folder: string): Promise<readonly string[]> {
    if (!canPullSettings()) return [];
    try {
      const [files] = await withTimeout(connection.workspace.getConfiguration([{ scopeUri: fileUri(folder), section: 'files' }]), SETTINGS_TIMEOUT_MS);
      const exclude = (files as { exclude?: unknown } | null | undefined)?.exclude;
      return exclude && typeof exclude === 'object' ? Object.entries(exclude).flatMap(([glob, on]) => (on === true ? [glob] : [])) : [];
    } catch {
      return [];
    }
  }

  async function scanKey(): Promise<string> {
    return JSON.stringify(await Promise.all(folders.map(async (f) => [f, await configs.settingsOf(fileUri(f)), await filesExcludeOf(f)])));
  }

  /** Lints every config file of every folder, with work-done progress the user can cancel. */
  async function scanWorkspace(): Promise<void> {
    scannedWith = await scanKey();
    const reporter = capabilities.window?.workDoneProgress ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    reporter?.begin('Portcullis: linting the workspace', undefined, 'looking for config files', true);
    // One deployment pass at the end, over every file's facts, rather than one per file.
    const resume = deployment.pause();
    try {
      const result = await scanner.scan(undefined, reporter && { report: (message) => reporter.report(message), cancelled: () => reporter.token.isCancellationRequested });
      connection.console.info(
        `Portcullis: ${result.linted} config file${result.linted === 1 ? '' : 's'} linted in ${Math.round(result.ms)} ms, ${result.withFindings} with findings${result.cancelled ? ' (stopped before the end)' : ''}.`,
      );
    } finally {
      resume();
      reporter?.done();
    }
  }

  /** After a settings change: a new scan only when what the scan read has changed. */
  async function rescanIfChanged(): Promise<void> {
    if ((await scanKey()) !== scannedWith) await scanWorkspace();
  }

  async function readSettings(uri: string): Promise<unknown> {
    if (!canPullSettings()) return pushedSettings;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<unknown>((resolve) => {
      timer = setTimeout(() => resolve(pushedSettings), SETTINGS_TIMEOUT_MS);
    });
    try {
      return await Promise.race([connection.workspace.getConfiguration({ scopeUri: uri, section: 'portcullis' }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    capabilities = params.capabilities ?? {};
    pushedSettings = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
    const initial = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    setFolders(initial.flatMap((uri) => filePath(uri) ?? []));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Full },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'portcullis' },
    };
  });

  connection.onInitialized(() => {
    const workspace = capabilities.workspace;
    if (workspace?.didChangeConfiguration?.dynamicRegistration) {
      // `files.exclude` too: the workspace scan honours it.
      void connection.client.register(DidChangeConfigurationNotification.type, { section: ['portcullis', 'files.exclude'] }).catch(logFailure('registering for settings changes'));
    }
    if (workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [
            ...[`**/${CONFIG_FILE}`, ...SHARED_INPUT_GLOBS, ...CANDIDATE_GLOBS].map((globPattern) => ({ globPattern })),
            // Folders created, deleted or renamed (their files get no events of their own), and extension-less files.
            { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
          ],
        })
        .catch(logFailure('watching files'));
    }
    if (workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(
        guard('workspace folder change', async ({ added, removed }) => {
          const paths = (list: WorkspaceFolder[]) => list.flatMap((f) => filePath(f.uri) ?? []);
          const gone = new Set(paths(removed));
          const fresh = paths(added);
          setFolders([...folders.filter((f) => !gone.has(f)), ...fresh]);
          relintAll();
          if (fresh.length) await scanner.scan(fresh);
        }),
      );
    }
    void scanWorkspace().catch(logFailure('the workspace scan'));
  });

  connection.onDidChangeConfiguration(
    guard('settings change', (params) => {
      const settings = (params?.settings as { portcullis?: unknown } | null | undefined)?.portcullis;
      if (settings !== undefined) pushedSettings = settings;
      configs.invalidate();
      filesExcludes.clear();
      relintAll();
      return rescanIfChanged();
    }),
  );

  connection.onDidChangeWatchedFiles(
    guard('watched file change', async (params) => {
      const configChanged = params.changes.some((c) => c.uri.endsWith(`/${CONFIG_FILE}`));
      if (configChanged) configs.invalidate();
      files.changed();
      relintAll();
      // A changed .portcullis.json may change any file's findings; a .env or .gitignore those of its folder's files.
      if (configChanged) return scanWorkspace();
      const subtrees = new Set<string>();
      for (const change of params.changes) {
        const file = filePath(change.uri);
        if (!file) continue;
        // An included or imported file, whatever its name: what pulls it in is linted again.
        for (const r of deployment.project.referrers(file)) relintFile(r);
        if (isSharedInput(file)) subtrees.add(path.dirname(file));
        else if (change.type === FileChangeType.Deleted) {
          scanner.deleted(file);
          deployment.removedTree(file);
        }
        else if (change.type === FileChangeType.Created && (await isDirectory(file))) subtrees.add(file);
        else if (candidateByName(file)) await scanner.update(file);
      }
      if (subtrees.size) await scanner.scan([...subtrees]);
    }),
  );

  documents.onDidOpen(
    guard('open', ({ document }) => {
      justOpened.add(document.uri);
      const file = filePath(document.uri);
      if (file) {
        scanner.opened(file);
        clientUris.set(path.resolve(file), document.uri);
        files.setOpen(file, document);
      }
    }),
  );
  documents.onDidChangeContent(
    guard('change', ({ document }) => {
      files.changed();
      // An opened file is linted at once; edits wait for a pause in typing.
      schedule(document.uri, justOpened.delete(document.uri) ? 0 : DEBOUNCE_MS);
      const file = filePath(document.uri);
      if (file && isSharedInput(file)) relintAll(DEBOUNCE_MS);
    }),
  );
  documents.onDidClose(
    guard('close', ({ document }) => {
      const uri = document.uri;
      clearTimeout(timers.get(uri));
      timers.delete(uri);
      justOpened.delete(uri);
      linter.forget(uri);
      configs.forget(uri);
      const file = filePath(uri);
      // What the editor's text said leaves the deployment; the disk's version, if any, comes back with the lint below.
      const lintedAs = documentPath(uri);
      if (lintedAs) {
        deployment.removed(lintedAs);
        shown.set(lintedAs, []);
      }
      if (file) {
        files.setOpen(file, undefined);
        // Closing an unsaved .env puts the disk's version back in effect.
        if (isSharedInput(file)) relintAll(DEBOUNCE_MS);
        // Back to the file on disk: its findings, or none when it is not there or not ours.
        void scanner.update(file, true).catch(logFailure(`linting ${file} from disk`));
      } else if (isLintable(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    }),
  );

  function schedule(uri: string, delay: number): void {
    if (!isLintable(uri)) return;
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        void validate(uri).catch(logFailure(`linting ${uri}`));
      }, delay),
    );
  }

  function relintAll(delay = 0): void {
    for (const doc of documents.all()) schedule(doc.uri, delay);
  }

  interface Current {
    doc: TextDocument;
    ref: DocumentRef;
    excluded: boolean;
    inputs: LintInputs;
  }

  /** The document with what its findings depend on; undefined when it is not ours to lint. */
  async function current(doc: TextDocument): Promise<Current | undefined> {
    const file = documentPath(doc.uri);
    if (!file || !isLintable(doc.uri)) return undefined;
    const { config, excluded } = await configs.forDocument(doc.uri, file);
    return { doc, ref: { uri: doc.uri, file, version: doc.version }, excluded, inputs: { config, workspace: files, workspaceGeneration: files.generation, project: deployment.project } };
  }

  async function validate(uri: string): Promise<void> {
    validating++;
    try {
      await validateNow(uri);
    } finally {
      if (--validating === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  async function validateNow(uri: string): Promise<void> {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const generation = configs.generation;
    // While settings are read or the asynchronous rules run, the document or the settings may change:
    // a newer lint is then scheduled, and this result is stale.
    const stale = () => documents.get(uri) !== doc || doc.version !== version || configs.generation !== generation;
    const now = await current(doc);
    if (!now || stale()) return;
    const publish = (findings: Finding[]) => {
      const all = withDeployment(now.ref.file, findings);
      shown.set(now.ref.file, all);
      const redact = redactor(all);
      return connection.sendDiagnostics({ uri, version, diagnostics: all.map((f) => toDiagnostic(f, now.ref, options.bundleDir, redact)) });
    };
    if (now.excluded) return publish([]);
    // The synchronous rules' findings at once; the asynchronous rules' (and a worker's) when they are in.
    const sync = linter.isLarge(doc) ? undefined : linter.findings(doc, now.ref.file, now.inputs);
    if (sync) await publish(sync);
    const complete = await linter.complete(doc, now.ref.file, now.inputs);
    if (stale()) return;
    if (!sync || complete.length !== sync.length || complete.some((f, i) => f !== sync[i])) await publish(complete);
  }

  /** Every finding of the document's current version ([] when it is excluded). */
  async function currentFindings(doc: TextDocument): Promise<{ ref: DocumentRef; findings: Finding[] } | undefined> {
    const now = await current(doc);
    if (!now) return undefined;
    return { ref: now.ref, findings: now.excluded ? [] : await linter.complete(doc, now.ref.file, now.inputs) };
  }

  connection.onCodeAction(
    guard(
      'code actions',
      async (params: CodeActionParams): Promise<CodeAction[]> => {
        const doc = documents.get(params.textDocument.uri);
        if (!doc) return [];
        const only = params.context.only;
        const wanted = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
        const current = await currentFindings(doc);
        if (!current || documents.get(doc.uri) !== doc) return [];
        const env = editEnvironment();
        const actions: CodeAction[] = [];

        if (wanted(CodeActionKind.QuickFix)) {
          // Data carries masked fixes; the real one (same masked form) is what the edit applies.
          const currentFixes = realFixes(current.findings, (rule, fix) => canonicalJson([rule, fix]));
          for (const diagnostic of params.context.diagnostics) {
            const data = readDiagnosticData(diagnostic);
            if (!data) continue;
            for (const fix of data.fixes) {
              // A fix from an older version's diagnostic would edit the wrong text: only fixes the
              // current version still offers are applied. (Not the range: Neovim 0.7 sends it back in bytes.)
              const real = currentFixes.get(canonicalJson([data.rule, fix]));
              if (!real) continue;
              const edit = toWorkspaceEdit(real.edits, current.ref, env);
              if (edit) actions.push(quickFix(fix, diagnostic, edit));
            }
          }
        }

        if (wanted(FIX_ALL_KIND)) {
          const { byFile, fixes } = collectPreferredEdits(current.findings);
          const edit = fixes.length ? toWorkspaceEdit([...byFile.values()].flat(), current.ref, env) : undefined;
          if (edit) actions.push(fixAllAction(edit, fixes.length));
        }
        return actions;
      },
      [],
    ),
  );

  function editEnvironment(): EditEnvironment {
    const edit = capabilities.workspace?.workspaceEdit;
    return {
      documentChanges: edit?.documentChanges === true,
      createFiles: edit?.resourceOperations?.includes('create') === true,
      openVersion: (uri) => documents.get(uri)?.version,
      exists: (file) => fs.existsSync(file),
    };
  }

  connection.onRequest(
    EXPOSURE_REQUEST,
    guard('the exposure overview', async () => exposureOf(deployment, await deploymentConfig(), (file) => shown.get(file)), { entries: [] }),
  );

  connection.onShutdown(() => {
    deployment.dispose();
    scanner.cancel();
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  });

  /** A handler that fails logs and answers `fallback`: no input may take the server down. */
  function guard<A extends unknown[], R>(what: string, handler: (...args: A) => R, fallback?: Awaited<R>): (...args: A) => R {
    return (...args: A): R => {
      try {
        const result = handler(...args);
        if (result instanceof Promise) return result.catch((error) => (logFailure(what)(error), fallback)) as R;
        return result;
      } catch (error) {
        logFailure(what)(error);
        return fallback as R;
      }
    };
  }

  function logFailure(what: string) {
    return (error: unknown) => connection.console.error(redactText(`Portcullis: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  }

  documents.listen(connection);
  connection.listen();
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function isDirectory(file: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(file)).isDirectory();
  } catch {
    return false;
  }
}

/** JSON with sorted keys: `Diagnostic.data` may come back from the client with its keys reordered. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  );
}
