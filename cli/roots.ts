import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The project's edge for one CLI run: nothing outside is read (includes, imports, `env_file`,
 * `.env`, `.gitignore`) and no fix writes outside. For each path given: the git repository it is
 * in (the nearest folder above with a `.git`), else the path itself (a folder, or a file's
 * folder). No paths: the working folder, or its repository.
 */
export function cliRoots(paths: readonly string[], cwd: string): string[] {
  const roots = new Set<string>();
  for (const p of paths.length ? paths : ['.']) {
    const abs = resolve(cwd, p);
    let base = abs;
    try {
      if (!statSync(abs).isDirectory()) base = dirname(abs);
    } catch {
      base = dirname(abs);
    }
    roots.add(gitRoot(base) ?? base);
  }
  // A root inside another adds nothing.
  const all = [...roots].sort((a, b) => a.length - b.length);
  return all.filter((r, i) => !all.slice(0, i).some((o) => o === '/' || r.startsWith(o + '/')));
}

/** The nearest folder at or above `dir` holding `.git` (a folder, or a worktree's file). */
export function gitRoot(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(resolve(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}
