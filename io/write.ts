/**
 * The one way `--fix` writes a file: inside the project only, atomically, and never over something
 * it did not read. A repository is untrusted input: it may ship symlinks at the names we write, files
 * that are read-only or owned by someone else, or change under us while a long run lints.
 *
 * How: the target's real path (a symlink followed, the link itself kept) must lie inside the roots;
 * a temporary file is created beside that real path with a random name and `O_CREAT|O_EXCL` (a file
 * or link already at that name makes the open fail, never followed), mode 0600 while it fills,
 * fsynced, given the target's mode (and owner, when running as root), then — only if the target
 * still holds what was read — renamed over it. The temporary file is removed on every exit path.
 *
 * Temporary names: `<target name>.portcullis-<pid>-<random>.tmp`, so they start with the target's
 * name — a `.env*` or `.env.*` line in `.gitignore` hides `.env.portcullis-….tmp` as it hides the
 * other `.env` variants — and carry the writer's pid, so a later run removes those whose writer is
 * gone (a `kill -9` mid-write) without touching a concurrent run's.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isInside } from '../rules/core/paths';

export interface WriteRequest {
  /** The file to write (absolute). */
  file: string;
  bytes: Uint8Array;
  /**
   * Whether the target's current content is what the edits were computed on (undefined: the file
   * does not exist). Checked just before the rename; false: the file is left as it is.
   */
  unchanged: (current: Buffer | undefined) => boolean;
  /** The project's edge; absent: no edge known (everything inside). */
  roots?: readonly string[];
  /** The mode of a file that does not exist yet (env files: 0600). */
  newMode?: number;
}

export type WriteResult = { ok: true; path: string } | { ok: false; reason: string };

/** The temporary files this process has open: removed on exit and on SIGINT/SIGTERM. */
const live = new Set<string>();
let handlersInstalled = false;

function removeLive(): void {
  for (const f of live) {
    try {
      unlinkSync(f);
    } catch {
      // Already gone.
    }
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeLive();
  uninstall();
  // Die of the same signal, as the process would have without our handler.
  process.kill(process.pid, signal);
}

function install(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', removeLive);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function uninstall(): void {
  if (!handlersInstalled) return;
  handlersInstalled = false;
  process.off('exit', removeLive);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

const TEMP_NAME = /\.portcullis-(\d+)-[0-9a-f]{16}\.tmp$/;
/** The names older versions used (`.<name>.portcullis-<pid>.tmp`, predictable): removed too. */
const OLD_TEMP_NAME = /^\..+\.portcullis-(\d+)\.tmp$/;

export function tempNameFor(target: string): string {
  return `${basename(target)}.portcullis-${process.pid}-${randomBytes(8).toString('hex')}.tmp`;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: someone else's live process.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files a writer that is gone left in `dir` (ours by name only; a symlink of
 * that name is removed as a link, never followed). Returns the names removed.
 */
export function removeStaleTemps(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name) ?? OLD_TEMP_NAME.exec(name);
    if (!m || (Number(m[1]) === process.pid ? live.has(join(dir, name)) : alive(Number(m[1])))) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      // Not ours to remove after all (permissions): left.
    }
  }
  return removed;
}

/** Cap on a file `--fix` reads back to edit: the linter never reads more than this either. */
export const MAX_FIX_BYTES = 16 * 1024 * 1024;

export type ReadResult = { bytes: Buffer } | { missing: true } | { error: string };

/**
 * A file's bytes, read without blocking: only a regular file (a FIFO or a device named `.env` is
 * refused, never waited on), at most MAX_FIX_BYTES.
 */
