import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'compose/port-exposed-all-interfaces';
const check = (text: string) => only(lint(text), RULE);

describe(RULE, () => {
  it('flags Ollama published on every interface as an error, at the port', () => {
    const text = lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', '      - "11434:11434"');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, rangeOf(text, '"11434:11434"'));
    assert.match(f.message, /Ollama, which has no authentication/);
  });

  it('warns for an ordinary service; explicit 0.0.0.0, [::], public IPs, ranges, udp and container-only ports', () => {
    const text = lines(
      'services:',
      '  web:',
      '    image: example/web:1.2',
      '    ports:',
      "      - '0.0.0.0:8080:80'",
      '      - "[::]:8443:443"',
      '      - 203.0.113.7:9000:9000',
      '      - "7000-7005:7000-7005/udp"',
      '      - "6000"',
      '      - 5000:5000',
    );
    const found = check(text);
    assert.deepEqual(
      found.map((f) => f.range),
      ["'0.0.0.0:8080:80'", '"[::]:8443:443"', '203.0.113.7:9000:9000', '"7000-7005:7000-7005/udp"', '"6000"', '5000:5000'].map((n) => rangeOf(text, n)),
    );
    assert.ok(found.every((f) => f.severity === 'warning'));
  });

  it('leaves loopback, private, Tailscale, interpolated host addresses and expose: alone', () => {
    const text = lines(
      'services:',
      '  ollama:',
      '    image: ollama/ollama',
      '    expose: ["11434"]',
      '    ports:',
      '      - "127.0.0.1:11434:11434"',
      '      - "[::1]:11435:11434"',
      '      - "192.168.1.10:11436:11434"',
      '      - "100.101.102.103:11437:11434"',
      '      - "${BIND_ADDR:-127.0.0.1}:11438:11434"',
      '      - target: 11434',
      '        published: 11439',
      '        host_ip: 127.0.0.1',
    );
    assert.deepEqual(check(text), []);
  });

  it("does not flag a reverse proxy's 80 and 443, but does flag its other ports", () => {
    const text = lines('services:', '  caddy:', '    image: caddy:2.8', '    ports:', '      - "80:80"', '      - "443:443"', '      - "443:443/udp"', '      - "2019:2019"');
    assert.deepEqual(
      check(text).map((f) => f.range),
      [rangeOf(text, '"2019:2019"')],
    );
  });

  it('still flags a host port that is interpolated when no host address is given', () => {
    const text = lines('services:', '  redis:', '    image: redis:7', '    ports:', '      - "${REDIS_PORT:-6379}:6379"');
    const [f] = check(text);
    assert.equal(f.severity, 'error');
    assert.match(f.message, /Redis/);
  });

  it('identifies a built image by its no-auth port', () => {
    const text = lines('services:', '  api:', '    build: .', '    ports:', '      - "11434:11434"');
    assert.equal(check(text)[0].severity, 'error');
  });

  it('reports a port defined once in an anchor once, at the anchor', () => {
    const text = lines('x-ollama: &ollama', '  image: ollama/ollama', '  ports:', '    - "11434:11434"', 'services:', '  a:', '    <<: *ollama', '  b:', '    <<: *ollama');
    const found = check(text);
    assert.equal(found.length, 1);
    assert.deepEqual(found[0].range, rangeOf(text, '"11434:11434"'));
  });

  it('follows !reset: a reset ports list publishes nothing', () => {
    const text = lines('x-base: &base', '  image: ollama/ollama', '  ports: ["11434:11434"]', 'services:', '  a:', '    <<: *base', '    ports: !reset []');
    // The anchor itself is not a service: nothing is published.
    assert.deepEqual(check(text), []);
  });

  it('handles long syntax: missing or exposed host_ip', () => {
    const text = lines('services:', '  ollama:', '    image: ollama/ollama', '    ports:', '      - target: 11434', '        published: "11434"', '        protocol: tcp');
    const [f] = check(text);
    assert.deepEqual(f.range, rangeOf(text, 'published: "11434"'));
  });

  describe('fixes', () => {
    it('prepends 127.0.0.1 to a short port, keeping the quotes', () => {
      const text = lines('services:', '  ollama:', '    image: ollama/ollama', '    ports:', '      - "11434:11434"');
      assertFixWorks(text, RULE, undefined, lines('services:', '  ollama:', '    image: ollama/ollama', '    ports:', '      - "127.0.0.1:11434:11434"'));
    });

    it('replaces 0.0.0.0 and [::] in place, and quotes a plain value', () => {
      const text = lines('services:', '  web:', '    image: w', '    ports:', "      - '0.0.0.0:8080:80'", '      - 8081:81');
      const once = assertFixWorks(text, RULE, undefined, lines('services:', '  web:', '    image: w', '    ports:', "      - '127.0.0.1:8080:80'", '      - 8081:81'));
      assertFixWorks(once, RULE, undefined, lines('services:', '  web:', '    image: w', '    ports:', "      - '127.0.0.1:8080:80'", '      - "127.0.0.1:8081:81"'));
      const v6 = lines('services:', '  web:', '    image: w', '    ports: ["[::]:8443:443"]');
      assertFixWorks(v6, RULE, undefined, lines('services:', '  web:', '    image: w', '    ports: ["127.0.0.1:8443:443"]'));
    });

    it('keeps a random host port for a container-only port', () => {
      const text = lines('services:', '  redis:', '    image: redis', '    ports:', '      - 6379');
      assertFixWorks(text, RULE, undefined, lines('services:', '  redis:', '    image: redis', '    ports:', '      - "127.0.0.1::6379"'));
    });

    it('adds host_ip to the long syntax at the entry indentation', () => {
      const text = lines('services:', '  ollama:', '    image: ollama/ollama', '    ports:', '      - target: 11434', '        published: 11434', 'volumes: {}');
      assertFixWorks(text, RULE, undefined, lines('services:', '  ollama:', '    image: ollama/ollama', '    ports:', '      - target: 11434', '        published: 11434', '        host_ip: 127.0.0.1', 'volumes: {}'));
    });

    it('offers to remove the publication when another service reaches it over the network', () => {
      const text = lines(
        'services:',
        '  ollama:',
        '    image: ollama/ollama',
        '    ports:',
        '      - "11434:11434"',
        '  open-webui:',
        '    image: ghcr.io/open-webui/open-webui:main',
        '    environment:',
        '      - OLLAMA_BASE_URL=http://ollama:11434',
      );
      const [f] = check(text);
      assert.deepEqual(f.fixes.map((x) => x.title), ['Bind to 127.0.0.1 (reachable from this host only)', 'Remove the publication ("open-webui" reaches "ollama" over the compose network)']);
      assertFixWorks(text, RULE, /^Remove the publication/, lines('services:', '  ollama:', '    image: ollama/ollama', '  open-webui:', '    image: ghcr.io/open-webui/open-webui:main', '    environment:', '      - OLLAMA_BASE_URL=http://ollama:11434'));
    });

    it('does not offer removal when nothing else uses the service', () => {
      const text = lines('services:', '  ollama:', '    image: ollama/ollama', '    ports:', '      - "11434:11434"');
      assert.equal(check(text)[0].fixes.length, 1);
    });
  });
});
