import { listDir, MAX_READ_BYTES, readTextOrUndefined, stampOf } from '../io/read';
import { MAX_DISCOVERED_BYTES, type ProjectFileSystem, type WorkspaceView } from '../rules';

/**
 * The project's view of the disk for one CLI run: what includes and imports read, through the one
 * safe reader (regular files only, capped, never past the roots; a symlink out is not followed).
 */
export function diskFileSystemFor(roots?: readonly string[]): ProjectFileSystem {
  return {
    stamp: (file) => stampOf(file, roots),
    read: (file) => readTextOrUndefined(file, { roots, maxBytes: MAX_DISCOVERED_BYTES }),
    list: (dir) => listDir(dir, roots),
  };
}

/** The rules' read-only view of other files (`.env`, `.gitignore`): the disk, read afresh each time, inside the roots. */
export function diskWorkspaceFor(roots?: readonly string[]): WorkspaceView {
  return { read: (file) => readTextOrUndefined(file, { roots, maxBytes: MAX_READ_BYTES }) };
}
