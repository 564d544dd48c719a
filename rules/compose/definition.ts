import type { ComposeService } from './model';

/**
 * Whether the file defines the service whole: it names an image or a build and extends nothing.
 * A service with neither is a fragment (an override file adding ports, an `extends:` child) whose
 * other settings live in a file we are not looking at, so "X is missing" cannot be said of it.
 */
export function definedHere(service: ComposeService): boolean {
  const node = service.node;
  return !!node && !node.get('extends') && (!!node.get('image') || !!node.get('build'));
}

/** An image run with its entrypoint replaced is a one-shot job (`ollama pull …`), not the server it ships. */
export function runsOwnEntrypoint(service: ComposeService): boolean {
  return !service.node?.get('entrypoint');
}
