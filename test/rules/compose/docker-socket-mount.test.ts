import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'compose/docker-socket-mount';
const check = (text: string) => only(lint(text), RULE);

describe(RULE, () => {
  it('flags the socket in the short syntax, both paths, :ro included', () => {
    const text = lines(
      'services:',
      '  watchtower:',
      '    image: containrrr/watchtower:1.7.1',
      '    volumes:',
      '      - /var/run/docker.sock:/var/run/docker.sock',
      '      - "/run/docker.sock:/tmp/docker.sock:ro"',
      "      - '//var/run/docker.sock:/sock:z,ro'",
    );
    const found = check(text);
    assert.deepEqual(
      found.map((f) => f.range),
      ['/var/run/docker.sock:/var/run/docker.sock', '"/run/docker.sock:/tmp/docker.sock:ro"', "'//var/run/docker.sock:/sock:z,ro'"].map((n) => rangeOf(text, n)),
    );
    assert.ok(found.every((f) => f.severity === 'warning' && f.fixes.length === 0));
    assert.doesNotMatch(found[0].message, /read-only/);
    assert.match(found[1].message, /read-only does not help/);
    assert.match(found[2].message, /read-only does not help/);
  });

  it('flags the long syntax at its source entry, read_only included', () => {
    const text = lines(
      'services:',
      '  traefik:',
      '    image: traefik:v3.1',
      '    volumes:',
      '      - type: bind',
      '        source: /var/run/docker.sock',
      '        target: /var/run/docker.sock',
      '        read_only: true',
      '      - {type: bind, source: /run/docker.sock, target: /s}',
    );
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'source: /var/run/docker.sock'), rangeOf(text, 'source: /run/docker.sock')]);
    assert.match(found[0].message, /read-only does not help/);
  });

  it('leaves other sockets, named volumes, container-side paths and interpolation alone', () => {
    const text = lines(
      'services:',
      '  a:',
      '    image: a:1',
      '    volumes:',
      '      - /var/run/docker.sock.d:/x',
      '      - /var/run/containerd/containerd.sock:/c.sock',
      '      - docker.sock:/var/run/docker.sock',
      '      - ./docker.sock:/var/run/docker.sock',
      '      - ${DOCKER_SOCK:-/var/run/docker.sock}:/var/run/docker.sock',
      '      - /var/run/docker.sock',
    );
    assert.deepEqual(check(text), []);
  });

  it('reports a mount shared through an anchor once', () => {
    const text = lines('x-s: &s', '  volumes:', '    - /var/run/docker.sock:/var/run/docker.sock', 'services:', '  a:', '    <<: *s', '    image: a:1', '  b:', '    <<: *s', '    image: b:1');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, '/var/run/docker.sock:/var/run/docker.sock')]);
  });
});
