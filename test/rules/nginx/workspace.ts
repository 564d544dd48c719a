/** nginx workspaces for the include tests: files under /w/nginx (the helpers themselves are in test/helpers.ts). */
export { assertWorkspaceFixWorks, placeOf as at, places, workspaceFindings as findingsOf, type Files } from '../../helpers';

export const ROOT = '/w/nginx';

/** Relative names under /w/nginx to absolute paths. */
export function nginxTree(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([name, text]) => [`${ROOT}/${name}`, text]));
}
