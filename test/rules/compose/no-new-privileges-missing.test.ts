import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'compose/no-new-privileges-missing';
const check = (text: string) => only(lint(text), RULE);
const TITLE = 'Add security_opt: no-new-privileges:true';

describe(RULE, () => {
  it('flags a service with no security_opt, or one without no-new-privileges, at its name', () => {
    const text = lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '  web:', '    build: .', '    security_opt:', '      - apparmor:unconfined');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'ollama'), rangeOf(text, 'web')]);
    assert.ok(found.every((f) => f.severity === 'info'));
    assert.match(found[0].message, /"ollama" does not set no-new-privileges/);
  });

  it('accepts no-new-privileges in its spellings, an explicit false, interpolation and anchors', () => {
    const text = lines(
      'x-sec: &sec',
      '  security_opt: [no-new-privileges:true]',
      'services:',
      '  a:',
      '    image: a:1',
      '    security_opt: ["no-new-privileges"]',
      '  b:',
      '    image: b:1',
      '    security_opt:',
      '      - no-new-privileges=true',
      '  c:',
      '    image: c:1',
      '    security_opt: [no-new-privileges:false]',
      '  d:',
      '    image: d:1',
      '    security_opt: ["${SEC_OPT}"]',
      '  e:',
      '    <<: *sec',
      '    image: e:1',
    );
    assert.deepEqual(check(text), []);
  });

  it('says nothing of a fragment (no image or build, or extends:), whose settings live elsewhere', () => {
    const text = lines('services:', '  ollama:', '    ports:', '      - 127.0.0.1:11434:11434', '  web:', '    extends:', '      file: base.yml', '      service: web', '  empty:');
    assert.deepEqual(check(text), []);
  });

  describe('fixes', () => {
    it('inserts a security_opt list into a block service', () => {
      const text = lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    volumes:', '      - ollama:/root/.ollama', 'volumes:', '  ollama: {}');
      const fixed = assertFixWorks(
        text,
        RULE,
        TITLE,
        lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    volumes:', '      - ollama:/root/.ollama', '    security_opt:', '      - no-new-privileges:true', 'volumes:', '  ollama: {}'),
      );
      assert.deepEqual(check(fixed), []);
      // Hardening can stop an image that relies on sudo: offered, never applied by --fix on its own.
      assert.equal(check(text)[0].fixes[0].preferred, undefined);
    });

    it("keeps a 4-space file's indentation and CRLF line ends", () => {
      const text = lines('services:', '    app:', '        image: app:1').replace(/\n/g, '\r\n');
      assertFixWorks(text, RULE, TITLE, lines('services:', '    app:', '        image: app:1', '        security_opt:', '            - no-new-privileges:true').replace(/\n/g, '\r\n'));
    });

    it('appends to an existing block or flow list', () => {
      const block = lines('services:', '  a:', '    image: a:1', '    security_opt:', '      - label:disable', '    restart: always');
      assertFixWorks(block, RULE, TITLE, lines('services:', '  a:', '    image: a:1', '    security_opt:', '      - label:disable', '      - no-new-privileges:true', '    restart: always'));
      const flow = lines('services:', '  a:', '    image: a:1', '    security_opt: [label:disable]');
      assertFixWorks(flow, RULE, TITLE, lines('services:', '  a:', '    image: a:1', '    security_opt: [label:disable, "no-new-privileges:true"]'));
      const empty = lines('services:', '  a:', '    image: a:1', '    security_opt: []');
      assertFixWorks(empty, RULE, TITLE, lines('services:', '  a:', '    image: a:1', '    security_opt: ["no-new-privileges:true"]'));
    });

    it('adds a flow entry to a flow-mapping service', () => {
      const text = lines('services:', '  a: {image: "a:1"}');
      assertFixWorks(text, RULE, TITLE, lines('services:', '  a: {image: "a:1", security_opt: ["no-new-privileges:true"]}'));
    });

    it('inserts into a service built from an anchor, and leaves an anchored list alone', () => {
      const text = lines('x-base: &base', '  image: a:1', 'services:', '  a:', '    <<: *base');
      assertFixWorks(text, RULE, TITLE, lines('x-base: &base', '  image: a:1', 'services:', '  a:', '    <<: *base', '    security_opt:', '      - no-new-privileges:true'));
      const shared = lines('x-base: &base', '  image: a:1', '  security_opt: [label:disable]', 'services:', '  a:', '    <<: *base');
      const [f] = check(shared);
      assert.deepEqual(f.fixes, []);
    });
  });
});
