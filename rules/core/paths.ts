/**
 * Paths as the rules handle them: `/`-separated and absolute on the workspace's file system. The
 * adapters do the I/O; these only compute (rules may not import `node:path`'s platform rules).
 */

/** `a/./b/../c` → `a/c`, backslashes read as `/`, no trailing or doubled `/` (the root stays `/`). */
export function normalizePath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && (seg !== '' || parts.length === 0)) parts.push(seg);
  }
  return parts.join('/') || '/';
}

/** The folder a file is in (`/` for a file at the root or a bare name). */
export function folderOf(file: string): string {
  const p = file.replace(/\\/g, '/');
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** `rel` read from `dir` (an absolute `rel` as is): how include and import arguments become patterns. */
export function resolveFrom(dir: string, rel: string): string {
  if (rel.startsWith('/')) return rel;
  return dir.endsWith('/') ? dir + rel : `${dir}/${rel}`;
}

/** A path's folder and name, whichever separator it uses (an env file beside a Windows path keeps its `\\`). */
export function splitPath(p: string): { dir: string; base: string } {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i < 0 ? { dir: '', base: p } : { dir: p.slice(0, i) || p.slice(0, 1), base: p.slice(i + 1) };
}

/** A name in a folder, with the folder's own separator. */
export function joinPath(dir: string, name: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith('/') || dir.endsWith('\\') ? dir + name : dir + sep + name;
}

/**
 * Whether a path lies within one of the project's roots (the edge nothing is read or written past).
 * No roots known: everything is inside (a rule test linting one file in memory).
 */
export function isInside(roots: readonly string[] | undefined, p: string): boolean {
  if (!roots) return true;
  const file = normalizePath(p);
  return roots.some((r) => {
    const root = normalizePath(r);
    return root === '/' || file === root || file.startsWith(root + '/');
  });
}
