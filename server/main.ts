/**
 * Entry point of `dist/server.js`. The transport comes from the command line, so that any editor can
 * start it: `--stdio` (Neovim, Helix, Emacs, Zed), `--node-ipc` (VS Code), `--socket=N`, `--pipe=NAME`.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { JOB_KEY, runLintJob } from './lint-worker';
import { startServer } from './server';
import { redactText } from '../rules';

if (!isMainThread && workerData?.[JOB_KEY]) {
  // This bundle, started as a lint worker for one large document.
  void runLintJob(workerData[JOB_KEY], (result) => parentPort!.postMessage(result));
} else {
  main();
}

function main(): void {
  let connection: Connection;
  try {
    connection = createConnection(ProposedFeatures.all);
  } catch (error) {
    process.stderr.write(`portcullis language server: ${(error as Error).message}\nUsage: node server.js --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n`);
    process.exit(2);
  }

  // Last line of defence: a bug anywhere is logged, never the end of the editor's linting.
  const report = (kind: string) => (error: unknown) => {
    const text = redactText(`Portcullis: ${kind}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    try {
      connection.console.error(text);
    } catch {
      process.stderr.write(`${text}\n`);
    }
  };
  process.on('uncaughtException', report('uncaught exception'));
  process.on('unhandledRejection', report('unhandled rejection'));

  startServer(connection, { bundleDir: __dirname, workerScript: __filename });
}
