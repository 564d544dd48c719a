import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LintWorkers, plainFacts, type LintJob } from './lint-worker';
import { rootsOf } from './workspace';
import { scanSuppressions } from '../rules/core/suppress';
import { detectFormat, lintAsyncFindings, parseDocument, runRules, type Config, type DocumentFacts, type Finding, type LintOptions, type ParsedDocument, type ProjectView, type WorkspaceView } from '../rules';

/** Larger documents are not linted at all. */
export const MAX_LINT_CHARS = 4_000_000;
/** Larger documents are linted in a worker with a time limit, so a slow parse cannot stall the server. */
export const IN_PROCESS_CHARS = 200_000;
/** A lint in a worker over this time is abandoned (the worker terminated) and reported on the document. */
export const WORKER_TIMEOUT_MS = timeoutFromEnv(process.env.PORTCULLIS_LINT_TIMEOUT_MS) ?? 10_000;
/**
 * Main-thread time a lint may take (parse and synchronous rules): an open document is linted in
 * this thread only once a lint of it has been measured under this; its first lint, and any after
 * a slow one, run in a worker, so a file that stalls the linter never stalls typing.
 */
export const INLINE_BUDGET_MS = 50;
/** How much slower a lint runs in a fresh worker (cold code) than in this thread, about. */
const COLD_WORKER_FACTOR = 4;
/** A version linted in a worker and measured fast is linted here when it must be again, up to this size. */
const PROMOTE_CHARS = 16_000;
/** What the 0:0 warning of an abandoned lint is filed under. */
export const TIMEOUT_RULE = 'portcullis/lint-timeout';

function timeoutFromEnv(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : undefined;
}

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
  /** Time the parse took here, added to the rules' to measure the lint. */
  parseMs: number;
  /** Whether the project was told this version has no facts (not a config file, too large). */
  dropped?: boolean;
  findings?: { config: Config; workspaceGeneration: number; sync: Finding[]; complete?: Promise<Finding[]> };
}

/** What the linter tells the server besides the findings. */
export interface LinterHooks {
  /** The open editors' texts, for a worker (which has no editor of its own). */
  openFiles?: () => [file: string, text: string][];
  /** Told of every parse whose findings are computed, before the rules run: the project records its facts. */
  onParsed?: (doc: ParsedDocument, inputs: LintInputs) => void;
  /** A worker's facts for a file (undefined: the file says nothing, e.g. it is no longer a config file). */
  onFacts?: (file: string, facts: DocumentFacts | undefined, inputs: LintInputs) => void;
  /** The project's index, so that a worker resolves includes and referrers as this thread does. */
  index?: () => DocumentFacts[];
  /** Whether an editor shows the file: then its facts come from the editor's lint, never from a lint of the disk. */
  isOpen?: (file: string) => boolean;
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
  /** The last measured lint time of each open document (Infinity: abandoned); unmeasured ones go to a worker. */
  private readonly measured = new Map<string, number>();
  private readonly workers: LintWorkers | undefined;
  /** The latest lint from disk of each file: an older one that finishes later must not record its facts. */
  private readonly diskRuns = new Map<string, number>();

  /**
   * @param workerScript the bundle to run lint workers from; without one (tests from source)
   *   every document is linted in this thread.
   */
  constructor(
    private readonly log: LinterLog,
    private readonly workerScript?: string,
    private readonly hooks: LinterHooks = {},
  ) {
    this.workers = workerScript === undefined ? undefined : new LintWorkers(workerScript);
  }

  /** Whether this version's findings come only from `complete` (it is linted in a worker). */
  isLarge(doc: LintDocument, file: string): boolean {
    return this.entry(doc, file).large;
  }

