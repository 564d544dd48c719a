import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, buildDeployment, documentFacts, parseDocument, type FileFacts, type Format, type ProxyFacts, type Range, type RouteFacts } from '../../rules';
import { lines, rangeOf } from '../helpers';

/** The facts the real format module extracts from a text. */
function factsOf(file: string, format: Format, text: string): FileFacts {
  const doc = parseDocument(file, text, format);
  assert.ok(doc);
  return documentFacts(doc).facts;
}

const R0: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };

/** A hand-written proxy with one route (the nginx and Caddy extractors are tested with their formats). */
function proxy(file: string, server: 'nginx' | 'caddy', url: string, endpoints: { host: string; port?: number }[], auth = true): FileFacts {
  const route: RouteFacts = {
    path: '/',
    target: { url, scheme: 'http', endpoints },
    ...(auth ? { auth: { file, range: { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } } } } : {}),
    place: { file, range: { start: { line: 3, character: 0 }, end: { line: 3, character: 5 } } },
  };
  const p: ProxyFacts = { server, names: ['ai.example.com'], listeners: [{ address: '', port: 443, exposed: true, tls: true, place: { file, range: R0 } }], routes: [route], place: { file, range: R0 } };
  return { file, format: server, proxies: [p] };
}

describe('compose facts', () => {
  const text = lines(
    'services:',
    '  ollama:',
    '    image: ollama/ollama:0.5.7',
    '    container_name: llm',
    '    ports:',
    '      - "11434:11434"',
    '      - "127.0.0.1:8081:8080"',
    '      - "6379"',
    '      - "${PORT}:9000"',
    '      - target: 7000',
    '        published: 7000-7002',
    '    networks:',
    '      back:',
    '        aliases: [models]',
    '  app:',
    '    image: ghcr.io/acme/app',
    '    network_mode: host',
  );
  const facts = factsOf('/w/compose.yaml', 'compose', text);

  it('lists each service with its project, image, knowledge, networks and place', () => {
    const [ollama, app] = facts.services!;
    assert.equal(ollama.name, 'ollama');
    assert.equal(ollama.project, '/w');
    assert.equal(ollama.image, 'ollama/ollama:0.5.7');
    assert.equal(ollama.known, 'Ollama');
    assert.deepEqual(ollama.networks, ['back']);
    assert.deepEqual(ollama.aliases, ['llm', 'models']);
    assert.equal(ollama.hostNetwork, false);
    assert.deepEqual(ollama.place, { file: '/w/compose.yaml', range: rangeOf(text, 'ollama') });
    assert.equal(app.hostNetwork, true);
    assert.deepEqual(app.networks, []);
    assert.equal(app.known, undefined);
  });

  it('reads published ports: address, host and container port, exposure, place; interpolated ones are left out', () => {
    const ports = facts.services![0].ports.map(({ bindLoopback, ...p }) => ({ ...p, fix: !!bindLoopback }));
    const at = (needle: string) => ({ file: '/w/compose.yaml', range: rangeOf(text, needle) });
    assert.deepEqual(ports, [
      { address: '', port: 11434, exposed: true, place: at('"11434:11434"'), containerPort: 11434, protocol: 'tcp', fix: true },
      { address: '127.0.0.1', port: 8081, exposed: false, place: at('"127.0.0.1:8081:8080"'), containerPort: 8080, protocol: 'tcp', fix: false },
      { address: '', port: 0, exposed: true, place: at('"6379"'), containerPort: 6379, protocol: 'tcp', fix: true },
      { address: '', port: 7000, portEnd: 7002, exposed: true, place: at('published: 7000-7002'), containerPort: 7000, protocol: 'tcp', fix: true },
    ]);
  });

  it('bindLoopback is the fix compose/port-exposed-all-interfaces offers, with its file', () => {
    const fix = facts.services![0].ports[0].bindLoopback!;
    assert.equal(fix.preferred, true);
    assert.deepEqual(fix.edits, [{ file: '/w/compose.yaml', range: rangeOf(text, '"11434:11434"'), newText: '"127.0.0.1:11434:11434"' }]);
  });
});

