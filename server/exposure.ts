import { buildExposure, ServiceKnowledge, type Config, type Exposure, type Finding } from '../rules';
import type { Deployment } from './deployment';

/**
 * The overview for the VS Code view: the deployment's entry points, with the worst finding of each
 * from the findings of the files they are written in (open editors' buffers, else the disk).
 */
export async function exposureOf(deployment: Deployment, config: Config, findingsOf: (file: string) => Promise<Finding[]>): Promise<Exposure> {
  await deployment.idle();
  const facts = deployment.project
    .all()
    .map((f) => f.facts)
    .filter((f) => f.services?.length || f.units?.length || f.proxies?.length);
  const findings: Finding[] = [];
  for (const f of facts) findings.push(...(await findingsOf(f.file)));
  return buildExposure(facts, findings, new ServiceKnowledge(config.services));
}
