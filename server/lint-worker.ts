/**
 * Documents that may be slow to lint (large ones, and any whose lint has not yet been measured
 * fast) are linted in worker threads with a time limit, so that no input can stall the server:
 * a worker over its limit is terminated and the document reported. The workers run the same
 * bundle (`dist/server.js`), told by `workerData` to lint one document (`lintInWorker`) or to
 * serve jobs until stopped (`LintWorkers`, which keeps a worker or two for the next jobs).
 */
import { performance } from 'node:perf_hooks';
import { parentPort, Worker } from 'node:worker_threads';
import { detectFormat, documentFacts, lintAsyncFindings, parseDocument, Project, runRules, type Config, type DocumentFacts, type Finding, type LintOptions } from '../rules';
import { WorkspaceFiles } from './workspace';

/** Facts as they cross between threads: plain data (the suppressions, a function of the text, are rebuilt from it). */
export type PlainFacts = Omit<DocumentFacts, 'suppressions'>;

export function plainFacts(facts: DocumentFacts): PlainFacts {
  return { facts: facts.facts, references: facts.references };
}

const NO_SUPPRESSIONS: DocumentFacts['suppressions'] = { isSuppressed: () => false };

export interface LintJob {
  file: string;
  text: string;
  languageId: string;
  config: Config;
  /** The text of the files open in the editor, which the rules read over the disk's. */
  openFiles: [file: string, text: string][];
  /** The server's project index (every other file's facts and references): who includes whom. */
  index?: PlainFacts[];
  /** The workspace folders: nothing outside is read. */
  roots?: readonly string[];
}

export type LintJobResult =
  | {
      kind: 'done';
      format?: string;
      findings: Finding[];
      /** What the document says about the deployment, for the server's project; absent when it is not a config file. */
      facts?: PlainFacts;
      /** Main-thread time the parse and the synchronous rules would have taken: what decides where the next version is linted. */
      ms?: number;
      ruleErrors: { rule: string; error: string }[];
      parserError?: string;
    }
  | { kind: 'timeout' }
  | { kind: 'failed'; error: string };

export const JOB_KEY = 'portcullisLintJob';

/**
 * For tests only: with PORTCULLIS_TEST_STALL=1 in the environment, a document containing this
 * marker makes its lint (in a worker) spin for ever, as a parser stuck on some input would.
 */
export const STALL_MARKER = 'portcullis-test-stall';

/** Runs one job in a fresh worker; never rejects. */
export function lintInWorker(script: string, job: LintJob, timeoutMs: number): Promise<LintJobResult> {
  let worker: Worker;
  try {
    worker = spawn(script, job);
  } catch (error) {
    return Promise.resolve({ kind: 'failed', error: String((error as Error)?.stack ?? error) });
  }
  return watch(worker, timeoutMs, () => void worker.terminate());
}

/**
 * Workers for jobs: a job takes an idle one or a new one (so a stuck lint never delays another
 * document's). A worker over its time limit, or that failed, is terminated. Workers are not kept
 * for the next job by default (`maxIdle` 0): a warm worker re-running a text can reach V8 paths
 * (a RegExp compiled for a pathological input) whose out-of-memory aborts the whole process,
 * which a fresh worker did not reach; a fresh one costs about 100 ms.
 */
export class LintWorkers {
  private readonly idle: Worker[] = [];
  private readonly busy = new Set<Worker>();

  constructor(
    private readonly script: string,
    private readonly maxIdle = 0,
  ) {}

  run(job: LintJob, timeoutMs: number): Promise<LintJobResult> {
    let worker: Worker;
    try {
      worker = this.idle.pop() ?? this.spawn();
      worker.ref();
    } catch (error) {
      return Promise.resolve({ kind: 'failed', error: String((error as Error)?.stack ?? error) });
    }
    this.busy.add(worker);
    const result = watch(worker, timeoutMs, (reusable) => {
      this.busy.delete(worker);
      if (reusable && this.idle.length < this.maxIdle) {
        // An idle worker must not keep the server's process alive.
        worker.unref();
        this.idle.push(worker);
      } else void worker.terminate();
    });
    worker.postMessage(job);
    return result;
  }

