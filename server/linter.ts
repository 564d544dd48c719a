import { lintInWorker, type LintJob } from './lint-worker';
import { rootsOf } from './workspace';
import { detectFormat, lintAsyncFindings, parseDocument, runRules, type Config, type Finding, type LintOptions, type ParsedDocument, type ProjectView, type WorkspaceView } from '../rules';

/** Larger documents are not linted at all. */
export const MAX_LINT_CHARS = 4_000_000;
/** Larger documents are linted in a worker with a time limit, so a slow parse cannot stall the server. */
export const IN_PROCESS_CHARS = 200_000;
export const WORKER_TIMEOUT_MS = 10_000;

export interface LintDocument {
  uri: string;
  version: number;
  languageId: string;
  getText(): string;
}

/** What findings depend on besides the text: the configuration and the other files rules may read. */
export interface LintInputs {
  config: Config;
  workspace: WorkspaceView;
  /** Changes whenever what `workspace` or `project` answers may have changed. */
  workspaceGeneration: number;
  /** The other config files, parsed (includes, imports). */
  project?: ProjectView;
}

interface Entry {
  version: number;
  text: string;
  languageId: string;
  parsed: ParsedDocument | undefined;
  /** Linted by a worker: there is no parse in this thread. */
  large: boolean;
  findings?: { config: Config; workspaceGeneration: number; sync: Finding[]; complete?: Promise<Finding[]> };
}

export interface LinterLog {
  error(message: string): void;
  info(message: string): void;
}

/**
 * One parse per document version, and the findings for it under one configuration. Rules that
 * throw and parsers that throw are logged once per session each; the document still gets the
 * other rules' findings.
 */
export class Linter {
  private readonly entries = new Map<string, Entry>();
  private readonly loggedRules = new Set<string>();
  private readonly loggedParsers = new Set<string>();
  private readonly loggedSizes = new Set<string>();

  /**
   * @param workerScript the bundle to run lint workers from; without one (tests from source)
   *   every document is linted in this thread.
   */
  constructor(
    private readonly log: LinterLog,
    private readonly workerScript?: string,
    private readonly openFiles: () => [file: string, text: string][] = () => [],
    /** Told of every parse whose findings are computed, before the rules run: the project records its facts. */
    private readonly onParsed: (doc: ParsedDocument, inputs: LintInputs) => void = () => {},
  ) {}

  /** Whether this document's findings come only from `complete` (it is linted in a worker). */
  isLarge(doc: LintDocument): boolean {
    return this.workerScript !== undefined && doc.getText().length > IN_PROCESS_CHARS;
  }

  /** The synchronous rules' findings: what is published first. */
  findings(doc: LintDocument, file: string, inputs: LintInputs): Finding[] {
    return this.cached(doc, file, inputs)?.sync ?? [];
  }

  /** Every finding, the asynchronous rules' (secretlint's detectors) merged in. */
  complete(doc: LintDocument, file: string, inputs: LintInputs): Promise<Finding[]> {
    const entry = this.entry(doc, file);
    const cached = this.cached(doc, file, inputs);
    if (!cached) return Promise.resolve([]);
    if (entry.large) cached.complete ??= this.inWorker(entry, file, inputs.config, rootsOf(inputs.workspace, file));
    else if (entry.parsed) {
      cached.complete ??= lintAsyncFindings(entry.parsed, cached.sync, this.options(file, inputs)).catch((error) => {
        this.log.error(`The asynchronous rules failed on ${file}: ${describe(error)}`);
        return cached.sync;
      });
    }
    return cached.complete ?? Promise.resolve(cached.sync);
  }

  private cached(doc: LintDocument, file: string, inputs: LintInputs): Entry['findings'] {
    const entry = this.entry(doc, file);
    if (!entry.parsed && !entry.large) return undefined;
    if (entry.findings?.config !== inputs.config || entry.findings.workspaceGeneration !== inputs.workspaceGeneration) {
      if (entry.parsed) this.parsed(entry.parsed, file, inputs);
      const sync = entry.parsed ? runRules(entry.parsed, this.options(file, inputs)) : [];
      entry.findings = { config: inputs.config, workspaceGeneration: inputs.workspaceGeneration, sync };
    }
    return entry.findings;
  }

