import * as path from 'node:path';
import { listDir, MAX_READ_BYTES, readTextOrUndefined, stampOf } from '../io/read';
import { isInside, type ProjectFileSystem, type WorkspaceView } from '../rules';

/**
 * What rules may read of other files (`.env`, `.gitignore`, an included nginx snippet, an imported
 * Caddyfile): an open editor's text when the file is open (what the user sees, saved or not), else
 * the file on disk. Not cached here: a read is cheap and the disk can change behind an editor
 * without file watching; the project caches parses by `stamp`.
 */
export class WorkspaceFiles implements WorkspaceView, ProjectFileSystem {
  /** Bumped whenever what `read` returns may have changed, so findings cached before are recomputed. */
  generation = 0;
  /**
   * The project's edge: the workspace folders. Nothing outside is read from disk or from an
   * editor for another file's rules (the one safe reader, io/read.ts); undefined: no folder open.
   */
  roots: string[] | undefined;
  private readonly open = new Map<string, { getText(): string; version?: number }>();
  private opened = 0;
  private readonly openedAt = new Map<string, number>();

  setRoots(roots: readonly string[] | undefined): void {
    this.roots = roots && roots.length ? roots.map((r) => path.resolve(r)) : undefined;
    this.generation++;
  }

  setOpen(file: string, doc: { getText(): string; version?: number } | undefined): void {
    // An editor opened again on other unsaved text must not look like the same version.
    if (doc) this.openedAt.set(path.resolve(file), ++this.opened);
    else this.openedAt.delete(path.resolve(file));
    if (doc) this.open.set(path.resolve(file), doc);
    else this.open.delete(path.resolve(file));
    this.generation++;
  }

  isOpen(file: string): boolean {
    return this.open.has(path.resolve(file));
  }

  /** The open editors' texts, for a lint worker (which has no editor of its own). */
  openTexts(): [file: string, text: string][] {
    return [...this.open].map(([file, doc]) => [file, doc.getText()] as [string, string]).filter(([, text]) => text.length <= MAX_READ_BYTES);
  }

  changed(): void {
    this.generation++;
  }

  stamp(absPath: string): string | undefined {
    const file = path.resolve(absPath);
    if (!isInside(this.roots, file)) return undefined;
    const doc = this.open.get(file);
    if (doc) return `open:${this.openedAt.get(file)}:${doc.version ?? doc.getText().length}`;
    return stampOf(file, this.roots);
  }

  list(absDir: string): { name: string; dir: boolean }[] | undefined {
    return listDir(absDir, this.roots);
  }

  read(absPath: string): string | undefined {
    const file = path.resolve(absPath);
    if (!isInside(this.roots, file)) return undefined;
    const doc = this.open.get(file);
    if (doc) return doc.getText();
    return readTextOrUndefined(file, { roots: this.roots, maxBytes: MAX_READ_BYTES });
  }
}

/**
 * The roots a workspace view enforces, as lint options (the engine then bounds every rule's
 * reads). With no workspace folder open, a file on disk is its own folder's project: an
 * `import ../.npmrc` in a lone Caddyfile is outside too.
 */
export function rootsOf(view: unknown, file?: string): { roots?: readonly string[] } {
  if (!(view instanceof WorkspaceFiles)) return {};
  if (view.roots) return { roots: view.roots };
  return file && path.isAbsolute(file) ? { roots: [path.dirname(file)] } : {};
}

/** Files other documents' findings depend on: a change to one re-lints every open document. */
export function isSharedInput(file: string): boolean {
  const base = path.basename(file);
  return base === '.gitignore' || base === '.env' || base.startsWith('.env.') || base.endsWith('.env');
}

export const SHARED_INPUT_GLOBS = ['**/.gitignore', '**/.env', '**/.env.*', '**/*.env'];
