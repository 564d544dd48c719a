import { detectFormat } from './detect';
import { byPlace, documentFacts, lintAsyncFindings, parseDocument, runDeploymentRules, runRules, type DocumentFacts, type LintOptions, type ParsedDocument } from './engine';
import { bracketClass } from './glob';
import { compileTree } from './nfa';
import type { RegexNode } from './regex';
import { folderOf, normalizePath } from './paths';
import type { Finding, Format, ProjectView } from './types';
import { append } from './arrays';

/**
 * The workspace as the rules see it across files: the other documents, parsed once per version
 * (nginx `include`, Caddy `import`), the files that match a pattern, who references whom, and
 * every file's deployment facts. Pure logic over a file system the adapter passes in (the server:
 * open editors over the disk; the CLI: the disk), so `rules/` does no I/O of its own.
 *
 * Memory stays bounded: parsed documents live in a small LRU; the index keeps, per file, only its
 * references (patterns) and its facts.
 */

export interface ProjectFileSystem {
  /** Changes whenever the file's content may have (the disk's mtime and size, an editor's version); undefined when missing. */
  stamp(absPath: string): string | undefined;
  /** The file's text, or undefined when missing, unreadable or too large. */
  read(absPath: string): string | undefined;
  /** The entries of a folder, or undefined when it is none. */
  list(absDir: string): { name: string; dir: boolean }[] | undefined;
}

interface Cached {
  stamp: string;
  doc: ParsedDocument | undefined;
}

/** How many other documents stay parsed (included snippets are small and few). */
const MAX_CACHED_DOCUMENTS = 256;
/** A pattern matching more files than this is cut short (a `*` at the file system's root). */
const MAX_GLOB_RESULTS = 1000;

export class Project implements ProjectView {
  private readonly cache = new Map<string, Cached>();
  private readonly index = new Map<string, DocumentFacts>();
  /** The files that reference others (few: nginx configs with `include`, Caddyfiles with `import`). */
  private readonly linking = new Map<string, readonly string[]>();
  private readonly patterns = new Map<string, (file: string) => boolean>();
  /** Bumped whenever the index changes: what the deployment rules read. */
  generation = 0;

  constructor(private readonly fs: ProjectFileSystem, private readonly options: Pick<LintOptions, 'onRuleError'> = {}) {}

  document(absPath: string, format: Format): ParsedDocument | undefined {
    const file = normalizePath(absPath);
    const stamp = this.fs.stamp(file);
    if (stamp === undefined) return undefined;
    const key = `${format}\0${file}`;
    const hit = this.cache.get(key);
    if (hit && hit.stamp === stamp) {
      // Most recently used last.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit.doc;
    }
    const text = this.fs.read(file);
    const doc = text === undefined ? undefined : parseDocument(file, text, format, (error) => this.options.onRuleError?.({ rule: `${format}/parser`, error }));
    this.cache.set(key, { stamp, doc });
    while (this.cache.size > MAX_CACHED_DOCUMENTS) this.cache.delete(this.cache.keys().next().value!);
    return doc;
  }

  /** Puts a document parsed elsewhere (the server's open editor, the CLI's run) in the cache under its stamp. */
  remember(doc: ParsedDocument, stamp: string): void {
    this.cache.set(`${doc.format}\0${normalizePath(doc.file)}`, { stamp, doc });
    while (this.cache.size > MAX_CACHED_DOCUMENTS) this.cache.delete(this.cache.keys().next().value!);
  }

