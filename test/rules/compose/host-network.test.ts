import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'compose/host-network';
const check = (text: string) => only(lint(text), RULE);

describe(RULE, () => {
  it('flags network_mode: host, quoted or not, at the entry', () => {
    const text = lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    network_mode: host', '  web:', '    image: w:1', '    network_mode: "host"');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'network_mode: host'), rangeOf(text, 'network_mode: "host"')]);
    assert.equal(found[0].severity, 'warning');
    assert.match(found[0].message, /"ollama" uses the host's network/);
    assert.deepEqual(found[0].fixes, []);
  });

  it('leaves other network modes, networks: and interpolated modes alone', () => {
    const text = lines(
      'services:',
      '  a:',
      '    image: a:1',
      '    network_mode: bridge',
      '  b:',
      '    image: b:1',
      '    network_mode: "service:a"',
      '  c:',
      '    image: c:1',
      '    network_mode: none',
      '  d:',
      '    image: d:1',
      '    network_mode: ${NET_MODE:-host}',
      '  e:',
      '    image: e:1',
      '    networks: [host]',
      '  f:',
      '    image: f:1',
      '    network_mode: hostname',
    );
    assert.deepEqual(check(text), []);
  });

  it('reports a mode that comes through an anchor once, at the anchor', () => {
    const text = lines('x-net: &net', '  network_mode: host', 'services:', '  a:', '    <<: *net', '    image: a:1', '  b:', '    <<: *net', '    image: b:1');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, 'network_mode: host')]);
  });

  it('can be disabled by a comment', () => {
    const text = lines('services:', '  a:', '    image: a:1', '    # portcullis-disable-next-line compose/host-network', '    network_mode: host');
    assert.deepEqual(check(text), []);
  });
});
