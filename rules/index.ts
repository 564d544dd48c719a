/** The engine's public surface: what the server, the CLI and the tests use. */
import { registerFormat } from './core/engine';
import { compose } from './compose';

registerFormat(compose);

export * from './core/types';
export * from './core/engine';
export * from './core/config';
export * from './core/detect';
export * from './core/fixes';
export { LineIndex } from './core/text';
export { ServiceKnowledge, BUILTIN_SERVICES, classifyAddress, parseImage, type ServiceInfo } from './knowledge/services';
export { GlobSet, globToRegExp } from './core/glob';