describe('systemd facts', () => {
  it('names a drop-in by its unit, knows Ollama, and gives OLLAMA_HOST without a port 11434', () => {
    const text = lines('[Service]', 'Environment="OLLAMA_HOST=0.0.0.0"');
    const f = factsOf('/w/ollama.service.d/override.conf', 'systemd', text);
    const [unit] = f.units!;
    assert.equal(unit.name, 'ollama.service');
    assert.equal(unit.known, 'Ollama');
    assert.deepEqual(unit.place, { file: '/w/ollama.service.d/override.conf', range: rangeOf(text, '[Service]') });
    assert.equal(unit.listeners.length, 1);
    const { bindLoopback, ...l } = unit.listeners[0];
    assert.deepEqual(l, { address: '', port: 11434, exposed: true, place: { file: '/w/ollama.service.d/override.conf', range: rangeOf(text, '0.0.0.0') } });
    assert.deepEqual(bindLoopback?.edits, [{ file: '/w/ollama.service.d/override.conf', range: rangeOf(text, '0.0.0.0'), newText: '127.0.0.1' }]);
  });

  it('reads ports, http:// without a port as 80, ExecStart flags with --port, sockets; a client *_HOST is no listener', () => {
    const text = lines(
      '[Service]',
      'Environment=OLLAMA_HOST=http://0.0.0.0 REDIS_HOST=10.0.0.5 APP_BIND=127.0.0.1:9000',
      'ExecStart=/usr/bin/llama-server --host 0.0.0.0 --port 8081',
    );
    const units = factsOf('/w/ai.service', 'systemd', text).units!;
    assert.equal(units[0].name, 'ai.service');
    assert.equal(units[0].known, 'Ollama');
    assert.deepEqual(
      units[0].listeners.map((l) => [l.address, l.port, l.exposed, !!l.bindLoopback]),
      [
        ['', 80, true, true],
        ['127.0.0.1', 9000, false, false],
        ['', 8081, true, true],
      ],
    );
    const socket = lines('[Socket]', 'ListenStream=11434');
    const s = factsOf('/w/ollama.socket', 'systemd', socket).units![0];
    assert.deepEqual(s.listeners.map((l) => [l.address, l.port, l.exposed, l.place.range]), [['', 11434, true, rangeOf(socket, '11434')]]);
    const fixed = applyEdits(socket, s.listeners[0].bindLoopback!.edits).text;
    assert.equal(fixed, lines('[Socket]', 'ListenStream=127.0.0.1:11434'));
  });
});