  glob(absPattern: string): string[] {
    const pattern = normalizePath(absPattern);
    if (!/[*?[]/.test(pattern)) return this.fs.stamp(pattern) !== undefined ? [pattern] : [];
    const segments = pattern.split('/');
    let current = [segments[0] === '' ? '/' : segments[0]];
    for (let i = 1; i < segments.length && current.length; i++) {
      const seg = segments[i];
      if (seg === '') continue;
      const last = i === segments.length - 1;
      const next: string[] = [];
      if (!/[*?[]/.test(seg)) {
        for (const dir of current) next.push(join(dir, seg));
      } else {
        const matches = segmentMatcher(seg);
        for (const dir of current) {
          for (const e of this.fs.list(dir) ?? []) {
            if ((last || e.dir) && matches(e.name)) next.push(join(dir, e.name));
            if (next.length > MAX_GLOB_RESULTS) break;
          }
        }
      }
      current = next;
    }
    return current.filter((f) => this.fs.stamp(f) !== undefined && !this.fs.list(f)).sort();
  }

  referrers(absPath: string): string[] {
    const file = normalizePath(absPath);
    const out: string[] = [];
    for (const [from, references] of this.linking) if (from !== file && references.some((p) => this.matches(p, file))) out.push(from);
    return out.sort();
  }

  /** Every pattern some file references, sorted: what an editor must watch besides the config files. */
  referencePatterns(): string[] {
    return [...new Set([...this.linking.values()].flat())].sort();
  }

  /** Every file whose findings may change when `absPath` does: what includes it (transitively) and what it includes. */
  dependents(absPath: string): string[] {
    const file = normalizePath(absPath);
    const out = new Set<string>();
    const up = [file];
    while (up.length) for (const r of this.referrers(up.pop()!)) if (!out.has(r) && r !== file && out.add(r)) up.push(r);
    const down = [file];
    const seen = new Set([file]);
    while (down.length) {
      for (const pattern of this.linking.get(down.pop()!) ?? [])
        for (const [other] of this.index)
          if (!seen.has(other) && this.matches(pattern, other)) {
            seen.add(other);
            out.add(other);
            down.push(other);
          }
    }
    out.delete(file);
    return [...out].sort();
  }

  /** Records what a file says (after its lint); returns whether its references or facts changed. */
  update(doc: ParsedDocument, options: LintOptions = {}): boolean {
    return this.record(documentFacts(doc, { ...options, project: this }));
  }

  /** Records facts computed elsewhere (the server's lint worker); returns whether they changed. */
  record(facts: DocumentFacts): boolean {
    const file = normalizePath(facts.facts.file);
    const before = this.index.get(file);
    this.index.set(file, facts);
    if (facts.references.length) this.linking.set(file, facts.references);
    else this.linking.delete(file);
    const changed = !before || JSON.stringify(before.facts) !== JSON.stringify(facts.facts) || before.references.join('\n') !== facts.references.join('\n');
    if (changed) this.generation++;
    return changed;
  }

  /** A file gone from the workspace (deleted, excluded, no longer a config file). */
  remove(absPath: string): boolean {
    const file = normalizePath(absPath);
    for (const key of [...this.cache.keys()]) if (key.endsWith(`\0${file}`)) this.cache.delete(key);
    this.linking.delete(file);
    if (!this.index.delete(file)) return false;
    this.generation++;
    return true;
  }

  /** Forgets the parse of a file (its stamp may not change, e.g. an editor closed on unsaved text). */
  invalidate(absPath: string): void {
    const file = normalizePath(absPath);
    for (const key of [...this.cache.keys()]) if (key.endsWith(`\0${file}`)) this.cache.delete(key);
  }

  has(absPath: string): boolean {
    return this.index.has(normalizePath(absPath));
  }

  /** Every file's facts, for the deployment rules and the exposure overview. */
  all(): DocumentFacts[] {
    return [...this.index.values()];
  }

  private matches(pattern: string, file: string): boolean {
    let test = this.patterns.get(pattern);
    if (!test) {
      // Segment by segment: no wildcard crosses a `/`, so the counts must agree.
      const segments = pattern.split('/').map((s) => (/[*?[]/.test(s) ? segmentMatcher(s) : (name: string) => name === s));
      test = (f) => {
        const names = f.split('/');
        return names.length === segments.length && segments.every((m, i) => m(names[i]));
      };
      this.patterns.set(pattern, test);
    }
    return test(file);
  }
}

function join(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/**
 * One path segment of a glob(3) pattern: `*`, `?`, `[…]` (`[!…]` negated), `\` escapes; run by
 * the linear matcher (nfa.ts), never as a RegExp built from the pattern.
 */
function segmentMatcher(seg: string): (name: string) => boolean {
  const items: RegexNode[] = [{ kind: 'start' }];
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') items.push({ kind: 'repeat', item: NOT_SLASH, min: 0, max: Infinity });
    else if (c === '?') items.push(NOT_SLASH);
    else if (c === '\\' && i + 1 < seg.length) items.push({ kind: 'char', c: seg[++i] });
    else if (c === '[') {
      // glob(3): a `]` right after `[` belongs to the class.
      const cls = bracketClass(seg, i, 2);
      items.push(cls.node);
      i = cls.end;
    } else items.push({ kind: 'char', c });
  }
  items.push({ kind: 'end' });
  const m = compileTree({ kind: 'seq', items }, { dollarEndOnly: true });
  // As glob(3): a wildcard does not match a leading dot.
  const dotOk = seg.startsWith('.');
  return (name) => !!m && (dotOk || !name.startsWith('.')) && m.test(name);
}

const NOT_SLASH: RegexNode = { kind: 'set', set: { has: (ch) => ch !== '/', source: '[^/]' } };

export interface ProjectFile {
  file: string;
  text: string;
  /** The format when the caller knows it (`--kind`); else detected. */
  format?: Format;
}

export interface ProjectLint {
  /** The findings of every file, the deployment rules' included, by file then place. */
  findings: Finding[];
  /** Which files were recognised, and as what. */
  formats: Map<string, Format | undefined>;
}

/**
 * Lints a set of files together (the CLI's run, a test's workspace): each parsed once, every
 * file's facts and references recorded first, so that includes and imports resolve whichever
 * order the files come in, then each file's rules (both passes) and the deployment rules.
 * `stampOf` says under which stamp the project's file system knows each text.
 */
export async function lintProject(project: Project, files: readonly ProjectFile[], options: LintOptions = {}, stampOf: (file: string) => string | undefined = () => undefined): Promise<ProjectLint> {
  const formats = new Map<string, Format | undefined>();
  const docs: ParsedDocument[] = [];
  for (const f of files) {
    const format = f.format ?? detectFormat(f.file, f.text);
    formats.set(f.file, format);
    if (!format) continue;
    const doc = parseDocument(f.file, f.text, format, (error) => options.onRuleError?.({ rule: `${format}/parser`, error }));
    if (!doc) continue;
    const stamp = stampOf(f.file);
    if (stamp !== undefined) project.remember(doc, stamp);
    docs.push(doc);
  }
  const withProject = { ...options, project };
  for (const doc of docs) project.update(doc, withProject);
  const findings: Finding[] = [];
  for (const doc of docs) append(findings, (await lintAsyncFindings(doc, runRules(doc, withProject), withProject)));
  append(findings, runDeploymentRules(project.all(), withProject));
  return { findings: findings.sort(byPlace), formats };
}

/** A file system held in memory: tests' workspaces, and files the CLI was given on standard input. */
export function memoryFileSystem(files: Record<string, string>): ProjectFileSystem {
  const norm = new Map(Object.entries(files).map(([f, t]) => [normalizePath(f), t]));
  const dirs = new Map<string, Map<string, boolean>>();
  for (const f of norm.keys()) {
    let child = f;
    for (let dir = folderOf(child); dir !== child; child = dir, dir = folderOf(dir)) {
      if (!dirs.has(dir)) dirs.set(dir, new Map());
      dirs.get(dir)!.set(child.slice(dir.length).replace(/^\//, ''), child !== f);
      if (dir === '/') break;
    }
  }
  return {
    stamp: (p) => {
      const t = norm.get(normalizePath(p));
      return t === undefined ? (dirs.has(normalizePath(p)) ? 'dir' : undefined) : `m${t.length}:${hash(t)}`;
    },
    read: (p) => norm.get(normalizePath(p)),
    list: (p) => {
      const d = dirs.get(normalizePath(p));
      return d ? [...d].map(([name, dir]) => ({ name, dir })) : undefined;
    },
  };
}


function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}
