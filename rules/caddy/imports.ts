import { locateInProject } from '../core/bounds';
import { folderOf, resolveFrom } from '../core/paths';
import { detectFormat } from '../core/detect';
import type { ParsedDocument } from '../core/engine';
import type { ProjectView, Range, RuleContext } from '../core/types';
import { looksLikeFilePath, walk, type CaddyModel, type Directive, type ServerBlock } from './model';

/**
 * What a Caddyfile's `import`s of files bring, followed through `ctx.project` (Caddy's rules: a
 * name that is not a snippet defined so far is a file or glob, relative to the folder of the file
 * the `import` is written in; the imported tokens stand where the import does; a cycle of imports
 * is an error). Without a project, or for a pattern that matches nothing, what an import brings is
 * unknown, as when the file is linted alone. Computed once per (model, project), and checked
 * against the project's current documents once per lint pass.
 */

/** A file of the import tree: the linted one (`root`) or one it imports, with its own ranges. */
export interface Source {
  file: string;
  text: string;
  model: CaddyModel;
  root: boolean;
  range(start: number, end: number): Range;
}

export interface DefinedSnippet {
  block: ServerBlock;
  source: Source;
  /** For a snippet of an imported file: the top-level import of the linted file that defines it. */
  via?: Directive;
}

/** A site written in an imported file that no lint of its own covers: the importer speaks for it. */
export interface ImportedSite {
  block: ServerBlock;
  source: Source;
  /** The import, in the linted file, that brings it in. */
  via: Directive;
}

export interface ImportError {
  start: number;
  end: number;
  message: string;
}

/** What a body `import` of a non-snippet brings: the fragments spliced in, or why it is unknown. */
export type BodyImport = { files: Source[] } | 'unknown' | 'missing';

/** Caddy has no limit but refuses cycles; this backstops a chain of distinct files. */
const MAX_DEPTH = 16;
/** Files whose snippets an imported file may use: its importers, and theirs. */
const MAX_REFERRERS = 32;

export class Resolution {
  readonly root: Source;
  /** Snippets defined in this file, its top-level imports and (for an imported file) its importers'. */
  readonly snippets = new Map<string, DefinedSnippet>();
  readonly importedSites: ImportedSite[] = [];
  /** Import cycles and chains too deep, at the import of the linted file to edit. */
  readonly errors: ImportError[] = [];
  /** Some import of a file could not be followed: what it brings is unknown. */
  unresolved = false;
  /** The files that import this one (and theirs): this file is not the whole configuration. */
  readonly importers: Source[] = [];
  /** The imported files no lint of their own covers, each with the import (in the linted file) that first reaches it. */
  readonly reached: { source: Source; via: Directive }[] = [];
  /** Memo of derived views (scopes), dropped with the resolution. */
  readonly memo = new Map<string, unknown>();

  private readonly sources = new Map<string, Source | null>();
  private readonly globs = new Map<string, string[]>();
  private readonly referrerLists = new Map<string, string[]>();

  private readonly roots: Pick<RuleContext, 'roots'>;

  constructor(model: CaddyModel, ctx: Pick<RuleContext, 'file' | 'text' | 'range' | 'roots'>, readonly project: ProjectView | undefined) {
    this.roots = { roots: ctx.roots };
    this.root = { file: ctx.file, text: ctx.text, model, root: true, range: ctx.range };
    for (const [name, block] of model.snippetsByName) this.snippets.set(name, { block, source: this.root });
    this.collectTopLevel(this.root, [this.root.file], undefined, true);
    if (project) this.inherit(project);
    this.checkGraph();
  }

  /** The absolute pattern an import argument names, relative to the folder of the file it is written in. */
  patternFor(name: string, from: Source): string | undefined {
    return importPattern(name, folderOf(from.file), this.roots, this.project);
  }

  /** The files a pattern names, parsed as Caddyfiles; undefined when unknown (no project, nothing matches). */
  filesFor(pattern: string | undefined): Source[] | undefined {
    if (!this.project || pattern === undefined || pattern.includes('{')) return undefined;
    let matches = this.globs.get(pattern);
    if (!matches) this.globs.set(pattern, (matches = this.project.glob(pattern)));
    if (!matches.length) return undefined;
    const out: Source[] = [];
    for (const f of matches) {
      const s = this.source(f);
      if (!s) return undefined;
      out.push(s);
    }
    return out;
  }

