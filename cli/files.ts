import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { headSaysConfig, readBytes } from '../io/read';
import { decodeText, type TextEncoding } from '../io/text';
import { candidateByName, detectFormat, GlobSet, looksBinary, MAX_DISCOVERED_BYTES, SKIP_DIRS, type Format } from '../rules';

/** A file to lint, with its detected format. */
export interface Target {
  path: string;
  format: Format;
  /** The decoded text (no byte-order mark: positions count from the first character). */
  text: string;
  /** How it was stored, so a fix writes it back the same way. */
  encoding?: TextEncoding;
}


export interface CollectResult {
  targets: Target[];
  /** Files named on the command line whose format could not be told. */
  unknown: string[];
  missing: string[];
  /** Config files over the size limit (named, or found and not excluded): reported, never skipped silently. */
  tooLarge: { file: string; size: number }[];
  /** Named paths that are not regular files (a FIFO, a device): not read. */
  notRegular: string[];
}

export function collectTargets(paths: string[], opts: { kind?: Format; exclude: string[]; cwd: string }): CollectResult {
  const exclude = new GlobSet(opts.exclude);
  const out: CollectResult = { targets: [], unknown: [], missing: [], tooLarge: [], notRegular: [] };
  const seen = new Set<string>();
  const consider = (file: string, named: boolean) => {
    const abs = resolve(opts.cwd, file);
    if (seen.has(abs)) return;
    seen.add(abs);
    const rel = relative(opts.cwd, abs);
    if (!named && exclude.matches(rel)) return;
    const candidate = candidateByName(abs);
    const byPath = candidate === 'path';
    if (!named && !candidate) return;
    // One read, through the safe reader: a FIFO or device named `docker-compose.yml` is not waited on.
    const r = readBytes(abs, { maxBytes: MAX_DISCOVERED_BYTES });
    if (!r.ok) {
      if (r.reason === 'missing') out.missing.push(file);
      else if (r.reason === 'too-large') {
        // A found file counts when its name, or its head, says it is one of ours.
        if (named || byPath || headSaysConfig(abs)) out.tooLarge.push({ file, size: r.size ?? 0 });
      } else if (named) out.notRegular.push(file);
      return;
    }
    const bytes = r.bytes;
    if (!named && !byPath && looksBinary(bytes)) return;
    const { text, encoding } = decodeText(bytes);
    const format = named && opts.kind ? opts.kind : detectFormat(abs, text);
    if (format) out.targets.push({ path: abs, format, text, encoding });
    else if (named) out.unknown.push(file);
  };
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || exclude.matches(relative(opts.cwd, p))) continue;
        walk(p);
      } else if (e.isFile()) consider(p, false);
    }
  };
  for (const p of paths) {
    const abs = resolve(opts.cwd, p);
    // A folder is walked; anything else is considered as a named file (and read only if regular).
    const entries = (() => {
      try {
        readdirSync(abs);
        return true;
      } catch {
        return false;
      }
    })();
    if (entries) walk(abs);
    else consider(p, true);
  }
  return out;
}

