/**
 * The watchdog over real JSON-RPC: a lint that never ends (made to stall with
 * PORTCULLIS_TEST_STALL=1 and a marker in the text, honoured only when that is set) is abandoned
 * after PORTCULLIS_LINT_TIMEOUT_MS and reported with one 0:0 warning and a log line; meanwhile
 * typing in another document still gets its diagnostics; the next edit lints normally.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { buildServer, LspClient, type BuiltServer } from './harness';
import { lines, rangeOf } from '../helpers';

const LIMIT_MS = 3000;
const PORT_RULE = 'compose/port-exposed-all-interfaces';
const compose = (port: string, extra: string[] = []) => lines(...extra, 'services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', `      - "${port}"`);

describe('the lint watchdog', () => {
  let built: BuiltServer;
  let client: LspClient;
  let tmp: string;

  before(async () => {
    built = await buildServer();
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-watchdog-')));
    // The server inherits these: the stall hook on, and a short limit.
    process.env.PORTCULLIS_TEST_STALL = '1';
    process.env.PORTCULLIS_LINT_TIMEOUT_MS = String(LIMIT_MS);
    client = await LspClient.start(built.serverJs, { workspaceFolders: [tmp] });
  });

  after(async () => {
    await client?.stop();
    built?.cleanup();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('abandons a stalled lint with one warning, keeps linting other documents meanwhile, and lints the next edit', async () => {
    const stalled = pathToFileURL(path.join(tmp, 'stuck', 'compose.yaml')).href;
    const other = pathToFileURL(path.join(tmp, 'ok', 'compose.yaml')).href;
    const started = Date.now();
    client.open(stalled, compose('11434:11434', ['# portcullis-test-stall']));

    // While that lint spins, another document is opened and typed in: its diagnostics arrive.
    client.open(other, compose('11434:11434'));
    const first = await client.diagnostics(other, (p) => p.version === 1);
    assert.ok(first.diagnostics.some((d) => d.code === PORT_RULE));
    const text2 = compose('8080:11434');
    client.change(other, 2, text2);
    const second = await client.diagnostics(other, (p) => p.version === 2);
    assert.deepEqual(second.diagnostics.find((d) => d.code === PORT_RULE)?.range, rangeOf(text2, '"8080:11434"'));
    assert.equal(client.published.filter((p) => p.uri === stalled).length, 0, `the stalled document has no result yet (${Date.now() - started} ms)`);

    // The limit passes: one 0:0 warning, and a log line.
    const report = await client.diagnostics(stalled, (p) => p.version === 1, 0, LIMIT_MS + 8000);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= LIMIT_MS, `not before the limit (${elapsed} ms)`);
    assert.deepEqual(
      report.diagnostics.map((d) => ({ code: d.code, severity: d.severity, range: d.range, message: d.message })),
      [{ code: 'portcullis/lint-timeout', severity: 2, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `Portcullis stopped linting compose.yaml: took longer than ${LIMIT_MS / 1000} s` }],
    );
    assert.ok(client.logs.some((l) => l.message.includes('stopped linting') && l.message.includes(path.join(tmp, 'stuck', 'compose.yaml'))), JSON.stringify(client.logs));
    // The server still answers.
    assert.ok(Array.isArray(await client.request('textDocument/codeAction', { textDocument: { uri: other }, range: second.diagnostics[0].range, context: { diagnostics: [] } })));

    // The next edit (no marker) is linted normally; so is one with the marker removed and added back later.
    const fixed = compose('11434:11434');
    client.change(stalled, 2, fixed);
    const relinted = await client.diagnostics(stalled, (p) => p.version === 2, 0, 10_000);
    assert.deepEqual(relinted.diagnostics.find((d) => d.code === PORT_RULE)?.range, rangeOf(fixed, '"11434:11434"'));
    assert.ok(!relinted.diagnostics.some((d) => d.code === 'portcullis/lint-timeout'));
    for (const uri of [stalled, other]) client.close(uri);
  });
});
