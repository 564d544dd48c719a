/**
 * The deployment as a whole over real JSON-RPC: a temp workspace where a compose file publishes
 * Ollama on every interface while a Caddyfile and an nginx site proxy to it with authentication.
 * Files never opened get the cross-file finding; changing either file on disk (told with
 * `workspace/didChangeWatchedFiles`) makes it disappear and come back; an nginx snippet's auth
 * reaches the site that includes it; `portcullis/exposure` answers the overview the view shows.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CLIENT_CAPABILITIES, buildServer, writeFile as write, LspClient, type BuiltServer, type PublishDiagnostics } from './harness';
import { lines, rangeOf } from '../helpers';

const BYPASS = 'deployment/proxy-bypass';
const NO_AUTH = 'nginx/proxy-without-auth';
const CHANGED = 2;

const compose = (port: string) => lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', `      - "${port}"`);
const caddyfile = (auth: boolean) =>
  lines(
    'ollama.example.com {',
    ...(auth ? ['\tbasic_auth {', '\t\t{$AUTH_USER} {$AUTH_HASH}', '\t}'] : []),
    '\treverse_proxy localhost:11434 {',
    '\t\theader_up Host localhost:11434',
    '\t}',
    '}',
  );
const nginxConf = lines('events {}', 'http {', '    include /etc/nginx/mime.types;', '    include sites-enabled/*.conf;', '}');
const site = lines(
  'server {',
  '    listen 443 ssl;',
  '    server_name ai.example.com;',
  '    location / {',
  '        include snippets/auth.conf;',
  '        proxy_pass http://127.0.0.1:11434;',
  '        proxy_set_header Host localhost:11434;',
  '        proxy_buffering off;',
  '        proxy_read_timeout 300s;',
  '    }',
  '}',
);
const authSnippet = lines('auth_basic "Ollama";', 'auth_basic_user_file /etc/nginx/htpasswd;');

const uriOf = (file: string) => pathToFileURL(file).href;

describe('the deployment across files, over JSON-RPC', () => {
  let built: BuiltServer;
  let client: LspClient;
  let tmp: string;
  const f = { compose: '', caddy: '', nginx: '', site: '', snippet: '' };
  let exposureChanged = 0;

  before(async () => {
    built = await buildServer();
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-deploy-')));
    f.compose = write(path.join(tmp, 'compose.yaml'), compose('11434:11434'));
    f.caddy = write(path.join(tmp, 'Caddyfile'), caddyfile(true));
    f.nginx = write(path.join(tmp, 'nginx', 'nginx.conf'), nginxConf);
    f.site = write(path.join(tmp, 'nginx', 'sites-enabled', 'ollama.conf'), site);
    f.snippet = write(path.join(tmp, 'nginx', 'snippets', 'auth.conf'), authSnippet);
    client = await LspClient.start(built.serverJs, { workspaceFolders: [tmp], capabilities: { ...CLIENT_CAPABILITIES, window: { workDoneProgress: true } } });
    client.connection.onNotification('portcullis/exposureChanged', () => {
      exposureChanged++;
    });
  });

  after(async () => {
    if (process.env.PORTCULLIS_LSP_LOG) console.error(client?.logs);
    await client?.stop();
    built?.cleanup();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const last = (file: string): PublishDiagnostics | undefined => client.published.filter((p) => p.uri === uriOf(file)).pop();
  const codes = (file: string) => (last(file)?.diagnostics ?? []).map((d) => d.code);
  const until = (what: string, probe: () => boolean, timeoutMs = 15_000) => client.waitUntil(() => (probe() ? true : undefined), timeoutMs, () => `${what}; compose has ${JSON.stringify(codes(f.compose))}`);
  const changeOnDisk = (file: string, text: string) => {
    write(file, text);
    client.send('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file), type: CHANGED }] });
  };

  it('reports the bypass in the compose file never opened, linking the proxy that authenticates', async () => {
    await until('the bypass finding', () => codes(f.compose).includes(BYPASS));
    const d = last(f.compose)!.diagnostics.find((x) => x.code === BYPASS)!;
    assert.equal(d.severity, 1);
    assert.deepEqual(d.range, rangeOf(compose('11434:11434'), '"11434:11434"'));
    assert.match(d.message, /Caddyfile:\d+|ollama\.conf:\d+/);
    const related = (d as { relatedInformation?: { location: { uri: string } }[] }).relatedInformation ?? [];
    assert.ok(related.some((r) => r.location.uri === uriOf(f.caddy) || r.location.uri === uriOf(f.site)), JSON.stringify(related));
    const data = d.data as { fixes: { title: string; edits: { newText: string }[] }[] };
    assert.ok(data.fixes.some((x) => x.edits.some((e) => e.newText.includes('127.0.0.1'))), JSON.stringify(data.fixes));
  });

  it('resolves the nginx include: the snippet\'s auth protects the site, and losing it is seen in the site never opened', async () => {
    await until('the site linted', () => last(f.site) !== undefined);
    assert.deepEqual(codes(f.site).filter((c) => c === NO_AUTH), []);
    changeOnDisk(f.snippet, lines('# auth moved elsewhere'));
    await until('proxy-without-auth in the site', () => codes(f.site).includes(NO_AUTH));
    changeOnDisk(f.snippet, authSnippet);
    await until('proxy-without-auth gone again', () => !codes(f.site).includes(NO_AUTH));
  });

  it('drops the bypass when the direct path is bound to loopback, and brings it back when it is not', async () => {
    await until('the bypass finding', () => codes(f.compose).includes(BYPASS));
    changeOnDisk(f.compose, compose('127.0.0.1:11434:11434'));
    await until('the bypass gone', () => !codes(f.compose).includes(BYPASS));
    changeOnDisk(f.compose, compose('11434:11434'));
    await until('the bypass back', () => codes(f.compose).includes(BYPASS));
  });

  it('drops the bypass when no proxy in front authenticates any more (the other file changed)', async () => {
    changeOnDisk(f.caddy, caddyfile(false));
    changeOnDisk(f.snippet, lines('# no auth'));
    await until('the bypass gone', () => !codes(f.compose).includes(BYPASS));
    changeOnDisk(f.caddy, caddyfile(true));
    changeOnDisk(f.snippet, authSnippet);
    await until('the bypass back', () => codes(f.compose).includes(BYPASS));
  });

  it('follows the editor buffer over the disk, and the disk again once the editor closes', async () => {
    await until('the bypass finding', () => codes(f.compose).includes(BYPASS));
    const uri = uriOf(f.compose);
    client.open(uri, compose('127.0.0.1:11434:11434'), 'dockercompose', 1);
    await until('the bypass gone while the buffer binds to loopback', () => last(f.compose)?.version === 1 && !codes(f.compose).includes(BYPASS));
    client.change(uri, 2, compose('11434:11434'));
    await until('the bypass back from the buffer', () => last(f.compose)?.version === 2 && codes(f.compose).includes(BYPASS));
    client.change(uri, 3, compose('127.0.0.1:11434:11434'));
    await until('the bypass gone again', () => last(f.compose)?.version === 3 && !codes(f.compose).includes(BYPASS));
    client.close(uri);
    // The disk still publishes on every interface.
    await until('the bypass back from the disk', () => last(f.compose)?.version === undefined && codes(f.compose).includes(BYPASS));
  });

  it('watches what a Caddyfile imports, whatever its name, and re-lints the importer when it changes', async () => {
    const importer = write(path.join(tmp, 'imp', 'Caddyfile'), lines('import sites/*.caddy'));
    const site = write(path.join(tmp, 'imp', 'sites', 'ai.caddy'), lines('ai.example.com {', '\treverse_proxy localhost:11434 {', '\t\theader_up Host localhost:11434', '\t}', '}'));
    client.send('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(importer), type: 1 }] });
    await until('proxy-without-auth at the import', () => codes(importer).includes('caddy/proxy-without-auth'));
    assert.deepEqual(last(importer)!.diagnostics.find((d) => d.code === 'caddy/proxy-without-auth')!.range.start, { line: 0, character: 0 });
    const pattern = path.join(tmp, 'imp', 'sites', '*.caddy');
    await until('a watcher for the imported files', () => client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles' && r.registerOptions.watchers.some((w: { globPattern: string }) => w.globPattern === pattern)));
    changeOnDisk(site, lines('ai.example.com {', '\tbasic_auth {', '\t\t{$AUTH_USER} {$AUTH_HASH}', '\t}', '\treverse_proxy localhost:11434 {', '\t\theader_up Host localhost:11434', '\t}', '}'));
    await until('proxy-without-auth gone from the importer', () => !codes(importer).includes('caddy/proxy-without-auth'));
    fs.rmSync(path.join(tmp, 'imp'), { recursive: true });
    client.send('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(tmp, 'imp')), type: 3 }] });
    await until('the importer cleared', () => codes(importer).length === 0);
  });

  it('answers portcullis/exposure with the entry points, what is behind them, and the worst finding', async () => {
    const before = exposureChanged;
    const exposure = await client.request<{ entries: any[] }>('portcullis/exposure', {});
    const direct = exposure.entries.find((e) => e.kind === 'compose' && e.port === 11434);
    assert.ok(direct, JSON.stringify(exposure.entries.map((e) => [e.kind, e.address, e.port, e.name])));
    assert.equal(direct.place.file, f.compose);
    assert.deepEqual(direct.place.range, rangeOf(compose('11434:11434'), '"11434:11434"'));
    assert.equal(direct.worst?.rule, BYPASS);
    assert.equal(direct.protections.auth, false);
    const caddySite = exposure.entries.find((e) => e.kind === 'caddy');
    assert.ok(caddySite);
    assert.equal(caddySite.port, 443);
    assert.equal(caddySite.protections.tls, true);
    assert.equal(caddySite.protections.auth, true);
    assert.equal(caddySite.hops.length, 1);
    assert.match(caddySite.hops[0].reaches, /ollama/);
    const nginxSite = exposure.entries.find((e) => e.kind === 'nginx');
    assert.ok(nginxSite);
    assert.equal(nginxSite.protections.auth, true, 'the auth comes from the included snippet');
    // The overview follows changes: a change on disk is announced.
    changeOnDisk(f.compose, compose('127.0.0.1:11434:11434'));
    await until('exposureChanged', () => exposureChanged > before);
    const after = await client.request<{ entries: any[] }>('portcullis/exposure', {});
    assert.equal(after.entries.find((e) => e.kind === 'compose' && e.port === 11434), undefined, 'a loopback port is no entry point');
    changeOnDisk(f.compose, compose('11434:11434'));
  });
});