  /** What `import name` (not a snippet) in a body of `from` splices in. */
  bodyImport(name: string, from: Source): BodyImport {
    if (name === '' || name.includes('{')) return 'unknown';
    const files = this.filesFor(this.patternFor(name, from));
    if (files) return { files };
    // A bare name matching no file is an undefined snippet (its own rule); a path may be elsewhere.
    if (this.project && !looksLikeFilePath(name)) return 'missing';
    return 'unknown';
  }

  /** Whether the project still holds what this resolution read (a file changed, appeared or went). */
  stillValid(project: ProjectView): boolean {
    for (const [pattern, files] of this.globs) {
      const now = project.glob(pattern);
      if (now.length !== files.length || now.some((f, i) => f !== files[i])) return false;
    }
    for (const [file, s] of this.sources) {
      const doc = project.document(file, 'caddy');
      if ((doc?.model ?? null) !== (s?.model ?? null)) return false;
    }
    for (const [file, list] of this.referrerLists) {
      const now = project.referrers(file);
      if (now.length !== list.length || now.some((f, i) => f !== list[i])) return false;
    }
    return true;
  }

  private source(file: string): Source | undefined {
    if (file === this.root.file) return this.root;
    let s = this.sources.get(file);
    if (s === undefined) {
      const doc = this.project?.document(file, 'caddy');
      s = doc ? sourceOf(doc) : null;
      this.sources.set(file, s);
    }
    return s ?? undefined;
  }

  /**
   * Top-level imports, depth first: the snippets they define join the table, their sites are the
   * importer's to lint unless the file is a config file linted on its own.
   */
  private collectTopLevel(from: Source, stack: string[], via: Directive | undefined, claimSites: boolean) {
    if (stack.length > MAX_DEPTH) return;
    for (const b of from.model.blocks) {
      const d = b.importDirective;
      if (b.kind !== 'import' || !d) continue;
      const name = d.args[0]?.text ?? '';
      if (this.snippets.has(name)) continue;
      const files = name && !name.includes('{') ? this.filesFor(this.patternFor(name, from)) : undefined;
      for (const f of files ?? []) {
        if (stack.includes(f.file) || f.model.fragment) continue;
        for (const [n, block] of f.model.snippetsByName) if (!this.snippets.has(n)) this.snippets.set(n, { block, source: f, ...(claimSites ? { via: via ?? d } : {}) });
        if (claimSites && !lintedOnItsOwn(f)) for (const block of f.model.sites) this.importedSites.push({ block, source: f, via: via ?? d });
        this.collectTopLevel(f, [...stack, f.file], via ?? d, claimSites);
      }
    }
  }

  /** Snippets of the files that import this one (and of theirs): a site file uses its importer's. */
  private inherit(project: ProjectView) {
    const seen = new Set([this.root.file]);
    const queue = [this.root.file];
    while (queue.length && seen.size <= MAX_REFERRERS) {
      const file = queue.shift()!;
      const refs = project.referrers(file);
      this.referrerLists.set(file, refs);
      for (const r of refs) {
        if (seen.has(r)) continue;
        seen.add(r);
        const s = this.source(r);
        if (!s) continue;
        this.importers.push(s);
        for (const [n, block] of s.model.snippetsByName) if (!this.snippets.has(n)) this.snippets.set(n, { block, source: s });
        this.collectTopLevel(s, [s.file], undefined, false);
        queue.push(r);
      }
    }
  }

