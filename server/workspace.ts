import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProjectFileSystem, WorkspaceView } from '../rules';

/** Other files are read for the rules only up to this size (a `.env`, a `.gitignore`). */
const MAX_READ_BYTES = 1_000_000;

/**
 * What rules may read of other files (`.env`, `.gitignore`, an included nginx snippet, an imported
 * Caddyfile): an open editor's text when the file is open (what the user sees, saved or not), else
 * the file on disk. Not cached here: a read is cheap and the disk can change behind an editor
 * without file watching; the project caches parses by `stamp`.
 */
export class WorkspaceFiles implements WorkspaceView, ProjectFileSystem {
  /** Bumped whenever what `read` returns may have changed, so findings cached before are recomputed. */
  generation = 0;
  private readonly open = new Map<string, { getText(): string; version?: number }>();
  private opened = 0;
  private readonly openedAt = new Map<string, number>();

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
    const doc = this.open.get(file);
    if (doc) return `open:${this.openedAt.get(file)}:${doc.version ?? doc.getText().length}`;
    try {
      const stat = fs.statSync(file);
      return stat.isDirectory() ? 'dir' : `${stat.mtimeMs}:${stat.size}`;
    } catch {
      return undefined;
    }
  }

  list(absDir: string): { name: string; dir: boolean }[] | undefined {
    try {
      return fs.readdirSync(absDir, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() }));
    } catch {
      return undefined;
    }
  }

  read(absPath: string): string | undefined {
    const file = path.resolve(absPath);
    const doc = this.open.get(file);
    if (doc) return doc.getText();
    try {
      const stat = fs.statSync(file);
      return stat.isFile() && stat.size <= MAX_READ_BYTES ? fs.readFileSync(file, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Files other documents' findings depend on: a change to one re-lints every open document. */
export function isSharedInput(file: string): boolean {
  const base = path.basename(file);
  return base === '.gitignore' || base === '.env' || base.startsWith('.env.') || base.endsWith('.env');
}

export const SHARED_INPUT_GLOBS = ['**/.gitignore', '**/.env', '**/.env.*', '**/*.env'];
