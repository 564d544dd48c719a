import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { environmentOf, hasInterpolation, parseCompose, asBoolean } from '../../rules/compose/model';
import { parseShortPort } from '../../rules/compose/ports';
import { lines } from '../helpers';

describe('compose model', () => {
  it('resolves aliases and merge keys; own keys win, !reset removes, spans point into the anchor', () => {
    const text = lines(
      'x-base: &base',
      '  image: ollama/ollama',
      '  restart: always',
      '  privileged: true',
      'x-more: &more',
      '  mem_limit: 1g',
      'services:',
      '  a:',
      '    <<: [*base, *more]',
      '    restart: "no"',
      '    privileged: !reset null',
    );
    const m = parseCompose(text);
    assert.deepEqual(m.syntaxErrors, []);
    const a = m.services[0].node!;
    assert.deepEqual(a.pairs.map((p) => [p.key, p.merged]), [['restart', false], ['image', true], ['mem_limit', true]]);
    const image = a.get('image')!;
    assert.equal(text.slice(image.keySpan[0], image.keySpan[1]), 'image');
    assert.ok(image.keySpan[0] < text.indexOf('services:'), 'the merged key points into the anchor');
    assert.equal(a.get('privileged'), undefined);
  });

  it('reads environment in list and map form with exact spans', () => {
    const text = lines('services:', '  a:', '    environment:', '      - "WEBUI_AUTH=False"', '      - PLAIN=1', '      - FROM_SHELL', '  b:', '    environment:', '      KEY: value', '      EMPTY:');
    const m = parseCompose(text);
    const env = environmentOf(m.services[0].node, text);
    assert.deepEqual(env.map((e) => [e.name, e.value, e.form]), [['WEBUI_AUTH', 'False', 'list'], ['PLAIN', '1', 'list'], ['FROM_SHELL', undefined, 'list']]);
    assert.equal(text.slice(...env[0].valueSpan!), 'False');
    assert.equal(text.slice(...env[0].nameSpan), 'WEBUI_AUTH');
    const envB = environmentOf(m.services[1].node, text);
    assert.deepEqual(envB.map((e) => [e.name, e.value]), [['KEY', 'value'], ['EMPTY', undefined]]);
    assert.equal(text.slice(...envB[0].valueSpan!), 'value');
  });

  it('reports the first YAML error with its place and still models what parsed', () => {
    const text = lines('services:', '  a:', '    image: redis', '    ports: ["6379:6379"', 'volumes: {}');
    const m = parseCompose(text);
    assert.ok(m.syntaxErrors.length > 0);
    assert.equal(m.services[0].name, 'a');
  });

  it('rejects a top-level that is not a mapping', () => {
    assert.match(parseCompose('- a\n- b\n').syntaxErrors[0].message, /must be a mapping/);
  });

  it('understands interpolation and YAML 1.1 booleans', () => {
    assert.ok(hasInterpolation('${A}'));
    assert.ok(hasInterpolation('$A:80'));
    assert.ok(!hasInterpolation('$$A'));
    assert.ok(!hasInterpolation('plain'));
    const m = parseCompose(lines('services:', '  a:', '    privileged: "yes"', '    read_only: off'));
    assert.equal(asBoolean(m.services[0].node!.get('privileged')!.value), true);
    assert.equal(asBoolean(m.services[0].node!.get('read_only')!.value), false);
  });

  it('splits short port specs like Docker does', () => {
    assert.deepEqual(parseShortPort('127.0.0.1:8080:80/udp'), { hostIp: '127.0.0.1', hostIpKnown: true, published: '8080', target: '80', protocol: 'udp', targetPorts: [80], publishedPorts: [8080] });
    assert.equal(parseShortPort('[::1]:8080:80')!.hostIp, '[::1]');
    assert.equal(parseShortPort('::1:8080:80')!.hostIp, '::1');
    assert.deepEqual(parseShortPort('6379')!.targetPorts, [6379]);
    assert.equal(parseShortPort('${HOST:-0.0.0.0}:80:80')!.hostIpKnown, false);
    assert.deepEqual(parseShortPort('7000-7002:7000-7002')!.targetPorts, [7000, 7001, 7002]);
    assert.equal(parseShortPort('[::1:80'), undefined);
  });
});
