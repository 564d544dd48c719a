import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'compose/no-resource-limits';
const check = (text: string) => only(lint(text), RULE);

describe(RULE, () => {
  it('flags a service with no limit at its name', () => {
    const text = lines('services:', '  web:', '    image: web:1', '    deploy:', '      resources:', '        reservations:', '          memory: 1g', '  api:', '    build: .');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'web'), rangeOf(text, 'api')]);
    assert.ok(found.every((f) => f.severity === 'info'));
    assert.match(found[0].message, /"web" has no memory or CPU limit/);
  });

  it('accepts deploy.resources.limits, mem_limit, cpus, cpu_quota and limits from an anchor', () => {
    const text = lines(
      'x-lim: &lim',
      '  deploy: {resources: {limits: {memory: 1g}}}',
      'services:',
      '  a:',
      '    image: a:1',
      '    deploy:',
      '      resources:',
      '        limits:',
      '          cpus: "0.5"',
      '  b:',
      '    image: b:1',
      '    mem_limit: 512m',
      '  c:',
      '    image: c:1',
      '    cpus: 1.5',
      '  d:',
      '    image: d:1',
      '    cpu_quota: 50000',
      '  e:',
      '    <<: *lim',
      '    image: e:1',
      '  f:',
      '    image: f:1',
      '    deploy: {resources: {limits: {memory: "${F_MEM:-1g}"}}}',
    );
    assert.deepEqual(check(text), []);
  });

  it('says nothing of a fragment without image or build', () => {
    assert.deepEqual(check(lines('services:', '  web:', '    ports: ["127.0.0.1:80:80"]')), []);
  });

  describe('fixes', () => {
    const title = /^Limit memory to /;

    it('inserts deploy.resources.limits.memory: 2g, or 16g for a model server', () => {
      const text = lines('services:', '  web:', '    image: web:1', '  ollama:', '    image: ollama/ollama:0.5.7');
      const [web, ollama] = check(text);
      assert.equal(web.fixes[0].title, 'Limit memory to 2g (deploy.resources.limits)');
      assert.equal(ollama.fixes[0].title, 'Limit memory to 16g (deploy.resources.limits)');
      assert.equal(web.fixes[0].preferred, undefined);
      const once = assertFixWorks(text, RULE, title, lines('services:', '  web:', '    image: web:1', '    deploy:', '      resources:', '        limits:', '          memory: 2g', '  ollama:', '    image: ollama/ollama:0.5.7'));
      const twice = assertFixWorks(
        once,
        RULE,
        title,
        lines('services:', '  web:', '    image: web:1', '    deploy:', '      resources:', '        limits:', '          memory: 2g', '  ollama:', '    image: ollama/ollama:0.5.7', '    deploy:', '      resources:', '        limits:', '          memory: 16g'),
      );
      assert.deepEqual(check(twice), []);
    });

    it('inserts into an existing deploy: or resources:', () => {
      const deploy = lines('services:', '  web:', '    image: web:1', '    deploy:', '      restart_policy:', '        condition: on-failure', '    restart: always');
      assertFixWorks(deploy, RULE, title, lines('services:', '  web:', '    image: web:1', '    deploy:', '      restart_policy:', '        condition: on-failure', '      resources:', '        limits:', '          memory: 2g', '    restart: always'));
      const resources = lines('services:', '  web:', '    image: web:1', '    deploy:', '      resources:', '        reservations:', '          memory: 1g');
      assertFixWorks(resources, RULE, title, lines('services:', '  web:', '    image: web:1', '    deploy:', '      resources:', '        reservations:', '          memory: 1g', '        limits:', '          memory: 2g'));
    });

    it('writes flow style into flow mappings, an empty limits: {} included', () => {
      const flow = lines('services:', '  web:', '    image: web:1', '    deploy: {replicas: 1}');
      assertFixWorks(flow, RULE, title, lines('services:', '  web:', '    image: web:1', '    deploy: {replicas: 1, resources: {limits: {memory: 2g}}}'));
      const empty = lines('services:', '  web:', '    image: web:1', '    deploy: {resources: {limits: {}}}');
      assertFixWorks(empty, RULE, title, lines('services:', '  web:', '    image: web:1', '    deploy: {resources: {limits: {memory: 2g}}}'));
    });

    it('keeps CRLF and the file indentation', () => {
      const text = lines('services:', '    web:', '        image: web:1').replace(/\n/g, '\r\n');
      assertFixWorks(text, RULE, title, lines('services:', '    web:', '        image: web:1', '        deploy:', '            resources:', '                limits:', '                    memory: 2g').replace(/\n/g, '\r\n'));
    });

    it('offers no fix that would edit a deploy: shared through an anchor', () => {
      const text = lines('x-d: &d', '  deploy:', '    replicas: 1', 'services:', '  web:', '    <<: *d', '    image: web:1');
      assert.deepEqual(check(text)[0].fixes, []);
    });
  });
});
