import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentFacts, memoryFileSystem, parseDocument, Project, type Place, type ProxyFacts } from '../../rules';
import { applyWorkspaceFix, lines, rangeOf } from '../helpers';

const ROOT = '/w/Caddyfile';

/** The facts of the Caddyfile of an in-memory workspace, its imports followed. */
function facts(files: Record<string, string>, file = ROOT): ProxyFacts[] {
  const project = new Project(memoryFileSystem(files));
  const doc = parseDocument(file, files[file], 'caddy')!;
  return documentFacts(doc, { project, onRuleError: ({ error }) => { throw error; } }).facts.proxies ?? [];
}

const at = (files: Record<string, string>, file: string, needle: string, nth = 0): Place => ({ file, range: rangeOf(files[file], needle, nth) });

describe('caddy facts', () => {
  it('a name site: 443 with TLS on every interface, each upstream with its path, target and auth', () => {
    const files = {
      [ROOT]: lines(
        'ai.example.com, www.ai.example.com {',
        '\t@api path /api/*',
        '\tbasic_auth @api {',
        '\t\talice $2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG',
        '\t}',
        '\treverse_proxy @api localhost:11434',
        '\thandle /ui/* {',
        '\t\treverse_proxy https://open-webui:8080 app:3000',
        '\t}',
        '}',
      ),
    };
    const [site, ...rest] = facts(files);
    assert.equal(rest.length, 0);
    assert.equal(site.server, 'caddy');
    assert.deepEqual(site.names, ['ai.example.com', 'www.ai.example.com']);
    assert.deepEqual(site.place, { file: ROOT, range: { start: rangeOf(files[ROOT], 'ai.example.com').start, end: rangeOf(files[ROOT], 'www.ai.example.com').end } });
    assert.deepEqual(
      site.listeners.map(({ bindLoopback, ...l }) => ({ ...l, fix: !!bindLoopback })),
      [
        { address: '', port: 443, exposed: true, tls: true, place: at(files, ROOT, 'ai.example.com'), fix: true },
        { address: '', port: 443, exposed: true, tls: true, place: at(files, ROOT, 'www.ai.example.com'), fix: true },
      ],
    );
    assert.deepEqual(site.routes, [
      {
        path: '/api/*',
        target: { url: 'localhost:11434', scheme: 'http', endpoints: [{ host: 'localhost', port: 11434 }], known: 'Ollama' },
        auth: at(files, ROOT, 'basic_auth @api'),
        place: at(files, ROOT, 'localhost:11434'),
      },
      {
        path: '/ui/*',
        target: { url: 'https://open-webui:8080', scheme: 'https', endpoints: [{ host: 'open-webui', port: 8080 }], known: 'Open WebUI' },
        place: at(files, ROOT, 'https://open-webui:8080'),
      },
      {
        path: '/ui/*',
        target: { url: 'app:3000', scheme: 'http', endpoints: [{ host: 'app', port: 3000 }] },
        place: at(files, ROOT, 'app:3000'),
      },
    ]);
  });

  it('plain HTTP sites, bind addresses, rate limits and access matchers', () => {
    const files = {
      [ROOT]: lines(
        'http://ai.example.com, :8080 {',
        '\tbind 127.0.0.1',
        '\trate_limit {',
        '\t\tzone z {',
        '\t\t\tkey {remote_host}',
        '\t\t\tevents 10',
        '\t\t\twindow 1m',
        '\t\t}',
        '\t}',
        '\t@key header X-Api-Key {$API_KEY}',
        '\treverse_proxy @key 127.0.0.1:11434',
        '}',
        ':9000 {',
        '\treverse_proxy :3000',
        '}',
      ),
    };
    const [a, b] = facts(files);
    assert.deepEqual(a.names, ['ai.example.com']);
    assert.deepEqual(a.listeners, [
      { address: '127.0.0.1', port: 80, exposed: false, tls: false, place: at(files, ROOT, 'http://ai.example.com') },
      { address: '127.0.0.1', port: 8080, exposed: false, tls: false, place: at(files, ROOT, ':8080') },
    ]);
    assert.deepEqual(a.routes, [
      {
        path: '@key',
        target: { url: '127.0.0.1:11434', scheme: 'http', endpoints: [{ host: '127.0.0.1', port: 11434 }], known: 'Ollama' },
        auth: at(files, ROOT, '@key header X-Api-Key {$API_KEY}'),
        rateLimit: at(files, ROOT, 'rate_limit'),
        place: at(files, ROOT, '127.0.0.1:11434'),
      },
    ]);
    assert.deepEqual(b.names, []);
    assert.equal(b.listeners.length, 1);
    assert.equal(b.listeners[0].port, 9000);
    assert.equal(b.listeners[0].tls, false);
    assert.equal(b.listeners[0].exposed, true);
    assert.deepEqual(b.routes[0].target, { url: ':3000', scheme: 'http', endpoints: [{ host: 'localhost', port: 3000 }] });
  });

  it('bindLoopback adds (or rewrites) bind, and the listener is then on loopback', () => {
    const files = { [ROOT]: lines(':8080 {', '\treverse_proxy localhost:11434', '}', ':9090 {', '\tbind 0.0.0.0 ::', '\trespond ok', '}') };
    const [a, b] = facts(files);
    const fixedA = applyWorkspaceFix(files, a.listeners[0].bindLoopback!);
    assert.equal(fixedA[ROOT], lines(':8080 {', '\tbind 127.0.0.1', '\treverse_proxy localhost:11434', '}', ':9090 {', '\tbind 0.0.0.0 ::', '\trespond ok', '}'));
    const fixedB = applyWorkspaceFix(files, b.listeners[0].bindLoopback!);
    assert.equal(fixedB[ROOT], lines(':8080 {', '\treverse_proxy localhost:11434', '}', ':9090 {', '\tbind 127.0.0.1', '\trespond ok', '}'));
    for (const fixed of [fixedA, fixedB]) {
      const again = facts(fixed).find((p) => p.listeners.some((l) => l.address === '127.0.0.1'))!;
      assert.deepEqual(again.listeners.map((l) => [l.address, l.exposed, !!l.bindLoopback]), [['127.0.0.1', false, false]]);
    }
  });

  it('follows imports: auth in an imported file, sites of a glob import, snippets with arguments', () => {
    const files = {
      [ROOT]: lines(
        '(proxy) {',
        '\treverse_proxy {args[0]}',
        '}',
        'ai.example.com {',
        '\timport auth.caddy',
        '\timport proxy localhost:11434',
        '}',
        'import sites/*.caddy',
      ),
      '/w/auth.caddy': lines('forward_auth authelia:9091 {', '\turi /api/verify', '}'),
      '/w/sites/a.caddy': lines('a.example.com {', '\treverse_proxy ollama:11434', '}'),
      '/w/sites/b.caddy': lines('b.example.com {', '\timport proxy app:8080', '}'),
    };
    const [ai, a, b, ...rest] = facts(files);
    assert.equal(rest.length, 0);
    assert.deepEqual(ai.routes, [
      {
        path: '*',
        target: { url: 'localhost:11434', scheme: 'http', endpoints: [{ host: 'localhost', port: 11434 }], known: 'Ollama' },
        auth: at(files, '/w/auth.caddy', 'forward_auth authelia:9091'),
        // The upstream is written in the snippet, as its argument.
        place: at(files, ROOT, '{args[0]}'),
      },
    ]);
    assert.deepEqual(a.place, at(files, '/w/sites/a.caddy', 'a.example.com'));
    assert.deepEqual(a.listeners.map((l) => l.place), [at(files, '/w/sites/a.caddy', 'a.example.com')]);
    assert.deepEqual(a.routes.map((r) => [r.target.known, r.auth, r.place]), [['Ollama', undefined, at(files, '/w/sites/a.caddy', 'ollama:11434')]]);
    assert.deepEqual(b.names, ['b.example.com']);
    assert.deepEqual(b.routes.map((r) => r.target.url), ['app:8080']);
  });

  it('a site file linted on its own keeps its sites: the importer does not repeat them', () => {
    const files = {
      [ROOT]: lines('import sites/*.Caddyfile'),
      '/w/sites/a.Caddyfile': lines('a.example.com {', '\treverse_proxy ollama:11434', '}'),
    };
    assert.deepEqual(facts(files), []);
    assert.deepEqual(facts(files, '/w/sites/a.Caddyfile').map((p) => p.names), [['a.example.com']]);
  });

  it('without a project, imported files are unknown and contribute nothing', () => {
    const text = lines('ai.example.com {', '\timport auth.caddy', '\treverse_proxy localhost:11434', '}');
    const doc = parseDocument(ROOT, text, 'caddy')!;
    const [site] = documentFacts(doc).facts.proxies!;
    assert.equal(site.routes.length, 1);
    assert.equal(site.routes[0].auth, undefined);
  });
});
