/**
 * Workspace-wide diagnostics: every config file of the workspace folders is linted from disk, so
 * its findings are in the Problems panel without the file being opened. A file open in an editor
 * belongs to the editor (its buffer wins); the scan leaves it alone.
 *
 * The scan walks one folder at a time, reads, lints, publishes and drops each file (no workspace
 * text is kept). It works in slices of a few milliseconds and yields to the event loop between
 * them, so the document being typed in waits at most one slice (or one file's lint). Reads are
 * synchronous: a config file is small, and a read takes less than the round trip of an
 * asynchronous one through libuv's thread pool, which made the scan several times slower.
 */
import * as fs from 'node:fs';
import { headSaysConfig, readBytes } from '../io/read';
import { decodeText, type TextEncoding } from '../io/text';
import * as path from 'node:path';
import { candidateByName, detectFormat, encodingFinding, GlobSet, looksBinary, MAX_DISCOVERED_BYTES, SKIP_DIRS, type Finding, type ProjectView } from '../rules';
import type { Linter, LintInputs } from './linter';
import type { DocumentConfig } from './settings';
import type { WorkspaceFiles } from './workspace';

/** What the 0:0 warning on a config file too large to lint is filed under. */
export const TOO_LARGE_RULE = 'portcullis/too-large';

export interface ScanHost {
  linter: Linter;
  files: WorkspaceFiles;
  /** The configuration in effect for a file on disk in `folder`. */
  config(file: string, folder: string): Promise<DocumentConfig>;
  /** VS Code's `files.exclude` globs of a workspace folder (relative to it). */
  filesExclude(folder: string): Promise<readonly string[]>;
  /** Resolves when no open document's lint is under way: those go first. */
  idle(): Promise<void>;
  /** Sends the findings of a file no editor shows ([] clears them); resolves once written. */
  publish(file: string, findings: Finding[]): Promise<void>;
  /** The other config files, for includes and imports. */
  project?: ProjectView;
  /** A file that is no longer one of the workspace's config files (excluded, not ours any more). */
  forget?(file: string): void;
}

export interface ScanProgress {
  /** Said now and then while the scan runs. */
  report(message: string): void;
  /** Set when the user cancels. */
  readonly cancelled: () => boolean;
}

export interface ScanResult {
  /** Config files linted. */
  linted: number;
  /** Of those, the files with findings. */
  withFindings: number;
  cancelled: boolean;
  ms: number;
}

/** How often progress is reported. */
const REPORT_EVERY_MS = 250;
/** The scan's work between two yields to the event loop. */
const SLICE_MS = 2;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

class Run {
  cancelled = false;
  constructor(readonly roots: string[]) {}
}

export class WorkspaceScanner {
  /** Files on disk whose findings were published non-empty: what a later scan or a delete must clear. */
  private readonly published = new Set<string>();
  /** Bumped per file by each read of it and by its opening: an older read's findings are not published. */
  private readonly reads = new Map<string, number>();
  private full: Run | undefined;
  private folders: string[] = [];
  /** The scan's last publication: it waits for it to be written before going on. */
  private written: Promise<void> = Promise.resolve();

  constructor(private readonly host: ScanHost) {}

  setFolders(folders: string[]): void {
    // Innermost first, so that a file belongs to the nearest folder; the file system's root is never walked.
    this.folders = [...new Set(folders.map((f) => path.resolve(f)))].filter((f) => path.dirname(f) !== f).sort((a, b) => b.length - a.length);
    // Findings of files in no folder any more go.
    for (const file of [...this.published]) if (!this.folderOf(file)) this.clear(file);
  }

