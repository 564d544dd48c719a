import type { ParsedDocument } from '../core/engine';
import type { ProjectView, Range, RuleContext } from '../core/types';
import { locateInProject } from '../core/bounds';
import { folderOf, normalizePath, resolveFrom } from '../core/paths';
import { Ctx } from './directives';
import { named, type Directive, type NginxModel } from './model';
import { append } from '../core/arrays';

/**
 * nginx `include` across the workspace. nginx reads a relative include against its prefix, the
 * folder of the main config, whichever file the include is in; a pattern is glob(3). With the
 * project, an include stands for the top-level directives of the files it matches (that is what
 * nginx does while reading), and a fragment's outer levels are its includer's at the include.
 */

/** How deep includes nest before we stop following (nginx has no limit but the open-file one). */
const MAX_DEPTH = 16;
/** The outermost level when the include chain is cut short: no context, so nothing counts as known. */
const UNKNOWN_CTX = -1;

/** Includes that hold only stock settings: not knowing them changes no rule's answer. */
const HARMLESS_INCLUDES = /(^|\/)(mime\.types|proxy_params|fastcgi_params|fastcgi\.conf|uwsgi_params|scgi_params|options-ssl-nginx\.conf|fastcgi-php\.conf|koi-utf|koi-win|win-utf)$/;

export function isHarmlessInclude(d: Directive): boolean {
  return HARMLESS_INCLUDES.test(d.args[0]?.value ?? '');
}

/** The folder relative includes are read from: the nearest folder up from the file (its own included) holding `nginx.conf`, else its own. */
export function confDir(file: string, project: ProjectView | undefined): string {
  const own = folderOf(file);
  if (!project || !own.startsWith('/')) return own;
  for (let dir = own; ; dir = folderOf(dir)) {
    if (project.glob(dir === '/' ? '/nginx.conf' : `${dir}/nginx.conf`).length) return dir;
    if (dir === '/') return own;
  }
}

/** What `FormatModule.references` says for an nginx file: every include as an absolute pattern. */
export function includeReferences(model: NginxModel, ctx: RuleContext): string[] {
  const base = confDir(model.file || ctx.file, ctx.project);
  const out: string[] = [];
  for (const d of named(model, 'include')) {
    const pattern = d.args[0] && includePattern(d.args[0].value, base, ctx, ctx.project);
    if (pattern && !out.includes(pattern)) out.push(pattern);
  }
  return out;
}

/**
 * The absolute pattern an include argument stands for in the project: read from `base` (the
 * conf folder); a machine path under `/etc/nginx/` is looked up in the project (the conf folder,
 * or `<root>/etc/nginx/…`), never on the machine. Undefined: it leaves the project (not read).
 */
export function includePattern(arg: string, base: string, ctx: Pick<RuleContext, 'roots'>, project: ProjectView | undefined): string | undefined {
  return locateInProject(ctx.roots, resolveFrom(base, arg), [{ prefix: '/etc/nginx', onto: base }], (c) => !!project && project.glob(c).length > 0);
}

/** One file of the include tree: its parse, where relative includes are read from. */
interface Source {
  file: string;
  model: NginxModel;
  /** The parse, for positions (undefined for the linted document, whose ctx has them). */
  doc?: ParsedDocument;
}

/** The levels around a fragment, from the file that includes it: innermost first. */
export interface OuterChain {
  /** The includer's levels from the one holding the include outwards (expanded); empty when nothing includes the file. */
  levels: Directive[][];
  /** The block directives those levels belong to (location, server, http …), innermost first. */
  owners: Directive[];
  /** The context the outermost known file's top level is in (main for nginx.conf). */
  topCtx: number;
  /** The outermost known file. */
  top: Source;
}

export interface IncludeTree {
  /** Every file reached from the outermost known file through includes. */
  sources: Source[];
  /** The outermost file is a whole config and every include in the tree is resolved. */
  complete: boolean;
}