export function readRegularFile(file: string): ReadResult {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { missing: true } : { error: `cannot be read: ${code ?? e}` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { error: 'not a regular file: not read' };
    if (st.size > MAX_FIX_BYTES) return { error: `larger than ${MAX_FIX_BYTES} bytes: not read` };
    const out = Buffer.alloc(st.size);
    let n = 0;
    for (let r; n < out.length && (r = readSync(fd, out, n, out.length - n, n)) > 0; ) n += r;
    return { bytes: out.subarray(0, n) };
  } catch (e) {
    return { error: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? e}` };
  } finally {
    closeSync(fd);
  }
}

/** Undefined only when nothing is there; any other failure (EACCES) is thrown, and the write refused. */
function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** The real roots too: a root reached through a symlink (`/tmp` on some systems) still contains its files' real paths. */
function realRoots(roots: readonly string[] | undefined): readonly string[] | undefined {
  if (!roots) return undefined;
  const out = new Set<string>();
  for (const r of roots) {
    out.add(resolve(r));
    try {
      out.add(realpathSync(r));
    } catch {
      // A root that does not exist contains nothing real.
    }
  }
  return [...out];
}

/**
 * Where a write of `file` really lands: the real path of an existing file (through any symlink of
 * the file or its folders), or for a new file the real path of its nearest existing folder joined
 * with the rest. Undefined for a dangling link (a write would create its target wherever it points).
 */
function realTarget(file: string): { path: string; stat?: Stats; missingDirs: string[] } | { error: string } {
  const st = lstatOrUndefined(file);
  if (st) {
    if (st.isSymbolicLink()) {
      try {
        const path = realpathSync(file);
        return { path, stat: lstatSync(path), missingDirs: [] };
      } catch {
        return { error: 'a symlink whose target does not exist: not written' };
      }
    }
    return { path: join(realpathSync(dirname(file)), basename(file)), stat: st, missingDirs: [] };
  }
  // New file: find the nearest folder that exists.
  const missing: string[] = [];
  let dir = dirname(file);
  for (;;) {
    const d = lstatOrUndefined(dir);
    if (d) {
      if (d.isSymbolicLink() && !safeIsDir(dir)) return { error: `${dir} is a link to something that is not a folder: not written` };
      if (!d.isSymbolicLink() && !d.isDirectory()) return { error: `${dir} is not a folder: not written` };
      break;
    }
    missing.unshift(basename(dir));
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const base = realpathSync(dir);
  const missingDirs = missing.map((_, i) => join(base, ...missing.slice(0, i + 1)));
  return { path: join(base, ...missing, basename(file)), missingDirs };
}

function safeIsDir(p: string): boolean {
  try {
    return lstatSync(realpathSync(p)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes `req.bytes` to `req.file` as described at the top; never throws for a file that cannot or
 * must not be written: the reason comes back.
 */
export function writeFileSafely(req: WriteRequest): WriteResult {
  const roots = realRoots(req.roots);
  if (!isInside(req.roots, resolve(req.file)) && !isInside(roots, resolve(req.file))) return { ok: false, reason: 'outside the project: not written' };
  let target;
  try {
    target = realTarget(resolve(req.file));
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  if ('error' in target) return { ok: false, reason: target.error };
  if (!isInside(roots, target.path)) return { ok: false, reason: `resolves to ${target.path}, outside the project: not written` };
  const { stat } = target;
  if (stat && !stat.isFile()) return { ok: false, reason: 'not a regular file: not written' };
  const myUid = process.getuid?.() ?? -1;
  if (stat) {
    // Read-only stays read-only: the owner's write bit is the user's word, even for root.
    if ((stat.mode & 0o200) === 0) return { ok: false, reason: 'not writable (read-only): not written' };
    if (myUid !== 0 && myUid !== -1 && stat.uid !== myUid) return { ok: false, reason: 'owned by another user: not written (its owner would change)' };
  }

  const dir = dirname(target.path);
  const outsideDir = target.missingDirs.find((d) => !isInside(roots, d));
  if (outsideDir) return { ok: false, reason: `would create ${outsideDir}, outside the project: not written` };
  for (const d of target.missingDirs) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return { ok: false, reason: `cannot create ${d}: ${(e as NodeJS.ErrnoException).code ?? e}` };
    }
  }
  removeStaleTemps(dir);

  const tmp = join(dir, tempNameFor(target.path));
  let fd: number | undefined;
  let renamed = false;
  install();
  try {
    try {
      // O_EXCL: whatever already sits at this name (a shipped symlink) makes the open fail; O_NOFOLLOW for good measure.
      fd = openSync(tmp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0), 0o600);
    } catch (e) {
      return { ok: false, reason: `cannot create a temporary file beside it: ${(e as NodeJS.ErrnoException).code ?? e}` };
    }
    live.add(tmp);
    writeAll(fd, req.bytes);
    fsyncSync(fd);
    if (stat) {
      if (myUid === 0 && (stat.uid !== 0 || stat.gid !== fstatSync(fd).gid)) fchownSync(fd, stat.uid, stat.gid);
      else if (stat.gid !== fstatSync(fd).gid) {
        try {
          fchownSync(fd, myUid, stat.gid);
        } catch {
          return { ok: false, reason: 'its group cannot be kept: not written' };
        }
      }
    }
    fchmodSync(fd, stat ? stat.mode & 0o7777 : (req.newMode ?? 0o644));
    closeSync(fd);
    fd = undefined;
    // Compare just before the rename: a file saved since it was read keeps the user's version.
    const now = readRegularFile(target.path);
    if ('error' in now) return { ok: false, reason: now.error };
    const current = 'bytes' in now ? now.bytes : undefined;
    if (current !== undefined && stat === undefined) return { ok: false, reason: 'created by someone else since it was read: not overwritten' };
    if (!req.unchanged(current)) return { ok: false, reason: 'changed since it was read: not overwritten' };
    renameSync(tmp, target.path);
    renamed = true;
    return { ok: true, path: target.path };
  } catch (e) {
    return { ok: false, reason: `${(e as NodeJS.ErrnoException).code ?? (e as Error).message}: not written` };
  } finally {
    if (fd !== undefined) closeSync(fd);
    if (!renamed) {
      try {
        unlinkSync(tmp);
      } catch {
        // Never created, or already gone.
      }
    }
    live.delete(tmp);
    if (!live.size) uninstall();
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
}