  /** Every import of a file, followed depth first: cycles, chains too deep and what cannot be followed. */
  private checkGraph() {
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (from: Source, depth: number, via: Directive | undefined) => {
      state.set(from.file, 'visiting');
      for (const b of from.model.blocks) {
        walk(b.directives, (d) => {
          if (d.name.text !== 'import' || d.name.quote !== '') return;
          const name = d.args[0]?.text ?? '';
          if (name === '' || this.snippets.has(name)) return;
          // Placeholders in a snippet are filled by each import of it (followed when the snippet is expanded).
          if (name.includes('{')) {
            if (looksLikeFilePath(name) && !/\{args[[.]/.test(name)) this.unresolved = true;
            return;
          }
          const files = this.filesFor(this.patternFor(name, from));
          if (!files) {
            // A bare name that is no file is an undefined snippet, which its own rule reports.
            this.unresolved ||= looksLikeFilePath(name);
            return;
          }
          const at = via ?? d;
          for (const f of files) {
            const st = state.get(f.file);
            if (st === 'visiting') {
              this.unresolved = true;
              const closing = from.root ? d : at;
              const arg = closing.args[0] ?? closing.name;
              this.addError(arg, `a cycle of imports exists between ${from.file} and ${f.file}${from.root ? '' : ` (${from.file}:${d.name.line} imports it back)`}`);
            } else if (st === undefined) {
              if (depth + 1 > MAX_DEPTH) {
                this.unresolved = true;
                this.addError(at.args[0] ?? at.name, `imports nested more than ${MAX_DEPTH} files deep`);
                continue;
              }
              if (!lintedOnItsOwn(f)) this.reached.push({ source: f, via: at });
              visit(f, depth + 1, at);
            }
          }
        });
      }
      state.set(from.file, 'done');
    };
    visit(this.root, 0, undefined);
    // Caddy refuses the whole configuration when an imported file does not parse: a file nobody
    // lints on its own has its errors shown at the import that brings it in.
    for (const { source, via } of this.reached) {
      for (const e of source.model.errors) {
        if (e.braces) continue;
        const line = source.range(e.start, e.end).start.line + 1;
        this.addError(via.args[0] ?? via.name, `in ${shownPath(source.file, this.root.file)}:${line}: ${e.message}`);
      }
    }
  }

  private addError(t: { start: number; end: number }, message: string) {
    if (!this.errors.some((e) => e.start === t.start && e.message === message)) this.errors.push({ start: t.start, end: t.end, message });
  }
}

/** A path as the linted file's imports would write it: relative to its folder when under it. */
export function shownPath(file: string, linted: string): string {
  const dir = linted.replace(/[^/\\]*$/, '');
  return dir && file.startsWith(dir) ? file.slice(dir.length) : file;
}

function sourceOf(doc: ParsedDocument): Source {
  return { file: doc.file, text: doc.text, model: doc.model as CaddyModel, root: false, range: (s, e) => doc.lines.range(s, e) };
}

/** A file the workspace lints as a Caddyfile by itself (its sites are its own to report). */
export function lintedOnItsOwn(s: Source): boolean {
  return detectFormat(s.file, s.text) === 'caddy';
}

interface Memo {
  resolution: Resolution;
  /** The lint passes (rule contexts) it was checked for. */
  checked: WeakSet<object>;
}

const withProject = new WeakMap<CaddyModel, WeakMap<ProjectView, Memo>>();
const alone = new WeakMap<CaddyModel, Resolution>();

/** The import resolution of the linted file, for the rules and the facts of one lint pass. */
export function resolve(model: CaddyModel, ctx: Pick<RuleContext, 'file' | 'text' | 'range' | 'project'>): Resolution {
  const project = ctx.project;
  if (!project) {
    let r = alone.get(model);
    if (!r) alone.set(model, (r = new Resolution(model, ctx, undefined)));
    return r;
  }
  let byProject = withProject.get(model);
  if (!byProject) withProject.set(model, (byProject = new WeakMap()));
  let memo = byProject.get(project);
  if (memo && !memo.checked.has(ctx)) {
    if (memo.resolution.stillValid(project)) memo.checked.add(ctx);
    else memo = undefined;
  }
  if (!memo) {
    memo = { resolution: new Resolution(model, ctx, project), checked: new WeakSet([ctx]) };
    byProject.set(project, memo);
  }
  return memo.resolution;
}

/** `FormatModule.references`: every `import` of a file or glob, as an absolute pattern. */
export function caddyReferences(model: CaddyModel, ctx: RuleContext): string[] {
  const dir = folderOf(ctx.file);
  const out = new Set<string>();
  for (const b of model.blocks) {
    walk(b.directives, (d) => {
      const name = d.args[0]?.text ?? '';
      if (d.name.text !== 'import' || d.name.quote !== '' || name === '' || name.includes('{') || model.snippetsByName.has(name)) return;
      const pattern = importPattern(name, dir, ctx, ctx.project);
      if (pattern) out.add(pattern);
    });
  }
  return [...out];
}

/**
 * The absolute pattern an import names in the project: relative to the importing file's folder;
 * a machine path under `/etc/caddy/` is looked up beside the Caddyfile (or `<root>/etc/caddy/…`),
 * never on the machine. Undefined: it leaves the project (not read).
 */
export function importPattern(name: string, dir: string, ctx: Pick<RuleContext, 'roots'>, project: ProjectView | undefined): string | undefined {
  return locateInProject(ctx.roots, resolveFrom(dir, name), [{ prefix: '/etc/caddy', onto: dir }], (c) => !!project && project.glob(c).length > 0);
}