/**
 * What includes mean for one linted document in one project: expanded levels, the outer chain,
 * the include tree. Built once per lint (rules share it through `resolution(model, ctx)`).
 */
export class Resolution {
  private readonly expanded = new Map<readonly Directive[], Directive[]>();
  /** A directive at the top of another file's tree -> that file. */
  private readonly foreign = new Map<Directive, Source>();
  private readonly bases = new Map<string, string>();
  private readonly matches = new Map<Directive, string[]>();
  private readonly self: Source;
  private outerCache?: OuterChain;
  private treeCache?: IncludeTree;
  private upstreamCache?: Map<string, Directive>;
  private ownRoot?: Set<Directive>;

  constructor(model: NginxModel, readonly ctx: RuleContext, readonly project: ProjectView) {
    this.self = { file: normalizePath(model.file || ctx.file), model };
  }

  private base(file: string): string {
    let b = this.bases.get(file);
    if (b === undefined) this.bases.set(file, (b = confDir(file, this.project)));
    return b;
  }

  /** The files an include in `from` matches, sorted (empty: the include is unknown). */
  filesOf(include: Directive, from: string): string[] {
    let files = this.matches.get(include);
    if (!files) {
      const arg = include.args[0]?.value;
      const pattern = arg ? includePattern(arg, this.base(from), this.ctx, this.project) : undefined;
      files = pattern ? this.project.glob(pattern).map(normalizePath) : [];
      this.matches.set(include, files);
    }
    return files;
  }

  private source(file: string): Source | undefined {
    if (file === this.self.file) return this.self;
    const doc = this.project.document(file, 'nginx');
    return doc ? { file, model: doc.model as NginxModel, doc } : undefined;
  }

  /**
   * A level with each resolved include replaced by the top-level directives of the files it
   * matches (recursively); an include that matches nothing, or would include a file into itself,
   * stays: it is unknown.
   */
  level(list: readonly Directive[], file?: string, stack?: string[]): Directive[] {
    const hit = this.expanded.get(list);
    if (hit) return hit;
    const from = file ?? this.fileOf(list[0]) ?? this.self.file;
    const path = stack ?? [from];
    let out: Directive[];
    if (!list.some((d) => d.name === 'include')) out = list as Directive[];
    else {
      out = [];
      for (const d of list) {
        if (d.name !== 'include') {
          out.push(d);
          continue;
        }
        const files = this.filesOf(d, from);
        const sources = path.length < MAX_DEPTH && files.every((f) => !path.includes(f)) ? files.map((f) => this.source(f)) : [];
        if (!sources.length || sources.some((s) => !s)) {
          out.push(d);
          continue;
        }
        for (const s of sources as Source[]) {
          for (const top of s.model.root) if (s !== this.self) this.foreign.set(top, s);
          append(out, this.level(s.model.root, s.file, [...path, s.file]));
        }
      }
    }
    this.expanded.set(list, out);
    return out;
  }

  /** The file a directive is written in (undefined: not reached through this resolution). */
  fileOf(d: Directive | undefined): string | undefined {
    return d ? this.sourceOf(d)?.file : undefined;
  }

  private sourceOf(d: Directive): Source | undefined {
    let top = d;
    while (top.parent) top = top.parent;
    this.ownRoot ??= new Set(this.self.model.root);
    return this.foreign.get(top) ?? (this.ownRoot.has(top) ? this.self : undefined);
  }

  /** Whether a directive is written in the linted file. */
  isOwn(d: Directive): boolean {
    let top = d;
    while (top.parent) top = top.parent;
    return !this.foreign.has(top);
  }

  /** The directive's text, wherever it is written. */
  textOf(d: Directive): string {
    const s = this.sourceOf(d);
    return (s?.model.text ?? this.ctx.text).slice(d.start, d.end);
  }

