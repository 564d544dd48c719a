/// <reference types="mocha" />
/** Caddyfiles in a real VS Code (opened as plain text: the `Caddyfile` pattern brings them to the server). */
import * as vscode from 'vscode';
import { activated, closeAll, findingAndFix } from './helpers';

suite('caddy', () => {
  suiteSetup(activated);
  teardown(closeAll);

  test('a reverse_proxy to Ollama on localhost without header_up Host is flagged and fixed', () =>
    findingAndFix({
      file: ['e2e', 'caddy', 'Caddyfile'],
      code: 'caddy/ollama-host-rejected',
      at: 'reverse_proxy localhost:11434',
      severity: vscode.DiagnosticSeverity.Warning,
      fix: /header_up Host/,
      fixed: 'header_up Host localhost:11434',
    }));
});
