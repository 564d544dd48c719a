/// <reference types="mocha" />
/** systemd drop-ins in a real VS Code (the `*.d/*.conf` pattern brings them to the server). */
import * as vscode from 'vscode';
import { activated, closeAll, findingAndFix } from './helpers';

suite('systemd', () => {
  suiteSetup(activated);
  teardown(closeAll);

  test('OLLAMA_HOST=0.0.0.0 in a drop-in is flagged and bound to loopback', () =>
    findingAndFix({
      file: ['e2e', 'systemd', 'ollama.service.d', 'override.conf'],
      code: 'systemd/binds-all-interfaces',
      at: '0.0.0.0',
      severity: vscode.DiagnosticSeverity.Warning,
      fix: /127\.0\.0\.1/,
      fixed: 'OLLAMA_HOST=127.0.0.1',
    }));
});