  dispose(): void {
    for (const w of [...this.idle, ...this.busy]) void w.terminate();
    this.idle.length = 0;
    this.busy.clear();
  }

  private spawn(): Worker {
    const worker = spawn(this.script, { serve: true });
    // An idle worker that dies is simply not reused.
    worker.on('exit', () => {
      const i = this.idle.indexOf(worker);
      if (i >= 0) this.idle.splice(i, 1);
    });
    worker.on('error', () => {});
    return worker;
  }
}

function spawn(script: string, data: LintJob | { serve: true }): Worker {
  // Its own stdout: the server's is the LSP channel. Its own heap limit: a parse that balloons kills the worker, not the server.
  return new Worker(script, { workerData: { [JOB_KEY]: data }, stdout: true, stderr: true, resourceLimits: { maxOldGenerationSizeMb: 1536 } });
}

/** The worker's next answer, a timeout or its failure; `done(reusable)` is told once, before the promise resolves. */
function watch(worker: Worker, timeoutMs: number, done: (reusable: boolean) => void): Promise<LintJobResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: LintJobResult, reusable = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      done(reusable);
      resolve(result);
    };
    const onMessage = (result: LintJobResult) => settle(result, result?.kind === 'done');
    const onError = (error: Error) => settle({ kind: 'failed', error: String(error?.stack ?? error) });
    const onExit = (code: number) => settle({ kind: 'failed', error: `the lint worker exited with code ${code}` });
    const timer = setTimeout(() => settle({ kind: 'timeout' }), timeoutMs);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/** The worker's side: lint the document of `job` and post the result, or serve jobs from the port. */
export async function runLintJob(job: LintJob | { serve: true }, post: (result: LintJobResult) => void): Promise<void> {
  if ('serve' in job) {
    parentPort?.on('message', (next: LintJob) => void lintOne(next).then(post));
    return;
  }
  post(await lintOne(job));
}

async function lintOne(job: LintJob): Promise<LintJobResult> {
  try {
    const workspace = new WorkspaceFiles();
    workspace.setRoots(job.roots);
    for (const [file, text] of job.openFiles) workspace.setOpen(file, { getText: () => text });
    const ruleErrors: { rule: string; error: string }[] = [];
    let parserError: string | undefined;
    const onRuleError: LintOptions['onRuleError'] = ({ rule, error }) => ruleErrors.push({ rule, error: String((error as Error)?.stack ?? error) });
    // The same picture of the other files as the server's: includes resolve, referrers are known.
    const project = new Project(workspace, { onRuleError });
    // The deployment rules (which read suppressions) run in the server, not here.
    for (const other of job.index ?? []) project.record({ ...other, suppressions: NO_SUPPRESSIONS });
    const options: LintOptions = { config: job.config, workspace, project, ...(job.roots ? { roots: job.roots } : {}), onRuleError };
    const started = performance.now();
    if (process.env.PORTCULLIS_TEST_STALL === '1' && job.text.includes(STALL_MARKER)) for (;;);
    const format = detectFormat(job.file, job.text, { languageId: job.languageId });
    const parsed = format ? parseDocument(job.file, job.text, format, (error) => (parserError = String((error as Error)?.stack ?? error))) : undefined;
    if (!parsed) return { kind: 'done', format, findings: [], ms: performance.now() - started, ruleErrors, parserError };
    const facts = documentFacts(parsed, options);
    project.record(facts);
    const sync = runRules(parsed, options);
    const ms = performance.now() - started;
    const findings = await lintAsyncFindings(parsed, sync, options);
    return { kind: 'done', format, findings, facts: plainFacts(facts), ms, ruleErrors, parserError };
  } catch (error) {
    return { kind: 'failed', error: String((error as Error)?.stack ?? error) };
  }
}
