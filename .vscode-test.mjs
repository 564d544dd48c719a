// @vscode/test-cli configuration: the e2e suite in VS Code downloaded by @vscode/test-electron, at the
// `engines.vscode` minimum and at stable. Run it through `npm run test:e2e -- --online`, which first
// packages the .vsix, compiles the suite and makes the workspace this file points at.
import { defineConfig } from '@vscode/test-cli';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const work = join(root, 'test', 'e2e', '.work');

const common = {
  files: join(work, 'out', 'suite', '*.test.js'),
  // An empty development extension: Portcullis itself is the packaged .vsix, installed as a user would.
  extensionDevelopmentPath: join(work, 'harness'),
  installExtensions: [join(root, 'dist', 'portcullis.vsix')],
  workspaceFolder: join(work, 'workspace'),
  launchArgs: ['--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  mocha: { ui: 'tdd', timeout: 60_000 },
};

export default defineConfig([
  { label: 'minimum', version: '1.91.0', ...common },
  { label: 'stable', version: 'stable', ...common },
]);
