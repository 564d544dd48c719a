import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'compose/openwebui-auth-disabled';
const check = (text: string) => only(lint(text), RULE);
const svc = (...env: string[]) => lines('services:', '  open-webui:', '    image: ghcr.io/open-webui/open-webui:v0.6.5', ...env);

/** An item's range, found with its dash and line end, as some items are prefixes of others. */
function itemRange(text: string, item: string) {
  const r = rangeOf(text, `- ${item}\n`);
  return { start: { line: r.start.line, character: r.start.character + 2 }, end: { line: r.start.line, character: r.start.character + 2 + item.length } };
}

describe(RULE, () => {
  it('flags every literal that is not "true" in list form, at the item', () => {
    const items = ['WEBUI_AUTH=False', '"WEBUI_AUTH=false"', "'WEBUI_AUTH=0'", 'WEBUI_AUTH=no', 'WEBUI_AUTH=', '"WEBUI_AUTH=true "'];
    const text = svc('    environment:', ...items.map((i) => `      - ${i}`));
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), items.map((i) => itemRange(text, i)));
    assert.ok(found.every((f) => f.severity === 'error'));
    assert.match(found[0].message, /WEBUI_AUTH=False turns off Open WebUI's login in "open-webui"/);
  });

  it('flags map form, booleans and strings, from key to value', () => {
    const text = svc('    environment:', '      WEBUI_AUTH: false', '      OTHER: x');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, 'WEBUI_AUTH: false')]);
    const quoted = svc('    environment:', "      WEBUI_AUTH: 'off'");
    assert.deepEqual(check(quoted).map((f) => f.range), [rangeOf(quoted, "WEBUI_AUTH: 'off'")]);
    const flow = svc('    environment: {WEBUI_AUTH: "False"}');
    assert.deepEqual(check(flow).map((f) => f.range), [rangeOf(flow, 'WEBUI_AUTH: "False"')]);
  });

  it('leaves true in any case, interpolation, values taken from the shell and other names alone', () => {
    const text = svc(
      '    environment:',
      '      - WEBUI_AUTH=True',
      '      - WEBUI_AUTH_TRUSTED_EMAIL_HEADER=X-Email',
      '      - ENABLE_SIGNUP=false',
    );
    assert.deepEqual(check(text), []);
    assert.deepEqual(check(svc('    environment:', '      WEBUI_AUTH: TRUE')), []);
    assert.deepEqual(check(svc('    environment:', '      WEBUI_AUTH: ${WEBUI_AUTH:-false}')), []);
    assert.deepEqual(check(svc('    environment:', '      - WEBUI_AUTH')), []);
    assert.deepEqual(check(svc('    environment:', '      WEBUI_AUTH:')), []);
  });

  describe('fixes', () => {
    it('replaces the value in list form, keeping the quotes', () => {
      const text = svc('    environment:', '      - "WEBUI_AUTH=false"', '      - PORT=8080');
      const fixed = assertFixWorks(text, RULE, 'Set WEBUI_AUTH to True', svc('    environment:', '      - "WEBUI_AUTH=True"', '      - PORT=8080'));
      assert.deepEqual(check(fixed), []);
      const plain = svc('    environment:', '      - WEBUI_AUTH=');
      assertFixWorks(plain, RULE, undefined, svc('    environment:', '      - WEBUI_AUTH=True'));
    });

    it('writes a quoted "True" in map form (a plain True would be a YAML boolean)', () => {
      const text = svc('    environment:', '      WEBUI_AUTH: false');
      assertFixWorks(text, RULE, undefined, svc('    environment:', '      WEBUI_AUTH: "True"'));
      const single = svc('    environment:', "      WEBUI_AUTH: 'False'");
      assertFixWorks(single, RULE, undefined, svc('    environment:', "      WEBUI_AUTH: 'True'"));
      const flow = svc('    environment: {WEBUI_AUTH: False, A: b}');
      assertFixWorks(flow, RULE, undefined, svc('    environment: {WEBUI_AUTH: "True", A: b}'));
    });

    it('rewrites a list item whose escapes make offsets inexact as a whole', () => {
      const text = svc('    environment:', '      - "WEBUI_AUTH=\\x66alse"');
      assertFixWorks(text, RULE, undefined, svc('    environment:', '      - "WEBUI_AUTH=True"'));
    });

    it('keeps CRLF line ends', () => {
      const text = svc('    environment:', '      - WEBUI_AUTH=False').replace(/\n/g, '\r\n');
      assertFixWorks(text, RULE, undefined, svc('    environment:', '      - WEBUI_AUTH=True').replace(/\n/g, '\r\n'));
    });
  });
});
