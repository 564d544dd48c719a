import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectFormat } from '../rules/core/detect';
import { looksBinary } from '../rules/core/discover';
import { decodeText, type TextEncoding } from './text';

/**
 * The one way the CLI and the server read a file they did not open in an editor (includes,
 * imports, `env_file`, `.env`, `.gitignore`, Dockerfiles, discovered config files). A repository
 * is untrusted input: a FIFO, `/dev/zero`, `/dev/stdin` or a symlink to `~/.npmrc` must neither
 * hang the reader nor leak into a message. So: open non-blocking, `fstat` the descriptor (what is
 * read is what was checked), regular files only, a size cap, and the real path must stay inside
 * the project's roots.
 */

/** Other files (`.env`, `.gitignore`, an included snippet) are read up to this size. */
export const MAX_READ_BYTES = 1_000_000;

export type ReadFailure = 'missing' | 'outside' | 'not-regular' | 'too-large' | 'unreadable';

export type SafeRead = { ok: true; bytes: Buffer; size: number } | { ok: false; reason: ReadFailure; size?: number };

export type SafeText = { ok: true; text: string; encoding: TextEncoding } | { ok: false; reason: ReadFailure; size?: number };

export interface ReadOptions {
  /** The project's edge; absent: no edge (the caller named the file itself). */
  roots?: readonly string[];
  /** Default MAX_READ_BYTES. */
  maxBytes?: number;
  /** Read only the first this many bytes, whatever the size (sniffing a file too large to read whole). */
  headOnly?: number;
}

// O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer;
// O_NOCTTY: a terminal device never becomes our controlling terminal.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

const realRoots = new Map<string, string>();

/** A root's real path (cached: roots do not move during a run); the root itself when it does not exist. */
function realRoot(root: string): string {
  let real = realRoots.get(root);
  if (real === undefined) {
    try {
      real = fs.realpathSync.native(root);
    } catch {
      real = path.resolve(root);
    }
    if (realRoots.size > 64) realRoots.clear();
    realRoots.set(root, real);
  }
  return real;
}

function within(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Whether `p` (absolute) is inside the roots, by its name and, for what exists, by its real path (symlinks followed). */
export function insideRoots(roots: readonly string[] | undefined, p: string): boolean {
  if (!roots) return true;
  const abs = path.resolve(p);
  let real: string;
  try {
    real = fs.realpathSync.native(abs);
  } catch {
    // Missing: nothing to read; its name is inside.
    return roots.some((r) => within(path.resolve(r), abs));
  }
  return insideByRealPath(roots, abs, real);
}

/** `insideRoots` once the real path is known (one `realpath` per read). */
function insideByRealPath(roots: readonly string[], abs: string, real: string): boolean {
  if (!roots.some((r) => within(path.resolve(r), abs))) return false;
  return roots.some((r) => within(realRoot(r), real) || within(path.resolve(r), real));
}

/** The bytes of a regular file inside the roots, at most `maxBytes` of them; never blocks on a device or FIFO. */
export function readBytes(file: string, opts: ReadOptions = {}): SafeRead {
  const abs = path.resolve(file);
  const max = opts.maxBytes ?? MAX_READ_BYTES;
  let real: string;
  try {
    real = fs.realpathSync.native(abs);
  } catch (e) {
    return { ok: false, reason: (e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'missing' : 'unreadable' };
  }
  if (opts.roots && !insideByRealPath(opts.roots, abs, real)) return { ok: false, reason: 'outside' };
  let fd: number;
  try {
    fd = fs.openSync(real, OPEN_FLAGS);
  } catch (e) {
    return { ok: false, reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable' };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: 'not-regular' };
    if (opts.headOnly !== undefined) {
      const buf = Buffer.alloc(Math.min(opts.headOnly, st.size));
      const n = buf.length ? fs.readSync(fd, buf, 0, buf.length, 0) : 0;
      return { ok: true, bytes: buf.subarray(0, n), size: st.size };
    }
    if (st.size > max) return { ok: false, reason: 'too-large', size: st.size };
    // Read to EOF but never past the cap: the file may grow while we read it.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(64 * 1024, max + 1 - total));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > max) return { ok: false, reason: 'too-large', size: total };
    }
    return { ok: true, bytes: Buffer.concat(chunks, total), size: total };
  } catch {
    return { ok: false, reason: 'unreadable' };
  } finally {
    fs.closeSync(fd);
  }
}

/** As `readBytes`, decoded as the editors decode (byte-order mark dropped, UTF-16 by its mark). */
export function readText(file: string, opts: ReadOptions = {}): SafeText {
  const r = readBytes(file, opts);
  if (!r.ok) return r;
  const { text, encoding } = decodeText(r.bytes);
  return { ok: true, text, encoding };
}

/** The text, or undefined for anything that cannot or must not be read. */
export function readTextOrUndefined(file: string, opts: ReadOptions = {}): string | undefined {
  const r = readText(file, opts);
  return r.ok ? r.text : undefined;
}

/** A folder's entries, undefined when it is none or lies outside the roots (a symlink out is not followed). */
export function listDir(dir: string, roots?: readonly string[]): { name: string; dir: boolean }[] | undefined {
  if (roots && !insideRoots(roots, dir)) return undefined;
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() }));
  } catch {
    return undefined;
  }
}

/**
 * Changes whenever a file's content may have: `dir` for a folder, mtime and size for a regular
 * file; undefined when missing, outside the roots, or neither (a FIFO or device is never read).
 */
export function stampOf(file: string, roots?: readonly string[]): string | undefined {
  if (roots && !insideRoots(roots, file)) return undefined;
  try {
    const s = fs.statSync(file);
    if (s.isDirectory()) return 'dir';
    return s.isFile() ? `${s.mtimeMs}:${s.size}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the head of a file too large to read whole says it is one of our config files (a 5 MB
 * data `.yml` is not): the CLI and the server's scan decide alike.
 */
export function headSaysConfig(file: string, opts: Pick<ReadOptions, 'roots'> = {}): boolean {
  const r = readBytes(file, { ...opts, maxBytes: Number.MAX_SAFE_INTEGER, headOnly: 4096 });
  return r.ok && !looksBinary(r.bytes) && detectFormat(file, decodeText(r.bytes).text) !== undefined;
}
