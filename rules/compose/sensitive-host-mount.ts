import type { Report, Rule } from '../core/types';
import type { ComposeModel } from './model';
import { normalizeHostPath, serviceMounts } from './volumes';

/** Whole trees that hold the host's configuration, credentials or every user's files; subpaths are not flagged. */
const SENSITIVE = new Set(['/', '/etc', '/root', '/home', '~', '$HOME', '${HOME}']);

export const rule: Rule<ComposeModel> = {
  id: 'compose/sensitive-host-mount',
  format: 'compose',
  severity: 'warning',
  summary: "A host directory holding the system's configuration or users' files is mounted whole",
  check(model, ctx) {
    const reports: Report[] = [];
    for (const service of model.services) {
      for (const mount of serviceMounts(service.node)) {
        if (!mount.bind) continue;
        const source = normalizeHostPath(mount.source);
        if (!SENSITIVE.has(source)) continue;
        const access = mount.readOnly ? 'read' : 'read and change';
        reports.push({
          range: ctx.range(mount.span[0], mount.span[1]),
          message: `"${service.name}" mounts the host's ${source} at ${mount.target || 'a container path'}: whoever controls the container can ${access} the host's configuration, keys and users' files. Mount only the subdirectory it needs.`,
        });
      }
    }
    return reports;
  },
};