  /** Where a text would be linted: a worker for large ones and, for an open document, until a lint of it is measured fast. */
  private wantsWorker(file: string, text: string, languageId: string, uri: string | undefined): boolean {
    if (this.workerScript === undefined || text.length > MAX_LINT_CHARS) return false;
    if (text.length > IN_PROCESS_CHARS) return true;
    if (uri === undefined || (this.measured.get(uri) ?? Infinity) <= INLINE_BUDGET_MS) return false;
    // No config file (a .gitignore, an .env): nothing to lint, no worker needed.
    return this.detect(file, text, languageId) !== undefined;
  }

  /** Stops the workers (server shutdown). */
  dispose(): void {
    this.workers?.dispose();
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
    if (entry.large) cached.complete ??= this.inWorker(entry, file, inputs, doc.uri);
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
    if (!entry.parsed && !entry.large) {
      // Not (or no longer) a config file: what an earlier version said leaves the project.
      if (!entry.dropped) {
        entry.dropped = true;
        this.facts(file, undefined, inputs);
      }
      return undefined;
    }
    if (entry.findings?.config !== inputs.config || entry.findings.workspaceGeneration !== inputs.workspaceGeneration) {
      const first = !entry.findings;
      const started = performance.now();
      if (entry.parsed) this.parsed(entry.parsed, file, inputs);
      const sync = entry.parsed ? runRules(entry.parsed, this.options(file, inputs)) : [];
      // The first lint of a version measures it: a slow one sends the next version to a worker.
      if (first && entry.parsed) this.measured.set(doc.uri, entry.parseMs + performance.now() - started);
      entry.findings = { config: inputs.config, workspaceGeneration: inputs.workspaceGeneration, sync };
    }
    return entry.findings;
  }

  /**
   * Lints in a worker. Its facts go to the project only while `current()` (no newer version has
   * replaced the text meanwhile); an open document's (`uri`) lint time is remembered.
   */
  private async inWorker(entry: Entry, file: string, inputs: LintInputs, uri?: string): Promise<Finding[]> {
    const run = uri === undefined ? this.diskRun(file) : undefined;
    // An open document's version still the latest; a file from disk still not open, and this its latest lint.
    const current = () => (uri !== undefined ? this.entries.get(uri) === entry : this.diskRuns.get(file) === run && !this.hooks.isOpen?.(file));
    const job: LintJob = { file, text: entry.text, languageId: entry.languageId, config: inputs.config, openFiles: this.hooks.openFiles?.() ?? [], ...rootsOf(inputs.workspace, file), index: this.hooks.index?.().flatMap((f) => (path.resolve(f.facts.file) === path.resolve(file) ? [] : [plainFacts(f)])) ?? [] };
    const result = await this.workers!.run(job, WORKER_TIMEOUT_MS);
    if (result.kind === 'timeout') {
      const limit = `${WORKER_TIMEOUT_MS / 1000} s`;
      this.log.info(`Portcullis stopped linting ${file}: it took longer than ${limit} (${entry.text.length} characters); its next edit is linted again.`);
      if (!current()) return [];
      if (uri !== undefined) this.measured.set(uri, Infinity);
      // Its facts are unknown now: none rather than an older version's.
      this.facts(file, undefined, inputs);
      return [timeoutFinding(file, limit)];
    }
    if (result.kind === 'failed') {
      this.log.error(`Linting ${file} in a worker failed: ${result.error}`);
      if (current()) this.facts(file, undefined, inputs);
      return [];
    }
    for (const { rule, error } of result.ruleErrors) this.ruleFailed(rule, file, error);
    if (result.parserError) this.parserFailed(result.format ?? 'document', file, result.parserError);
    if (current()) {
      // A fresh worker runs cold code, several times slower than this thread's warm code.
      if (uri !== undefined && result.ms !== undefined) this.measured.set(uri, result.ms / COLD_WORKER_FACTOR);
      this.facts(file, result.facts && { ...result.facts, suppressions: scanSuppressions(entry.text) }, inputs);
    }
    return result.findings;
  }

  private diskRun(file: string): number {
    const n = (this.diskRuns.get(file) ?? 0) + 1;
    this.diskRuns.set(file, n);
    return n;
  }

