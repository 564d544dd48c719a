/**
 * Large documents are linted in a worker thread with a time limit, so that a parser that is slow
 * on some input can never stall the server: the worker is stopped and the document goes unlinted.
 * The worker runs the same bundle (`dist/server.js`), told by `workerData` to lint one document.
 */
import { Worker } from 'node:worker_threads';
import { detectFormat, lintAsyncFindings, parseDocument, runRules, type Config, type Finding, type LintOptions } from '../rules';
import { WorkspaceFiles } from './workspace';

export interface LintJob {
  file: string;
  text: string;
  languageId: string;
  config: Config;
  /** The text of the files open in the editor, which the rules read over the disk's. */
  openFiles: [file: string, text: string][];
  /** The workspace folders: nothing outside is read. */
  roots?: readonly string[];
}

export type LintJobResult =
  | { kind: 'done'; format?: string; findings: Finding[]; ruleErrors: { rule: string; error: string }[]; parserError?: string }
  | { kind: 'timeout' }
  | { kind: 'failed'; error: string };

export const JOB_KEY = 'portcullisLintJob';

/** Runs one job in a fresh worker; never rejects. */
export function lintInWorker(script: string, job: LintJob, timeoutMs: number): Promise<LintJobResult> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      // Its own stdout: the server's is the LSP channel. Its own heap limit: a parse that balloons kills the worker, not the server.
      worker = new Worker(script, { workerData: { [JOB_KEY]: job }, stdout: true, stderr: true, resourceLimits: { maxOldGenerationSizeMb: 1536 } });
    } catch (error) {
      resolve({ kind: 'failed', error: String((error as Error)?.stack ?? error) });
      return;
    }
    let settled = false;
    const settle = (result: LintJobResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(() => settle({ kind: 'timeout' }), timeoutMs);
    worker.on('message', (result: LintJobResult) => settle(result));
    worker.on('error', (error) => settle({ kind: 'failed', error: String(error?.stack ?? error) }));
    worker.on('exit', (code) => settle({ kind: 'failed', error: `the lint worker exited with code ${code}` }));
  });
}

/** The worker's side: lint the document of `job` and post the result. */
export async function runLintJob(job: LintJob, post: (result: LintJobResult) => void): Promise<void> {
  try {
    const workspace = new WorkspaceFiles();
    workspace.setRoots(job.roots);
    for (const [file, text] of job.openFiles) workspace.setOpen(file, { getText: () => text });
    const ruleErrors: { rule: string; error: string }[] = [];
    let parserError: string | undefined;
    const options: LintOptions = {
      config: job.config,
      workspace,
      ...(job.roots ? { roots: job.roots } : {}),
      onRuleError: ({ rule, error }) => ruleErrors.push({ rule, error: String((error as Error)?.stack ?? error) }),
    };
    const format = detectFormat(job.file, job.text, { languageId: job.languageId });
    const parsed = format ? parseDocument(job.file, job.text, format, (error) => (parserError = String((error as Error)?.stack ?? error))) : undefined;
    const findings = parsed ? await lintAsyncFindings(parsed, runRules(parsed, options), options) : [];
    post({ kind: 'done', format, findings, ruleErrors, parserError });
  } catch (error) {
    post({ kind: 'failed', error: String((error as Error)?.stack ?? error) });
  }
}
