/** The engine's public surface: what the server, the CLI and the tests use. */
import { registerCrossFormatRule, registerDeploymentRule, registerFormat } from './core/engine';
import { compose } from './compose';
import { systemd } from './systemd';
import { caddy } from './caddy';
import { nginx } from './nginx';
import { composeSecretCandidates } from './secrets/compose';
import { rule as hardcodedSecret } from './secrets/hardcoded-secret';
import { rule as proxyBypass } from './deployment/proxy-bypass';

// Compose's secret extractor lives with the secrets rule; the other formats add theirs in their own module.
registerFormat({ ...compose, secretCandidates: composeSecretCandidates });
registerFormat(systemd);
registerFormat(caddy);
registerFormat(nginx);
registerCrossFormatRule(hardcodedSecret);
registerDeploymentRule(proxyBypass);

export * from './core/types';
export * from './core/engine';
export * from './core/config';
export * from './core/detect';
export * from './core/discover';
export * from './core/fixes';
export { LineIndex } from './core/text';
export { isInside, normalizePath } from './core/paths';
export { encodingFinding, type StoredEncoding } from './core/encoding';
export { ServiceKnowledge, BUILTIN_SERVICES, classifyAddress, parseImage, type ServiceInfo } from './knowledge/services';
export { GlobSet, compileGlob } from './core/glob';
export { mask as maskSecret } from './secrets/detect';
export { redactor, redactText, quotedName, escapeControls, type Redactor } from './secrets/redact';
export { Project, lintProject, memoryFileSystem, type ProjectFileSystem, type ProjectFile, type ProjectLint } from './core/project';
export type { FileFacts, Place, Listener, ComposeServiceFacts, UnitFacts, ProxyFacts, RouteFacts, TargetFacts } from './deployment/facts';
export type { Exposure, EntryPoint, Hop, Protections, WorstFinding } from './deployment/exposure-types';
export { buildDeployment, type Deployment, type Reach } from './deployment/model';
export { buildExposure } from './deployment/exposure';
