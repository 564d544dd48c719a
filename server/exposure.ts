import { buildExposure, redactor, ServiceKnowledge, type Config, type Exposure, type Finding } from '../rules';
import type { Deployment } from './deployment';
import { append } from '../rules/core/arrays';

/**
 * The overview for the VS Code view: the deployment's entry points, with the worst finding of each
 * from the findings last published for the files they are written in.
 */
export async function exposureOf(deployment: Deployment, config: Config, findingsOf: (file: string) => readonly Finding[]): Promise<Exposure> {
  await deployment.idle();
  const facts = deployment.project
    .all()
    .map((f) => f.facts)
    .filter((f) => f.services?.length || f.units?.length || f.proxies?.length);
  const findings: Finding[] = [];
  for (const f of facts) append(findings, findingsOf(f.file));
  // The view's labels and tooltips quote targets as written: masked like every output.
  return redactor(findings).exposure(buildExposure(facts, findings, new ServiceKnowledge(config.services)));
}

/** The findings last published per file, fixes left out (the overview needs where and how bad). */
export class ShownFindings {
  private readonly byFile = new Map<string, Finding[]>();

  set(file: string, findings: readonly Finding[]): void {
    if (findings.length) this.byFile.set(file, findings.map((f) => ({ ...f, fixes: [] })));
    else this.byFile.delete(file);
  }

  get(file: string): readonly Finding[] {
    return this.byFile.get(file) ?? [];
  }
}
