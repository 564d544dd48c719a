import { isInside, normalizePath } from './paths';
import type { ProjectView, WorkspaceView } from './types';

/**
 * The project's edge, enforced in one place for every rule: what `ctx.workspace` and
 * `ctx.project` return for a path outside the roots is undefined (nothing), whatever the adapter
 * would read. The adapters' reader (io/read.ts) also follows symlinks to their real path; this is
 * the check that holds for every adapter, the in-memory one included.
 */

const boundedViews = new WeakMap<object, Map<string, unknown>>();

/** One wrapper per (view, roots), so memos keyed by the project (an include tree) still hit. */
function memo<T extends object>(view: T, roots: readonly string[], make: () => T): T {
  let byRoots = boundedViews.get(view);
  if (!byRoots) boundedViews.set(view, (byRoots = new Map()));
  const key = roots.join('\0');
  let w = byRoots.get(key) as T | undefined;
  if (!w) byRoots.set(key, (w = make()));
  return w;
}

export function boundedWorkspace(view: WorkspaceView, roots: readonly string[] | undefined): WorkspaceView {
  if (!roots) return view;
  return memo(view, roots, () => ({ read: (p: string) => (isInside(roots, p) ? view.read(p) : undefined) }));
}

export function boundedProject(view: ProjectView, roots: readonly string[] | undefined): ProjectView {
  if (!roots) return view;
  return memo(view, roots, () => ({
    document: (p, format) => (isInside(roots, p) ? view.document(p, format) : undefined),
    glob: (pattern) => (couldMatchInside(roots, pattern) ? view.glob(pattern).filter((f) => isInside(roots, f)) : []),
    referrers: (p) => view.referrers(p).filter((f) => isInside(roots, f)),
  }));
}

/** The folder part of a pattern before its first wildcard segment. */
function literalPrefix(pattern: string): string {
  const segs = normalizePath(pattern).split('/');
  const i = segs.findIndex((s) => /[*?[]/.test(s));
  return i < 0 ? segs.join('/') : segs.slice(0, i).join('/') || '/';
}

/**
 * Whether a pattern stays inside: its literal folder part must be (`include /*` and deeper globs from the machine root do not, even if it
 * could match a file of the project: it would walk the machine to find out).
 */
export function couldMatchInside(roots: readonly string[], pattern: string): boolean {
  return isInside(roots, literalPrefix(pattern));
}

/** Whether a pattern names only places outside the project: nothing it matches can be read. */
export function leavesProject(roots: readonly string[] | undefined, pattern: string): boolean {
  return !!roots && !couldMatchInside(roots, pattern);
}

/**
 * Where an absolute reference is looked up in the project. A path inside the roots: as written.
 * A machine path (`/etc/nginx/snippets/ssl.conf`): the first of `candidates` (the same file kept
 * in the project: under the config's own folder, or under `<root>/etc/nginx/…`) that `exists`
 * says is there; none: undefined (outside the project, not read). No roots known: as written.
 */
export function locateInProject(
  roots: readonly string[] | undefined,
  pattern: string,
  mappings: readonly { prefix: string; onto: string }[],
  exists: (pattern: string) => boolean,
): string | undefined {
  if (!roots || !leavesProject(roots, pattern)) return pattern;
  const p = normalizePath(pattern);
  const candidates: string[] = [];
  for (const m of mappings) {
    const prefix = m.prefix.endsWith('/') ? m.prefix : m.prefix + '/';
    if (p.startsWith(prefix)) candidates.push(normalizePath(`${m.onto}/${p.slice(prefix.length)}`));
  }
  for (const r of roots) candidates.push(normalizePath(`${r}/${p}`));
  return candidates.find((c) => isInside(roots, c) && exists(c));
}

/** A path in a message: one line, no backticks, cut short (written in the linted file, but may be long). */
export function shownPath(p: string): string {
  const one = p.replace(/[\u0000-\u001f\u007f`]/g, '?');
  return one.length > 80 ? `${one.slice(0, 77)}…` : one;
}