  /**
   * Lints every config file under `roots` (default: the workspace folders). A scan of every
   * folder replaces the one before it (cancelled); in the end, findings of files it no longer
   * found (excluded, deleted, no longer ours) are cleared.
   */
  async scan(roots: string[] = this.folders, progress?: ScanProgress): Promise<ScanResult> {
    const started = performance.now();
    const run = new Run(roots.map((r) => path.resolve(r)));
    const isFull = roots === this.folders;
    if (isFull) {
      if (this.full) this.full.cancelled = true;
      this.full = run;
    }
    const result: ScanResult = { linted: 0, withFindings: 0, cancelled: false, ms: 0 };
    const seen = new Set<string>();
    let lastReport = performance.now();
    let sliceStart = performance.now();
    const stopped = () => run.cancelled || progress?.cancelled() === true;
    const pause = async () => {
      if (performance.now() - sliceStart < SLICE_MS) return;
      // Publications not yet written would queue the typed document's behind them: the scan goes at the client's pace.
      await this.written;
      await yieldToLoop();
      // A lint of an open document that started meanwhile finishes (its writes, its asynchronous rules) first.
      await this.host.idle();
      sliceStart = performance.now();
    };

    outer: for (const root of run.roots) {
      const folder = this.folders.includes(root) ? root : this.folderOf(root);
      if (!folder) continue;
      const exclude = new GlobSet(await this.host.filesExclude(folder));
      // A folder created inside `node_modules` or an excluded folder is as skipped as its parent.
      if (root !== folder && (this.inSkippedDir(root, folder) || exclude.matches(relative(folder, root)))) continue;
      const dirs = [root];
      // A folder removed from the workspace while it is walked is left at once.
      while (dirs.length && this.folders.includes(folder)) {
        if (stopped()) break outer;
        const dir = dirs.pop()!;
        let entries: fs.Dirent[];
        try {
          entries = fs.readdirSync(dir, { withFileTypes: true });
        } catch {
          continue;
        }
        for (const e of entries) {
          const p = path.join(dir, e.name);
          // A nested workspace folder is its own folder's (the innermost) to scan.
          if (e.isDirectory()) {
            if (!SKIP_DIRS.has(e.name) && !exclude.matches(relative(folder, p)) && !this.folders.includes(p)) dirs.push(p);
          } else if (e.isFile() && candidateByName(p) && !exclude.matches(relative(folder, p)) && !seen.has(p)) {
            seen.add(p);
            if (this.host.files.isOpen(p)) continue;
            if (stopped()) break outer;
            const outcome = await this.lintFromDisk(p, folder, false);
            if (outcome !== 'not-ours') result.linted++;
            if (outcome === 'findings') result.withFindings++;
            await pause();
          }
        }
        if (progress && performance.now() - lastReport > REPORT_EVERY_MS) {
          lastReport = performance.now();
          progress.report(`${result.linted} config files linted`);
        }
        await pause();
      }
    }

    result.cancelled = stopped();
    if (!result.cancelled) {
      // What an earlier scan published for a file this one did not lint (gone, excluded, moved out) goes.
      for (const file of [...this.published]) if (!seen.has(file) && run.roots.some((r) => file === r || isInside(file, r)) && !this.host.files.isOpen(file)) this.clear(file);
    }
    if (this.full === run) this.full = undefined;
    result.ms = performance.now() - started;
    return result;
  }

  /** Cancels the scan of every folder, if one runs. */
  cancel(): void {
    if (this.full) this.full.cancelled = true;
  }

  /**
   * A file created or changed on disk, or closed in the editor: lints it from disk when it is a
   * config file of a workspace folder and not open; `always` publishes even no findings (a closed
   * editor's diagnostics must be replaced). Returns false when the file is none of the scan's.
   */
  async update(file: string, always = false): Promise<boolean> {
    const abs = path.resolve(file);
    const folder = this.folderOf(abs);
    if (!folder || this.host.files.isOpen(abs) || !candidateByName(abs) || this.inSkippedDir(path.dirname(abs), folder)) {
      if (!this.host.files.isOpen(abs)) this.clearIf(abs, always);
      return false;
    }
    if (new GlobSet(await this.host.filesExclude(folder)).matches(relative(folder, abs))) {
      this.clearIf(abs, always);
      return true;
    }
    await this.lintFromDisk(abs, folder, always);
    return true;
  }

  /** A file or folder deleted on disk: the findings of what was in it go (an open editor keeps its own). */
  deleted(file: string): void {
    const abs = path.resolve(file);
    // A read of a file in it still under way must not publish when it ends (its lint can take seconds).
    for (const f of [...this.reads.keys()]) if (f === abs || isInside(f, abs)) this.bump(f);
    for (const f of [...this.published]) if ((f === abs || isInside(f, abs)) && !this.host.files.isOpen(f)) this.clear(f);
  }

  /** An editor opened the file: a disk read under way must not overwrite the buffer's findings. */
  opened(file: string): void {
    const abs = path.resolve(file);
    this.bump(abs);
    this.published.delete(abs);
  }