  private facts(file: string, facts: DocumentFacts | undefined, inputs: LintInputs): void {
    try {
      this.hooks.onFacts?.(file, facts, inputs);
    } catch (error) {
      this.log.error(`Recording ${file} in the project failed: ${describe(error)}`);
    }
  }

  private parsed(doc: ParsedDocument, file: string, inputs: LintInputs): void {
    try {
      this.hooks.onParsed?.(doc, inputs);
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
    this.measured.delete(uri);
  }

  private entry(doc: LintDocument, file: string): Entry {
    const text = doc.getText();
    const cached = this.entries.get(doc.uri);
    if (cached && cached.version === doc.version && cached.languageId === doc.languageId && cached.text === text) {
      // Linted in a worker and measured fast since: its next lint (another file changed) runs here,
      // if it is small (a worker's stack is not this thread's: a deep text may cost more here).
      if (cached.large && text.length <= PROMOTE_CHARS && !this.wantsWorker(file, text, doc.languageId, doc.uri)) this.entries.set(doc.uri, this.newEntry(doc, file, text, doc.uri));
      return this.entries.get(doc.uri)!;
    }
    const entry = this.newEntry(doc, file, text, doc.uri);
    this.entries.set(doc.uri, entry);
    return entry;
  }

  /** `uri`: an open document's, whose lint times decide where it is linted; without it, only the size does. */
  private newEntry(doc: LintDocument, file: string, text: string, uri?: string): Entry {
    const large = this.wantsWorker(file, text, doc.languageId, uri);
    const started = performance.now();
    const parsed = large ? undefined : this.parse(doc.uri, file, text, doc.languageId);
    return { version: doc.version, text, languageId: doc.languageId, large, parsed, parseMs: performance.now() - started };
  }

  /**
   * Every finding of a text no editor shows (a file read from disk by the workspace scan): linted
   * as an open document is, but nothing is kept, so the text is dropped once the findings are in.
   */
  async lintOnce(doc: LintDocument, file: string, inputs: LintInputs): Promise<Finding[]> {
    const entry = this.newEntry(doc, file, doc.getText());
    if (entry.large) return this.inWorker(entry, file, inputs);
    // Newer than any lint of this file still in a worker.
    this.diskRun(file);
    if (!entry.parsed) return [];
    this.parsed(entry.parsed, file, inputs);
    const sync = runRules(entry.parsed, this.options(file, inputs));
    return lintAsyncFindings(entry.parsed, sync, this.options(file, inputs)).catch((error) => {
      this.log.error(`The asynchronous rules failed on ${file}: ${describe(error)}`);
      return sync;
    });
  }

  /** The format of a text (path first, then content); a detector that throws counts as none. */
  private detect(file: string, text: string, languageId: string): ReturnType<typeof detectFormat> {
    try {
      return detectFormat(file, text, { languageId });
    } catch (error) {
      this.parserFailed('detection', file, describe(error));
      return undefined;
    }
  }

  private parse(uri: string, file: string, text: string, languageId: string): ParsedDocument | undefined {
    if (text.length > MAX_LINT_CHARS) {
      if (!this.loggedSizes.has(uri)) this.log.info(`Not linting ${file}: larger than ${MAX_LINT_CHARS} characters.`);
      this.loggedSizes.add(uri);
      return undefined;
    }
    try {
      const format = this.detect(file, text, languageId);
      return format ? parseDocument(file, text, format, (error) => this.parserFailed(format, file, describe(error))) : undefined;
    } catch (error) {
      this.parserFailed('detection', file, describe(error));
      return undefined;
    }
  }
}

/** The one warning on a document whose lint was abandoned. */
function timeoutFinding(file: string, limit: string): Finding {
  const start = { line: 0, character: 0 };
  return { rule: TIMEOUT_RULE, severity: 'warning', file, range: { start, end: start }, message: `Portcullis stopped linting ${path.basename(file)}: took longer than ${limit}`, fixes: [] };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}
