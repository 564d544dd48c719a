/// <reference types="mocha" />
/** nginx configs in a real VS Code (no nginx syntax extension: the file patterns bring them to the server). */
import * as vscode from 'vscode';
import { activated, closeAll, findingAndFix } from './helpers';

suite('nginx', () => {
  suiteSetup(activated);
  teardown(closeAll);

  test('a misspelt directive is an error, fixed by the did-you-mean', () =>
    findingAndFix({
      file: ['e2e', 'nginx', 'conf.d', 'ollama.conf'],
      code: 'nginx/unknown-directive',
      at: 'proxy_passs',
      severity: vscode.DiagnosticSeverity.Error,
      fix: /proxy_pass\b/,
      fixed: 'proxy_pass http://127.0.0.1:11434;',
    }));
});
