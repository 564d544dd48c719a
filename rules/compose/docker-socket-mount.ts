import type { Report, Rule } from '../core/types';
import type { ComposeModel } from './model';
import { normalizeHostPath, serviceMounts } from './volumes';

const SOCKETS = new Set(['/var/run/docker.sock', '/run/docker.sock']);

export const rule: Rule<ComposeModel> = {
  id: 'compose/docker-socket-mount',
  format: 'compose',
  severity: 'warning',
  summary: 'The Docker socket is mounted into a container',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const service of model.services) {
      for (const mount of serviceMounts(service.node)) {
        if (!SOCKETS.has(normalizeHostPath(mount.source))) continue;
        // A read-only bind only stops unlinking the socket file; the API behind it still takes every call.
        const ro = mount.readOnly ? ' Mounting it read-only does not help: the socket is an API, not a file.' : '';
        reports.push({
          range: ctx.range(mount.span[0], mount.span[1]),
          message: `"${service.name}" mounts the Docker socket: whoever controls this container can start a privileged container with the host's / mounted, which is root on the host.${ro}`,
        });
      }
    }
    return reports;
  },
};
