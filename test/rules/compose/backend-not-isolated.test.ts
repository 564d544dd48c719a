import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'compose/backend-not-isolated';
const check = (text: string) => only(lint(text), RULE);

describe(RULE, () => {
  it('flags a no-auth service on the default or a non-internal network, at its name', () => {
    const text = lines(
      'services:',
      '  ollama:',
      '    image: ollama/ollama:0.5.7',
      '  cache:',
      '    image: redis:7',
      '    networks: [front]',
      '  web:',
      '    image: web:1',
      'networks:',
      '  front: {}',
    );
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'ollama'), rangeOf(text, 'cache')]);
    assert.ok(found.every((f) => f.severity === 'info'));
    assert.match(found[0].message, /"ollama" \(Ollama, which has no authentication\) is on no internal network/);
  });

  it('accepts an internal network (a service list or map, or an internal default), network_mode and unknown names', () => {
    const text = lines(
      'services:',
      '  a:',
      '    image: ollama/ollama:0.5.7',
      '    networks: [front, back]',
      '  b:',
      '    image: redis:7',
      '    networks:',
      '      back:',
      '        aliases: [cache]',
      '  c:',
      '    image: redis:7',
      '    network_mode: host',
      '  d:',
      '    image: redis:7',
      '    networks: ["${NET}"]',
      'networks:',
      '  front: {}',
      '  back:',
      '    internal: true',
    );
    assert.deepEqual(check(text), []);
    const internalDefault = lines('services:', '  a:', '    image: ollama/ollama:0.5.7', 'networks:', '  default:', '    internal: yes');
    assert.deepEqual(check(internalDefault), []);
  });

  it('leaves services with auth, fragments, one-shot jobs (entrypoint replaced) and built services on a known port alone', () => {
    const text = lines(
      'services:',
      '  webui:',
      '    image: ghcr.io/open-webui/open-webui:v0.6.5',
      '  ollama:',
      '    ports: ["127.0.0.1:11434:11434"]',
      '  pull:',
      '    image: ollama/ollama:0.5.7',
      '    entrypoint: ["/bin/sh", "-c", "ollama pull llama3.2"]',
      '  admin:',
      '    build: ./admin',
      '    ports: ["9100:9100"]',
    );
    assert.deepEqual(check(text), []);
  });

  describe('fixes', () => {
    const title = /^Move "ollama" to the internal network/;

    it('declares backend, moves the service onto it and keeps each client on default and backend', () => {
      const text = lines(
        'services:',
        '  ollama:',
        '    image: ollama/ollama:0.5.7',
        '  open-webui:',
        '    image: ghcr.io/open-webui/open-webui:v0.6.5',
        '    environment:',
        '      - OLLAMA_BASE_URL=http://ollama:11434',
        '  n8n:',
        '    image: n8nio/n8n:1.80.0',
        '    depends_on: [ollama]',
        '    networks: [front]',
      );
      const [f] = check(text);
      assert.equal(f.fixes[0].title, 'Move "ollama" to the internal network "backend" with "open-webui", "n8n"');
      assert.equal(f.fixes[0].preferred, undefined);
      const fixed = assertFixWorks(
        text,
        RULE,
        title,
        lines(
          'services:',
          '  ollama:',
          '    image: ollama/ollama:0.5.7',
          '    networks:',
          '      - backend',
          '  open-webui:',
          '    image: ghcr.io/open-webui/open-webui:v0.6.5',
          '    environment:',
          '      - OLLAMA_BASE_URL=http://ollama:11434',
          '    networks:',
          '      - default',
          '      - backend',
          '  n8n:',
          '    image: n8nio/n8n:1.80.0',
          '    depends_on: [ollama]',
          '    networks: [front, backend]',
          'networks:',
          '  backend:',
          '    internal: true',
        ),
      );
      assert.deepEqual(check(fixed), []);
    });

    it('reuses an existing internal network and adds to a map of networks', () => {
      const text = lines(
        'services:',
        '  web:',
        '    image: web:1',
        '    depends_on:',
        '      redis:',
        '        condition: service_started',
        '    networks:',
        '      front:',
        '        aliases: [www]',
        '  redis:',
        '    image: redis:7',
        'networks:',
        '  front: {}',
        '  private:',
        '    internal: true',
      );
      assertFixWorks(
        text,
        RULE,
        /^Move "redis" to the internal network "private" with "web"$/,
        lines(
          'services:',
          '  web:',
          '    image: web:1',
          '    depends_on:',
          '      redis:',
          '        condition: service_started',
          '    networks:',
          '      front:',
          '        aliases: [www]',
          '      private: {}',
          '  redis:',
          '    image: redis:7',
          '    networks:',
          '      - private',
          'networks:',
          '  front: {}',
          '  private:',
          '    internal: true',
        ),
      );
    });

    it('adds backend to an existing top-level networks: map, in flow style for flow maps, keeping CRLF', () => {
      const text = lines('services:', '  redis: {image: "redis:7"}', '  app: {image: "app:1", depends_on: [redis], networks: [front]}', 'networks:', '  front: {}').replace(/\n/g, '\r\n');
      assertFixWorks(
        text,
        RULE,
        /^Move "redis"/,
        lines('services:', '  redis: {image: "redis:7", networks: [backend]}', '  app: {image: "app:1", depends_on: [redis], networks: [front, backend]}', 'networks:', '  front: {}', '  backend:', '    internal: true').replace(/\n/g, '\r\n'),
      );
    });

    it('offers no fix when the service publishes a port, reaches another service itself, or its networks come from an anchor', () => {
      const published = lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports: ["127.0.0.1:11434:11434"]');
      assert.deepEqual(check(published)[0].fixes, []);
      const client = lines('services:', '  searxng:', '    image: searxng/searxng:2024.6.1', '    environment:', '      - SEARXNG_REDIS_URL=redis://valkey:6379/0', '  valkey:', '    image: valkey/valkey:8', '    networks: [back]', 'networks:', '  back: {internal: true}');
      const [f] = check(client);
      assert.deepEqual(f.range, rangeOf(client, 'searxng'));
      assert.deepEqual(f.fixes, []);
      const anchored = lines('x-n: &n', '  networks: [front]', 'services:', '  redis:', '    <<: *n', '    image: redis:7', 'networks:', '  front: {}');
      assert.deepEqual(check(anchored)[0].fixes, []);
    });
  });
});
