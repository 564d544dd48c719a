import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { candidateByName, detectFormat, GlobSet, looksBinary, MAX_DISCOVERED_BYTES, SKIP_DIRS, type Format } from '../rules';

/** A file to lint, with its detected format. */
export interface Target {
  path: string;
  format: Format;
  text: string;
}


export interface CollectResult {
  targets: Target[];
  /** Files named on the command line whose format could not be told. */
  unknown: string[];
  missing: string[];
}

export function collectTargets(paths: string[], opts: { kind?: Format; exclude: string[]; cwd: string }): CollectResult {
  const exclude = new GlobSet(opts.exclude);
  const out: CollectResult = { targets: [], unknown: [], missing: [] };
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
    let size: number;
    try {
      size = statSync(abs).size;
    } catch {
      out.missing.push(file);
      return;
    }
    // One read: the head tells binary files apart, the rest is the text.
    const bytes = size > MAX_DISCOVERED_BYTES ? undefined : readFileSync(abs);
    if (!bytes || (!named && !byPath && looksBinary(bytes.subarray(0, 4096)))) {
      if (named) out.unknown.push(file);
      return;
    }
    const text = bytes.toString('utf8');
    const format = named && opts.kind ? opts.kind : detectFormat(abs, text);
    if (format) out.targets.push({ path: abs, format, text });
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
    let st;
    try {
      st = statSync(abs);
    } catch {
      out.missing.push(p);
      continue;
    }
    if (st.isDirectory()) walk(abs);
    else consider(p, true);
  }
  return out;
}