describe('buildDeployment', () => {
  const compose = (body: string[]) => factsOf('/w/compose.yaml', 'compose', lines('services:', ...body));
  const OLLAMA = ['  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', '      - "11434:11434"'];
  const routeOf = (f: FileFacts) => ({ proxy: f.proxies![0], route: f.proxies![0].routes[0] });

  it('resolves localhost:PORT to the compose service publishing that host port, and finds the direct path', () => {
    const files = [compose(OLLAMA), proxy('/etc/nginx/nginx.conf', 'nginx', 'http://127.0.0.1:11434', [{ host: '127.0.0.1', port: 11434 }])];
    const d = buildDeployment(files);
    const { proxy: p, route } = routeOf(files[1]);
    const reaches = d.resolve(route, p);
    assert.equal(reaches.length, 1);
    assert.equal(reaches[0].kind === 'compose' && reaches[0].service.name, 'ollama');
    assert.deepEqual(d.directPaths(reaches[0]).map((x) => x.listener.port), [11434]);
    assert.equal(buildDeployment(files), d, 'memoized per input array');
    assert.deepEqual(d.resolve({ ...route, target: { ...route.target, endpoints: [{ host: 'localhost', port: 11435 }] } }, p), []);
  });

  it('resolves a Docker DNS name only on a shared network when the proxy runs in compose', () => {
    const proxyInCompose = ['  caddy:', '    image: caddy:2.8', '    networks: [front]'];
    const same = [compose([...OLLAMA, '    networks: [front]', ...proxyInCompose]), proxy('/w/Caddyfile', 'caddy', 'ollama:11434', [{ host: 'ollama', port: 11434 }])];
    const other = [compose([...OLLAMA, '    networks: [back]', ...proxyInCompose]), same[1]];
    for (const [files, expected] of [
      [same, 1],
      [other, 0],
    ] as const) {
      const d = buildDeployment(files);
      const { proxy: p, route } = routeOf(files[1]);
      assert.equal(d.resolve(route, p).length, expected);
      assert.deepEqual(d.homesOf(p).map((s) => s.name), ['caddy']);
    }
  });

  it('a proxy on the host resolves a name in the compose project around it first', () => {
    const a = factsOf('/a/compose.yaml', 'compose', lines('services:', ...OLLAMA));
    const b = factsOf('/b/compose.yaml', 'compose', lines('services:', ...OLLAMA));
    const near = proxy('/a/nginx/ai.conf', 'nginx', 'http://ollama:11434', [{ host: 'ollama', port: 11434 }]);
    const far = proxy('/etc/nginx/ai.conf', 'nginx', 'http://ollama:11434', [{ host: 'ollama', port: 11434 }]);
    const d = buildDeployment([a, b, near, far]);
    const projects = (f: FileFacts) => d.resolve(f.proxies![0].routes[0], f.proxies![0]).map((r) => r.kind === 'compose' && r.service.project);
    assert.deepEqual(projects(near), ['/a']);
    assert.deepEqual(projects(far), ['/a', '/b']);
  });

  it('a proxy in a container reaching localhost reaches its own container, not the host', () => {
    const files = [compose([...OLLAMA, '  caddy:', '    image: caddy:2.8']), proxy('/w/Caddyfile', 'caddy', 'localhost:11434', [{ host: 'localhost', port: 11434 }])];
    const { proxy: p, route } = routeOf(files[1]);
    assert.deepEqual(buildDeployment(files).resolve(route, p), []);
  });

  it('resolves to units (drop-ins merged) and to host-network services by their image port', () => {
    const unit = factsOf('/etc/systemd/system/ollama.service', 'systemd', lines('[Service]', 'ExecStart=/usr/bin/ollama serve'));
    const drop = factsOf('/etc/systemd/system/ollama.service.d/override.conf', 'systemd', lines('[Service]', 'Environment=OLLAMA_HOST=0.0.0.0:11434'));
    const nginx = proxy('/etc/nginx/nginx.conf', 'nginx', 'http://ollama_backend', [{ host: '127.0.0.1', port: 11434 }]);
    const d = buildDeployment([drop, nginx, unit]);
    assert.equal(d.units.length, 1);
    assert.equal(d.units[0].place.file, '/etc/systemd/system/ollama.service');
    const { proxy: p, route } = routeOf(nginx);
    const [reach] = d.resolve(route, p);
    assert.equal(reach.kind, 'unit');
    assert.deepEqual(d.directPaths(reach).map((x) => x.listener.place.file), ['/etc/systemd/system/ollama.service.d/override.conf']);

    // Two `override.conf` files that name no unit are two units, not one.
    const loose = (dir: string) => factsOf(`${dir}/override.conf`, 'systemd', lines('[Service]', 'Environment=OLLAMA_HOST=0.0.0.0'));
    assert.deepEqual(buildDeployment([loose('/a'), loose('/b')]).units.map((u) => [u.name, u.place.file]), [
      ['override.conf', '/a/override.conf'],
      ['override.conf', '/b/override.conf'],
    ]);

    const host = compose(['  ollama:', '    image: ollama/ollama', '    network_mode: host']);
    const d2 = buildDeployment([host, nginx]);
    const [r2] = d2.resolve(route, p);
    assert.equal(r2.kind === 'compose' && r2.service.name, 'ollama');
    assert.deepEqual(d2.directPaths(r2).map((x) => [x.how, x.listener.place]), [['runs it with network_mode: host', host.services![0].place]]);
  });
});

describe('facts on broken input', () => {
  it('never throw: every prefix of a compose file and a unit, and the deployment built from them', () => {
    const compose = lines('services:', '  ollama:', '    image: ollama/ollama', '    ports: ["11434:11434", {target: 80, published: "8080", host_ip: "::"}]', '    networks: {front: {aliases: [llm]}}', '    network_mode: host');
    const unit = lines('[Service]', 'Environment="OLLAMA_HOST=[::]:11434" "X_BIND=http://0.0.0.0"', 'ExecStart=/bin/sh -c "app --host=0.0.0.0 --port 9"', '[Socket]', 'ListenStream=80');
    const all: FileFacts[] = [];
    for (const [file, format, text] of [['/w/compose.yaml', 'compose', compose], ['/w/a.service', 'systemd', unit]] as const) {
      for (let i = 0; i <= text.length; i++) {
        const doc = parseDocument(file, text.slice(0, i), format);
        assert.ok(doc);
        all.push(
          documentFacts(doc, {
            onRuleError: ({ error }) => {
              throw error;
            },
          }).facts,
        );
      }
    }
    const d = buildDeployment(all);
    assert.ok(d.services.length > 0 && d.units.length > 0);
  });
});