  /** Where a directive is written: absolute file and range. */
  placeOf(d: Directive, start = d.start, end = d.end): { file: string; range: Range } {
    const s = this.sourceOf(d);
    if (s?.doc) return { file: s.file, range: s.doc.lines.range(start, end) };
    return { file: this.ctx.file, range: this.ctx.range(start, end) };
  }

  /** The includer's levels around the linted file, followed up to the outermost known file. */
  outer(): OuterChain {
    return (this.outerCache ??= this.outerOf(this.self, [this.self.file]));
  }

  private outerOf(s: Source, seen: string[]): OuterChain {
    const referrers = this.project.referrers(s.file).map(normalizePath).filter((r) => !seen.includes(r));
    // Nested deeper than we follow: what is around it is not known.
    if (referrers.length && seen.length >= MAX_DEPTH) return { levels: [], owners: [], topCtx: UNKNOWN_CTX, top: s };
    for (const r of referrers) {
      const includer = this.source(r);
      if (!includer) continue;
      const include = named(includer.model, 'include').find((d) => this.filesOf(d, r).includes(s.file));
      if (!include) continue;
      for (const top of includer.model.root) if (includer !== this.self) this.foreign.set(top, includer);
      const levels: Directive[][] = [];
      const owners: Directive[] = [];
      for (let p = include.parent; p; p = p.parent) {
        levels.push(this.level(p.block?.children ?? [], r));
        owners.push(p);
      }
      levels.push(this.level(includer.model.root, r));
      const up = this.outerOf(includer, [...seen, r]);
      // The includer's top level and the level it is included at in turn are one nginx level.
      if (up.levels.length) levels.pop();
      return { levels: [...levels, ...up.levels], owners: [...owners, ...up.owners], topCtx: up.topCtx, top: up.top };
    }
    return { levels: [], owners: [], topCtx: s.model.rootCtx, top: s };
  }

  /** Every file the outermost known file reaches through includes, and whether all of them are known. */
  tree(): IncludeTree {
    if (this.treeCache) return this.treeCache;
    const { top, topCtx } = this.outer();
    const sources: Source[] = [];
    const seen = new Set<string>();
    let complete = topCtx === Ctx.main;
    const walk = (s: Source, depth: number) => {
      if (seen.has(s.file)) return;
      seen.add(s.file);
      sources.push(s);
      for (const inc of named(s.model, 'include')) {
        const files = this.filesOf(inc, s.file);
        if (!files.length || depth >= MAX_DEPTH) {
          if (!isHarmlessInclude(inc)) complete = false;
          continue;
        }
        for (const f of files) {
          const next = this.source(f);
          if (next) walk(next, depth + 1);
          else if (!isHarmlessInclude(inc)) complete = false;
        }
      }
    };
    walk(top, 0);
    return (this.treeCache = { sources, complete });
  }

  /** The http `upstream` blocks of the whole include tree, by name. */
  upstreams(): Map<string, Directive> {
    if (this.upstreamCache) return this.upstreamCache;
    const out = new Map<string, Directive>();
    for (const s of this.tree().sources) {
      for (const d of named(s.model, 'upstream')) {
        if (!d.block || !d.args[0] || out.has(d.args[0].value)) continue;
        if (d.ctx === Ctx.http) {
          out.set(d.args[0].value, d);
          if (s !== this.self) this.foreign.set(topOf(d), s);
        }
      }
    }
    return (this.upstreamCache = out);
  }
}

function topOf(d: Directive): Directive {
  let top = d;
  while (top.parent) top = top.parent;
  return top;
}

const resolutions = new WeakMap<RuleContext, Resolution>();

/**
 * The include resolution for this lint of `model` (one per RuleContext, so every rule of one run
 * shares it and a later run sees the workspace as it is then); undefined without a project.
 */
export function resolution(model: NginxModel, ctx: RuleContext | undefined): Resolution | undefined {
  if (!ctx?.project) return undefined;
  let r = resolutions.get(ctx);
  if (!r) resolutions.set(ctx, (r = new Resolution(model, ctx, ctx.project)));
  return r;
}
