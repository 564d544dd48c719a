/**
 * The workspace as one deployment: every linted file's facts and references go into the project,
 * the deployment rules run over all of them, and their findings are published with each file's
 * own. When a file's facts or references change, the files that depend on it (what includes it,
 * what it includes) are linted again, and the deployment findings are recomputed — after a short
 * pause, so a burst of changes (typing, the scan) costs one pass.
 */
import * as path from 'node:path';
import { Project, runDeploymentRules, type Config, type DocumentFacts, type Finding, type ParsedDocument } from '../rules';
import type { LintInputs } from './linter';
import { rootsOf, type WorkspaceFiles } from './workspace';

/** The pause after the last change before dependents are re-linted and the deployment rules run. */
export const DEPLOYMENT_DEBOUNCE_MS = 200;

export interface DeploymentHost {
  /** Lints a file again: an open one from its buffer, another from disk; its diagnostics are republished. */
  relint(file: string): void;
  /** The configuration the deployment rules run under (the first workspace folder's). */
  config(): Promise<Config>;
  /** The overview may have changed. */
  changed(): void;
  error(message: string): void;
}

export class Deployment {
  readonly project: Project;
  /** The deployment rules' findings, by file: published with the file's own. */
  private cross = new Map<string, Finding[]>();
  private dirty = new Set<string>();
  /** The version of each file last recorded: a new one re-lints what depends on the file. */
  private readonly stamps = new Map<string, string | undefined>();
  private timer: NodeJS.Timeout | undefined;
  private paused = 0;
  /** Resolves when no pass is pending or running. */
  private settled: Promise<void> = Promise.resolve();

  constructor(
    private readonly files: WorkspaceFiles,
    private readonly host: DeploymentHost,
  ) {
    this.project = new Project(files, { onRuleError: ({ rule, error }) => host.error(`${rule} failed: ${error instanceof Error ? error.message : String(error)}`) });
  }

  /** A file was parsed and is about to be linted: its facts and references are recorded. */
  parsed(doc: ParsedDocument, inputs: LintInputs): void {
    const file = path.resolve(doc.file);
    // Keep the parse of files others include, so that their includers find it without parsing again.
    const stamp = this.files.stamp(file);
    if (stamp !== undefined && (doc.format === 'nginx' || doc.format === 'caddy')) this.project.remember(doc, stamp);
    const newVersion = this.stamps.get(file) !== stamp;
    this.stamps.set(file, stamp);
    const changed = this.project.update(doc, { config: inputs.config, workspace: inputs.workspace, ...rootsOf(this.files, doc.file) });
    // Facts that changed move the deployment; a new text of an included file moves its includers,
    // whose facts stay the same (a snippet has none). A re-lint of the same text moves nothing more.
    if (changed || (newVersion && this.project.dependents(file).length)) this.touch(file);
  }

  /**
   * A file linted elsewhere (a worker): its facts replace what the project had, or, when it says
   * nothing (no longer a config file, its lint abandoned), what it said before leaves.
   */
  recorded(file: string, facts: DocumentFacts | undefined): void {
    if (!facts) return this.removed(file);
    const abs = path.resolve(file);
    const stamp = this.files.stamp(abs);
    const newVersion = this.stamps.get(abs) !== stamp;
    this.stamps.set(abs, stamp);
    // The parse of another thread is not here: a cached one of an older version must not be used.
    this.project.invalidate(abs);
    const changed = this.project.record(facts);
    if (changed || (newVersion && this.project.dependents(abs).length)) this.touch(abs);
  }

  /** A file gone from the workspace, or no longer a config file. */
  removed(file: string): void {
    const abs = path.resolve(file);
    const dependents = this.project.dependents(abs);
    this.stamps.delete(abs);
    if (this.project.remove(abs)) {
      for (const d of dependents) this.host.relint(d);
      this.touch(abs);
    }
  }

  /** A file or folder deleted on disk: what was in it leaves the project (an open editor keeps its own). */
  removedTree(fileOrFolder: string): void {
    const abs = path.resolve(fileOrFolder);
    for (const { facts } of this.project.all()) if ((facts.file === abs || facts.file.startsWith(abs + path.sep)) && !this.files.isOpen(facts.file)) this.removed(facts.file);
  }

  /** The deployment rules' findings in this file. */
  findingsFor(file: string): Finding[] {
    return this.cross.get(path.resolve(file)) ?? [];
  }

  /** While the workspace scan runs, passes wait for its end (one pass over the whole picture). */
  pause(): () => void {
    this.paused++;
    let resumed = false;
    return () => {
      if (resumed) return;
      resumed = true;
      if (--this.paused === 0 && this.dirty.size) this.schedule(0);
    };
  }

  /** Resolves once the changes recorded so far have gone through a pass. */
  async idle(): Promise<void> {
    while (this.timer || this.dirty.size) await new Promise((resolve) => setTimeout(resolve, DEPLOYMENT_DEBOUNCE_MS));
    await this.settled;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private touch(file: string): void {
    this.dirty.add(file);
    this.files.changed();
    if (!this.paused) this.schedule(DEPLOYMENT_DEBOUNCE_MS);
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.settled = this.pass().catch((error) => this.host.error(`the deployment pass failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
    }, delay);
  }

  private async pass(): Promise<void> {
    const changed = [...this.dirty];
    this.dirty.clear();
    const relint = new Set<string>();
    for (const file of changed) for (const d of this.project.dependents(file)) relint.add(d);

    const config = await this.host.config();
    const findings = runDeploymentRules(this.project.all(), { config, workspace: this.files, project: this.project, ...rootsOf(this.files), onRuleError: ({ rule, error }) => this.host.error(`${rule} failed: ${error instanceof Error ? error.message : String(error)}`) });
    const next = new Map<string, Finding[]>();
    for (const f of findings) next.set(f.file, [...(next.get(f.file) ?? []), f]);
    for (const file of new Set([...this.cross.keys(), ...next.keys()])) {
      if (JSON.stringify(this.cross.get(file) ?? []) !== JSON.stringify(next.get(file) ?? [])) relint.add(file);
    }
    this.cross = next;
    for (const file of relint) this.host.relint(file);
    this.host.changed();
  }
}