  private async lintFromDisk(file: string, folder: string, always: boolean): Promise<'findings' | 'none' | 'not-ours'> {
    const read = this.bump(file);
    const current = () => this.reads.get(file) === read && !this.host.files.isOpen(file) && this.folderOf(file) !== undefined;
    const done = (findings: Finding[] | undefined): 'findings' | 'none' | 'not-ours' => {
      if (current()) {
        this.reads.delete(file);
        if (findings?.length) {
          this.published.add(file);
          this.send(file, findings);
        } else this.clearIf(file, always);
      } else if (!this.host.files.isOpen(file) && !fs.existsSync(file)) {
        // Deleted while it was linted: what the lint recorded of it in the project goes too.
        this.host.forget?.(file);
      }
      return findings === undefined ? 'not-ours' : findings.length ? 'findings' : 'none';
    };

    return done(await this.findingsOnDisk(file, folder));
  }

  /**
   * Every finding of a file as it is on disk (undefined when it is not a config file of ours), for
   * a file no editor shows; nothing is published.
   */
  async findingsOnDisk(file: string, folder = this.folderOf(path.resolve(file))): Promise<Finding[] | undefined> {
    const read = readCandidate(file, folder);
    if (read && 'tooLarge' in read && folder) {
      this.host.forget?.(file);
      return (await this.host.config(file, folder)).excluded ? [] : [tooLargeFinding(file, read.tooLarge)];
    }
    const text = read && 'text' in read ? read.text : undefined;
    const format = text === undefined ? undefined : detectFormat(file, text);
    if (!read || !('text' in read) || text === undefined || !format || !folder) {
      this.host.forget?.(file);
      return undefined;
    }
    const { config, excluded } = await this.host.config(file, folder);
    if (excluded) {
      this.host.forget?.(file);
      return [];
    }
    const inputs: LintInputs = { config, workspace: this.host.files, workspaceGeneration: this.host.files.generation, project: this.host.project };
    const findings = await this.host.linter.lintOnce({ uri: file, version: 0, languageId: '', getText: () => text }, file, inputs);
    // A file its own tool refuses by its encoding (an nginx BOM, UTF-16): a syntax error at 0:0, as the CLI says.
    const refused = encodingFinding(file, format, read.encoding);
    return refused && findings && config.rules[refused.rule] !== 'off' ? [refused, ...findings] : findings;
  }

  private bump(file: string): number {
    const n = (this.reads.get(file) ?? 0) + 1;
    this.reads.set(file, n);
    return n;
  }

  private clearIf(file: string, always: boolean): void {
    if (always || this.published.has(file)) this.clear(file);
  }

  private clear(file: string): void {
    this.published.delete(file);
    this.send(file, []);
  }

  private send(file: string, findings: Finding[]): void {
    this.written = this.host.publish(file, findings).catch(() => {});
  }

  private folderOf(file: string): string | undefined {
    return this.folders.find((f) => isInside(file, f));
  }

  /** Whether `dir` is, or is inside, a folder never descended into. */
  private inSkippedDir(dir: string, folder: string): boolean {
    return relative(folder, dir)
      .split('/')
      .some((d) => SKIP_DIRS.has(d));
  }
}

/**
 * The text of a file worth reading, or undefined: too big, binary, unreadable, gone, not a regular
 * file (a FIFO named docker-compose.yml is never waited on), or a symlink out of the folder. The
 * one safe reader (io/read.ts); decoded by its byte-order mark.
 */
function readCandidate(file: string, folder?: string): { text: string; encoding: TextEncoding } | { tooLarge: number } | undefined {
  const roots = folder ? { roots: [folder] } : {};
  const r = readBytes(file, { maxBytes: MAX_DISCOVERED_BYTES, ...roots });
  if (!r.ok) return r.reason === 'too-large' && (candidateByName(file) === 'path' || headSaysConfig(file, roots)) ? { tooLarge: r.size ?? 0 } : undefined;
  if (candidateByName(file) === 'content' && looksBinary(r.bytes)) return undefined;
  return decodeText(r.bytes);
}

/** The one warning on a config file too large to lint: never "no problems" for a file not checked. */
function tooLargeFinding(file: string, size: number): Finding {
  const start = { line: 0, character: 0 };
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return {
    rule: TOO_LARGE_RULE,
    severity: 'warning',
    file,
    range: { start, end: start },
    message: `Portcullis did not lint ${path.basename(file)}: it is ${mb(size)}, over the ${mb(MAX_DISCOVERED_BYTES)} a configuration file may have; nothing in it was checked.`,
    fixes: [],
  };
}

function relative(folder: string, file: string): string {
  return path.relative(folder, file).split(path.sep).join('/');
}

function isInside(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
