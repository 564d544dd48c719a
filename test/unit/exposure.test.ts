import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildExposure, documentFacts, parseDocument, type FileFacts, type Finding, type Format, type Place, type ProxyFacts, type Range } from '../../rules';
import { lines, rangeOf } from '../helpers';

function factsOf(file: string, format: Format, text: string): FileFacts {
  const doc = parseDocument(file, text, format);
  assert.ok(doc);
  return documentFacts(doc).facts;
}

const line = (n: number, from = 0, to = 5): Range => ({ start: { line: n, character: from }, end: { line: n, character: to } });
const at = (file: string, n: number): Place => ({ file, range: line(n) });

const COMPOSE = lines(
  'services:',
  '  ollama:',
  '    image: ollama/ollama:0.5.7',
  '    ports:',
  '      - "11434:11434"',
  '  redis:',
  '    image: redis:7',
  '    ports:',
  '      - "127.0.0.1:6379:6379"',
  '  app:',
  '    image: ghcr.io/acme/app:1',
  '    ports:',
  '      - "8080:8080"',
);
const UNIT = lines('[Service]', 'Environment="OLLAMA_HOST=0.0.0.0:11500"');
const NGINX = '/w/nginx/nginx.conf';

/** nginx on 443 (TLS) and on 127.0.0.1:8443: `/` with auth to Ollama through localhost, `/app/` to the app, no auth. */
const nginx: FileFacts = {
  file: NGINX,
  format: 'nginx',
  proxies: [
    {
      server: 'nginx',
      names: ['ai.example.com'],
      listeners: [
        { address: '', port: 443, exposed: true, tls: true, place: at(NGINX, 2) },
        { address: '127.0.0.1', port: 8443, exposed: false, tls: true, place: at(NGINX, 3) },
      ],
      routes: [
        { path: '/', target: { url: 'http://127.0.0.1:11434', scheme: 'http', endpoints: [{ host: '127.0.0.1', port: 11434 }], known: 'Ollama' }, auth: at(NGINX, 5), rateLimit: at(NGINX, 6), place: at(NGINX, 7) },
        { path: '/app/', target: { url: 'http://127.0.0.1:9999', scheme: 'http', endpoints: [{ host: '127.0.0.1', port: 9999 }] }, place: at(NGINX, 9) },
      ],
      place: at(NGINX, 1),
    } satisfies ProxyFacts,
  ],
};

function finding(file: string, range: Range, rule: string, severity: Finding['severity']): Finding {
  return { file, range, rule, severity, message: `${rule} here`, fixes: [] };
}

