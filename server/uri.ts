import { fileURLToPath, pathToFileURL } from 'node:url';

/** Only files on disk and unsaved editors are linted; chat inputs, diff views, output panes are not. */
export function isLintable(uri: string): boolean {
  return uri.startsWith('file:') || uri.startsWith('untitled:');
}

/** The absolute path of a `file:` URI; undefined for other schemes or a malformed URI. */
export function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/**
 * The path the engine sees for a document: the file's absolute path, or for an unsaved editor the
 * path part of its URI (`untitled:Untitled-1` -> `Untitled-1`; VS Code may give a real path there).
 */
export function documentPath(uri: string): string | undefined {
  if (uri.startsWith('untitled:')) {
    try {
      return decodeURIComponent(uri.slice('untitled:'.length).replace(/^\/\/[^/]*/, '')) || 'Untitled';
    } catch {
      return undefined;
    }
  }
  return filePath(uri);
}

export function fileUri(file: string): string {
  return pathToFileURL(file).href;
}
