/**
 * The project's edge in the server, over real JSON-RPC: a workspace folder whose Caddyfile
 * imports a file outside it, and a FIFO named docker-compose.yml. The scan finishes, nothing of
 * the outside file reaches a diagnostic, the import gets its info finding, and the server still
 * answers after being told of the FIFO.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CLIENT_CAPABILITIES, buildServer, writeFile as write, LspClient, type BuiltServer } from './harness';
import { lines, rangeOf } from '../helpers';

const uriOf = (file: string) => pathToFileURL(file).href;
const CADDY = lines('import ../outside.caddy', 'example.com {', '    reverse_proxy app:8080', '}');

describe('server: nothing outside the workspace folder is read', () => {
  let built: BuiltServer;
  let client: LspClient;
  let tmp: string;
  let folder: string;
  let caddyfile: string;
  let compose: string;

  before(async () => {
    built = await buildServer();
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-boundary-lsp-')));
    folder = path.join(tmp, 'w');
    write(path.join(tmp, 'outside.caddy'), 'SECRETLINE_abcdef0123456789 token\n');
    caddyfile = write(path.join(folder, 'Caddyfile'), CADDY);
    compose = write(path.join(folder, 'compose.yaml'), lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', '      - "11434:11434"'));
    fs.mkdirSync(path.join(folder, 'sub'));
    execFileSync('mkfifo', [path.join(folder, 'sub', 'docker-compose.yml')]);
    fs.mkdirSync(path.join(folder, 'nginx'));
    fs.writeFileSync(path.join(folder, 'nginx', 'nginx.conf'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('events {}\nhttp { server_tokens on; }\n')]));
    fs.mkdirSync(path.join(folder, 'u16'));
    fs.writeFileSync(path.join(folder, 'u16', 'docker-compose.yml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', '      - "11434:11434"'), 'utf16le')]));
    // Over the 4 MB a config file may have: one by its name, one a data file under a YAML name.
    fs.mkdirSync(path.join(folder, 'big'));
    fs.writeFileSync(path.join(folder, 'big', 'docker-compose.yml'), 'services:\n  app:\n    image: app:1\n' + '#'.repeat(4_500_000) + '\n');
    fs.writeFileSync(path.join(folder, 'big', 'rows.yml'), '- 1\n'.repeat(1_200_000));
    client = await LspClient.start(built.serverJs, { workspaceFolders: [folder], capabilities: { ...CLIENT_CAPABILITIES, window: { workDoneProgress: true } } });
  });

  after(async () => {
    await client?.stop();
    built?.cleanup();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('scans past a FIFO named docker-compose.yml and reports the outside import, unread', async () => {
    await client.waitUntil(() => (client.progress.some((p) => p.value.kind === 'end') ? true : undefined), 15_000, () => 'the end of the scan');
    const caddy = await client.diagnostics(uriOf(caddyfile), (p) => p.diagnostics.some((d) => d.code === 'caddy/import-outside-project'));
    const info = caddy.diagnostics.find((d) => d.code === 'caddy/import-outside-project')!;
    assert.deepEqual(info.range, rangeOf(CADDY, '../outside.caddy'));
    assert.ok(client.published.some((p) => p.uri === uriOf(compose) && p.diagnostics.some((d) => d.code === 'compose/port-exposed-all-interfaces')));
    assert.ok(!JSON.stringify(client.published).includes('SECRETLINE'));
  });

  it('reads encodings as the tools do: an nginx BOM is refused at 0:0, a UTF-16 compose file linted', () => {
    const nginx = client.published.filter((p) => p.uri === uriOf(path.join(folder, 'nginx', 'nginx.conf'))).pop()!;
    const refused = nginx.diagnostics.find((d) => d.code === 'nginx/syntax-error')!;
    assert.deepEqual(refused.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.match(refused.message, /byte-order mark/);
    const tokens = nginx.diagnostics.find((d) => d.code === 'nginx/server-tokens-on')!;
    assert.deepEqual(tokens.range, { start: { line: 1, character: 21 }, end: { line: 1, character: 23 } });
    const u16 = client.published.filter((p) => p.uri === uriOf(path.join(folder, 'u16', 'docker-compose.yml'))).pop()!;
    assert.deepEqual(u16.diagnostics.find((d) => d.code === 'compose/port-exposed-all-interfaces')?.range, { start: { line: 4, character: 8 }, end: { line: 4, character: 21 } });
  });

  it('a config file too large to lint gets one warning at 0:0, never "no problems"; a large data file nothing', () => {
    const big = client.published.filter((p) => p.uri === uriOf(path.join(folder, 'big', 'docker-compose.yml'))).pop()!;
    assert.deepEqual(
      big.diagnostics.map((d) => [d.code, d.severity, d.range.start, d.range.end, d.message]),
      [['portcullis/too-large', 2, { line: 0, character: 0 }, { line: 0, character: 0 }, 'Portcullis did not lint docker-compose.yml: it is 4.3 MB, over the 4.0 MB a configuration file may have; nothing in it was checked.']],
    );
    assert.ok(!client.published.some((p) => p.uri === uriOf(path.join(folder, 'big', 'rows.yml'))));
  });

  it('stays responsive when told the FIFO changed, and an opened document keeps the edge', async () => {
    const fifo = path.join(folder, 'sub', 'docker-compose.yml');
    client.send('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(fifo), type: 2 }] });
    const mark = client.published.length;
    client.open(uriOf(caddyfile), CADDY, 'caddyfile');
    const opened = await client.diagnostics(uriOf(caddyfile), (p) => p.version === 1, mark);
    assert.ok(opened.diagnostics.some((d) => d.code === 'caddy/import-outside-project'));
    assert.ok(!JSON.stringify(client.published).includes('SECRETLINE'));
  });
});

describe('server: with no workspace folder, a file is its own folder\'s project', () => {
  let built: BuiltServer;
  let client: LspClient;
  let tmp: string;

  before(async () => {
    built = await buildServer();
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-boundary-lone-')));
    write(path.join(tmp, 'outside.caddy'), 'SECRETLINE_abcdef0123456789 token\n');
    client = await LspClient.start(built.serverJs, {});
  });

  after(async () => {
    await client?.stop();
    built?.cleanup();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('does not read `import ../outside.caddy` of an opened Caddyfile', async () => {
    const file = write(path.join(tmp, 'site', 'Caddyfile'), CADDY);
    client.open(uriOf(file), CADDY, 'caddyfile');
    const published = await client.diagnostics(uriOf(file), (p) => p.version === 1);
    assert.deepEqual(published.diagnostics.find((d) => d.code === 'caddy/import-outside-project')?.range, rangeOf(CADDY, '../outside.caddy'));
    assert.ok(!JSON.stringify(client.published).includes('SECRETLINE'));
  });
});