describe('buildExposure', () => {
  const compose = factsOf('/w/compose.yaml', 'compose', COMPOSE);
  const unit = factsOf('/w/ollama.service.d/override.conf', 'systemd', UNIT);
  const files = [unit, nginx, compose];
  const findings = [
    finding('/w/compose.yaml', rangeOf(COMPOSE, '"11434:11434"'), 'compose/port-exposed-all-interfaces', 'error'),
    finding('/w/compose.yaml', rangeOf(COMPOSE, '"11434:11434"'), 'deployment/proxy-bypass', 'error'),
    finding('/w/compose.yaml', rangeOf(COMPOSE, '"8080:8080"'), 'compose/port-exposed-all-interfaces', 'warning'),
    finding('/w/compose.yaml', rangeOf(COMPOSE, 'app'), 'compose/no-resource-limits', 'info'),
    finding(NGINX, line(9), 'nginx/proxy-without-auth', 'warning'),
    finding(NGINX, line(2), 'nginx/server-tokens-on', 'info'),
    finding('/w/elsewhere.yaml', rangeOf(COMPOSE, '"11434:11434"'), 'compose/privileged', 'error'),
  ];
  const exposure = buildExposure(files, findings);

  it('lists every listener reachable from outside, in place order, and nothing on loopback', () => {
    assert.deepEqual(
      exposure.entries.map((e) => [e.address, e.kind, e.name, e.service]),
      [
        ['*:11434', 'compose', 'compose service ollama', 'Ollama'],
        ['*:8080', 'compose', 'compose service app', undefined],
        ['*:443', 'nginx', 'nginx ai.example.com', undefined],
        ['*:11500', 'systemd', 'ollama.service', 'Ollama'],
      ],
    );
  });

  it('gives each proxy route a hop: what it reaches, its protections and its worst finding', () => {
    const entry = exposure.entries[2];
    assert.deepEqual(entry.place, at(NGINX, 2));
    assert.deepEqual(entry.protections, { tls: true, auth: false, rateLimit: false });
    assert.deepEqual(entry.hops, [
      {
        path: '/',
        target: 'http://127.0.0.1:11434',
        reaches: 'compose service ollama (Ollama)',
        service: 'Ollama',
        protections: { tls: true, auth: true, rateLimit: true },
        place: at(NGINX, 7),
        // Two errors on the published port the route goes through: the cross-file one is about this path.
        worst: { rule: 'deployment/proxy-bypass', severity: 'error', message: 'deployment/proxy-bypass here', place: { file: '/w/compose.yaml', range: rangeOf(COMPOSE, '"11434:11434"') } },
      },
      {
        path: '/app/',
        target: 'http://127.0.0.1:9999',
        reaches: 'http://127.0.0.1:9999',
        protections: { tls: true, auth: false, rateLimit: false },
        place: at(NGINX, 9),
        worst: { rule: 'nginx/proxy-without-auth', severity: 'warning', message: 'nginx/proxy-without-auth here', place: at(NGINX, 9) },
      },
    ]);
    assert.equal(entry.worst?.severity, 'error', "an entry's worst is its hops' worst when worse than its own");
  });

  it('says whether a service reached directly has authentication of its own', () => {
    const [ollama, app, , unitEntry] = exposure.entries;
    assert.deepEqual(ollama.protections, { tls: false, auth: false, rateLimit: false });
    assert.deepEqual(app.protections, { tls: false, auth: 'unknown', rateLimit: false });
    assert.deepEqual(app.worst?.rule, 'compose/port-exposed-all-interfaces');
    assert.deepEqual(unitEntry.place, { file: '/w/ollama.service.d/override.conf', range: rangeOf(UNIT, '0.0.0.0:11500') });
    assert.equal(unitEntry.port, 11500);
    assert.equal(unitEntry.worst, undefined);
  });

  it("a service whose own login is turned off has no authentication, and that line is among its places", () => {
    const text = lines('services:', '  webui:', '    image: ghcr.io/open-webui/open-webui:main', '    ports:', '      - "3000:8080"', '    environment:', '      - WEBUI_AUTH=False');
    const facts = factsOf('/w/compose.yaml', 'compose', text);
    assert.deepEqual(facts.services![0].authOff, { file: '/w/compose.yaml', range: rangeOf(text, 'WEBUI_AUTH=False') });
    const off: Finding = { rule: 'compose/openwebui-auth-disabled', severity: 'error', file: '/w/compose.yaml', range: rangeOf(text, 'WEBUI_AUTH=False'), message: 'login off', fixes: [] };
    const [entry] = buildExposure([facts], [off]).entries;
    assert.deepEqual(entry.protections, { tls: false, auth: false, rateLimit: false });
    assert.equal(entry.worst?.rule, 'compose/openwebui-auth-disabled');
    const on = factsOf('/w/compose.yaml', 'compose', text.replace('False', 'True'));
    assert.equal(on.services![0].authOff, undefined);
    assert.deepEqual(buildExposure([on], []).entries[0].protections, { tls: false, auth: true, rateLimit: false });
  });

  it('does not depend on the order of the files or the findings', () => {
    assert.deepEqual(buildExposure([compose, nginx, unit], [...findings].reverse()), exposure);
  });

  it('a proxy in a container is reached through the ports its container publishes, or not at all', () => {
    const caddy: FileFacts = {
      file: '/w/Caddyfile',
      format: 'caddy',
      proxies: [{ server: 'caddy', names: ['ai.example.com'], listeners: [{ address: '', port: 443, exposed: true, tls: true, place: at('/w/Caddyfile', 0) }], routes: [], place: at('/w/Caddyfile', 0) }],
    };
    const stack = (ports: string) => factsOf('/w/compose.yaml', 'compose', lines('services:', '  caddy:', '    image: caddy:2', `    ports: [${ports}]`));
    assert.deepEqual(buildExposure([stack('"8443:443"'), caddy], []).entries.map((x) => [x.address, x.name, x.place]), [['*:8443', 'caddy ai.example.com', at('/w/Caddyfile', 0)]]);
    assert.deepEqual(buildExposure([stack('"127.0.0.1:443:443"'), caddy], []).entries, []);
  });

  it('shows a proxy container by its sites, and a host-network service by its image ports', () => {
    const stack = lines('services:', '  caddy:', '    image: caddy:2', '    ports: ["80:80", "443:443", "2019:2019"]', '  ollama:', '    image: ollama/ollama', '    network_mode: host');
    const caddy: FileFacts = {
      file: '/w/Caddyfile',
      format: 'caddy',
      proxies: [{ server: 'caddy', names: [''], listeners: [{ address: '', port: 443, exposed: true, tls: true, place: at('/w/Caddyfile', 0) }], routes: [], place: at('/w/Caddyfile', 0) }],
    };
    const e = buildExposure([factsOf('/w/compose.yaml', 'compose', stack), caddy], []);
    assert.deepEqual(
      e.entries.map((x) => [x.address, x.name]),
      [
        ['*:443', 'caddy (any name)'],
        ['*:2019', 'compose service caddy'],
        ['*:11434', 'compose service ollama (host network)'],
      ],
    );
  });
});