  private async inWorker(entry: Entry, file: string, config: Config, bounds: { roots?: readonly string[] } = {}): Promise<Finding[]> {
    const job: LintJob = { file, text: entry.text, languageId: entry.languageId, config, openFiles: this.openFiles(), ...bounds };
    const result = await lintInWorker(this.workerScript!, job, WORKER_TIMEOUT_MS);
    if (result.kind === 'timeout') {
      this.log.info(`Not linting ${file}: it took longer than ${WORKER_TIMEOUT_MS / 1000} s (${entry.text.length} characters).`);
      return [];
    }
    if (result.kind === 'failed') {
      this.log.error(`Linting ${file} in a worker failed: ${result.error}`);
      return [];
    }
    for (const { rule, error } of result.ruleErrors) this.ruleFailed(rule, file, error);
    if (result.parserError) this.parserFailed(result.format ?? 'document', file, result.parserError);
    return result.findings;
  }

  private parsed(doc: ParsedDocument, file: string, inputs: LintInputs): void {
    try {
      this.onParsed(doc, inputs);
    } catch (error) {
      this.log.error(`Recording ${file} in the project failed: ${describe(error)}`);
    }
  }

  private options(file: string, inputs: LintInputs): LintOptions {
    return {
      config: inputs.config,
      workspace: inputs.workspace,
      ...(inputs.project ? { project: inputs.project } : {}),
      ...rootsOf(inputs.workspace, file),
      onRuleError: ({ rule, error }) => this.ruleFailed(rule, file, describe(error)),
    };
  }

  private ruleFailed(rule: string, file: string, error: string): void {
    if (this.loggedRules.has(rule)) return;
    this.loggedRules.add(rule);
    this.log.error(`Rule ${rule} failed on ${file} (its other findings are unaffected; reported once per session): ${error}`);
  }

  private parserFailed(key: string, file: string, error: string): void {
    // The parsers promise never to throw; if one does, this document goes unlinted, the server lives.
    if (this.loggedParsers.has(key)) return;
    this.loggedParsers.add(key);
    this.log.error(`The ${key} parser failed on ${file} (reported once per session): ${error}`);
  }

  forget(uri: string): void {
    this.entries.delete(uri);
    this.loggedSizes.delete(uri);
  }

  private entry(doc: LintDocument, file: string): Entry {
    const text = doc.getText();
    const cached = this.entries.get(doc.uri);
    if (cached && cached.version === doc.version && cached.languageId === doc.languageId && cached.text === text) return cached;
    const entry = this.newEntry(doc, file, text);
    this.entries.set(doc.uri, entry);
    return entry;
  }

  private newEntry(doc: LintDocument, file: string, text: string): Entry {
    const large = this.isLarge(doc) && text.length <= MAX_LINT_CHARS;
    return { version: doc.version, text, languageId: doc.languageId, large, parsed: large ? undefined : this.parse(doc.uri, file, text, doc.languageId) };
  }

  /**
   * Every finding of a text no editor shows (a file read from disk by the workspace scan): linted
   * as an open document is, but nothing is kept, so the text is dropped once the findings are in.
   */
  async lintOnce(doc: LintDocument, file: string, inputs: LintInputs): Promise<Finding[]> {
    const entry = this.newEntry(doc, file, doc.getText());
    if (entry.large) return this.inWorker(entry, file, inputs.config, rootsOf(inputs.workspace, file));
    if (!entry.parsed) return [];
    this.parsed(entry.parsed, file, inputs);
    const sync = runRules(entry.parsed, this.options(file, inputs));
    return lintAsyncFindings(entry.parsed, sync, this.options(file, inputs)).catch((error) => {
      this.log.error(`The asynchronous rules failed on ${file}: ${describe(error)}`);
      return sync;
    });
  }

  private parse(uri: string, file: string, text: string, languageId: string): ParsedDocument | undefined {
    if (text.length > MAX_LINT_CHARS) {
      if (!this.loggedSizes.has(uri)) this.log.info(`Not linting ${file}: larger than ${MAX_LINT_CHARS} characters.`);
      this.loggedSizes.add(uri);
      return undefined;
    }
    try {
      const format = detectFormat(file, text, { languageId });
      return format ? parseDocument(file, text, format, (error) => this.parserFailed(format, file, describe(error))) : undefined;
    } catch (error) {
      this.parserFailed('detection', file, describe(error));
      return undefined;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}
