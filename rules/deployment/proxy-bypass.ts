import type { DeploymentInput } from '../core/engine';
import type { Report, Rule } from '../core/types';
import { buildDeployment, describeReach, shortPlace } from './model';

/**
 * A route that authenticates leads to a service that also listens where anyone can reach it
 * without the proxy: the authentication guards one door of two. Reported at the other door.
 */
export const rule: Rule<DeploymentInput> = {
  id: 'deployment/proxy-bypass',
  format: 'deployment',
  severity: 'error',
  summary: 'A service behind an authenticating proxy is also reachable directly, around the authentication',
  check(input, ctx) {
    const deployment = buildDeployment(input.files, ctx.services);
    const reports: Report[] = [];
    const reported = new Set<string>();
    for (const proxy of deployment.proxies) {
      for (const route of proxy.routes) {
        if (!route.auth) continue;
        for (const reach of deployment.resolve(route, proxy)) {
          for (const direct of deployment.directPaths(reach)) {
            const at = direct.listener.place;
            const key = `${at.file}\0${JSON.stringify(at.range)}`;
            if (reported.has(key)) continue;
            reported.add(key);
            const port = direct.listener.port ? ` (port ${direct.listener.port})` : '';
            const fix = direct.listener.bindLoopback;
            reports.push({
              file: at.file,
              range: at.range,
              message:
                `${describeReach(reach)} is behind the authentication at ${shortPlace(route.auth)}, but ${shortPlace(at)} ${direct.how}${port}: ` +
                `anyone can reach it directly and walk around the proxy's authentication.`,
              related: [
                { file: route.place.file, range: route.place.range, message: `the proxy route to ${describeReach(reach)}` },
                { file: route.auth.file, range: route.auth.range, message: 'the authentication that the direct path skips' },
              ],
              fixes: fix ? [{ ...fix, preferred: true }] : [],
            });
          }
        }
      }
    }
    return reports;
  },
};
