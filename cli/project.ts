import { readdirSync, readFileSync, statSync } from 'node:fs';
import { MAX_DISCOVERED_BYTES, type ProjectFileSystem } from '../rules';

/** The project's view of the disk for one CLI run: what includes and imports read. */
export const diskFileSystem: ProjectFileSystem = {
  stamp(file) {
    try {
      const s = statSync(file);
      return s.isDirectory() ? 'dir' : `${s.mtimeMs}:${s.size}`;
    } catch {
      return undefined;
    }
  },
  read(file) {
    try {
      return statSync(file).size <= MAX_DISCOVERED_BYTES ? readFileSync(file, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  },
  list(dir) {
    try {
      return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() }));
    } catch {
      return undefined;
    }
  },
};
