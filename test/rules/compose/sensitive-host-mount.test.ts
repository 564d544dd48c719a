import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'compose/sensitive-host-mount';
const check = (text: string) => only(lint(text), RULE);

describe(RULE, () => {
  it('flags binds of /, /etc, /root, /home, ~, $HOME and ${HOME} in the short syntax', () => {
    const items = ['/:/host:ro', '/etc:/host-etc', '"/root:/root"', '/home/:/home', '~:/data', '$HOME:/data', '"${HOME}:/h"', '~/:/data2'];
    const text = lines('services:', '  a:', '    image: a:1', '    volumes:', ...items.map((i) => `      - ${i}`));
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), items.map((i) => rangeOf(text, i)));
    assert.ok(found.every((f) => f.severity === 'warning' && f.fixes.length === 0));
    assert.match(found[0].message, /mounts the host's \/ at \/host: whoever controls the container can read the host's/);
    assert.match(found[1].message, /can read and change/);
  });

  it('flags the long syntax at its source entry', () => {
    const text = lines('services:', '  a:', '    image: a:1', '    volumes:', '      - type: bind', '        source: /etc', '        target: /host/etc', '        read_only: true');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'source: /etc'));
    assert.match(f.message, /can read the host's/);
  });

  it('leaves subpaths, named volumes, container-side paths and interpolated paths alone', () => {
    const text = lines(
      'services:',
      '  a:',
      '    image: a:1',
      '    volumes:',
      '      - /etc/localtime:/etc/localtime:ro',
      '      - /etc/timezone:/etc/timezone:ro',
      '      - /home/me/data:/data',
      '      - ~/.ollama:/root/.ollama',
      '      - $HOME/models:/models',
      '      - home:/home',
      '      - etc:/etc',
      '      - ./etc:/etc',
      '      - /srv/app:/root',
      '      - ${DATA_DIR:-/}:/data',
      '      - /etc',
      '      - type: volume',
      '        source: root',
      '        target: /',
    );
    assert.deepEqual(check(text), []);
  });
});
