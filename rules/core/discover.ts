import { detectByPath } from './detect';

/**
 * Which files of a folder tree are worth reading, decided from names alone: the part of file
 * discovery that the CLI's directory walk and the server's workspace scan share. The walking and
 * reading stay in those adapters; the format is decided afterwards by `detectFormat`.
 */

/** Folders never descended into. */
export const SKIP_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn']);

/** Files larger than this are never read by a folder walk. */
export const MAX_DISCOVERED_BYTES = 4 * 1024 * 1024;

/** Names whose content may decide the format; other files the path does not claim are never read. */
const SNIFFED = /(\.ya?ml|\.conf|\.template|\.tmpl|^[^.]+)$/i;

/**
 * `path` when the name alone makes it ours, `content` when it must be read to decide, undefined
 * when it is never one of our formats.
 */
export function candidateByName(file: string): 'path' | 'content' | undefined {
  if (detectByPath(file)) return 'path';
  const base = file.split(/[\\/]/).pop() ?? '';
  return SNIFFED.test(base) ? 'content' : undefined;
}

/** A NUL byte in the first 4 KB: a binary file, whatever its name (UTF-16 text, marked so, is not). */
export function looksBinary(head: Uint8Array): boolean {
  // UTF-16 text is full of NUL bytes, and says so by its byte-order mark.
  const utf16 = head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
  return !utf16 && head.subarray(0, 4096).includes(0);
}

/**
 * Glob patterns (LSP/VS Code syntax) covering every file `candidateByName` accepts, except
 * extension-less names outside nginx's folders (no glob can say "no dot in the name").
 */
export const CANDIDATE_GLOBS: readonly string[] = [
  '**/*.{yml,yaml,conf,template,tmpl}',
  '**/{Caddyfile,Caddyfile.*,*.caddyfile,*.Caddyfile}',
  '**/*.{service,socket,timer,mount,automount,path,swap,target,slice,scope,device}',
  '**/{nginx,conf.d,sites-available,sites-enabled,snippets,http.d,stream.d}/**',
];
