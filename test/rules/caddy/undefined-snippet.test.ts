import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { CADDYFILE, assertWorkspaceFixWorks, at, findingsOf, places } from './workspace';

const RULE = 'caddy/undefined-snippet';
const FILE = { file: '/work/project/Caddyfile' };
const check = (text: string) => only(lint(text, FILE), RULE);

describe(RULE, () => {
  it('flags an import of a snippet that is not defined, at the name', () => {
    const text = lines('(common) {', '\tencode gzip', '}', 'example.com {', '\timport comon', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'comon'));
    assert.match(f.message, /Did you mean "common"/);
  });

  it('flags a snippet imported before its definition', () => {
    const text = lines('example.com {', '\timport later', '}', '(later) {', '\tencode gzip', '}');
    const [f] = check(text);
    assert.deepEqual(f.range, rangeOf(text, 'later'));
    assert.match(f.message, /defined further down/);
  });

  it('leaves file imports, globs, placeholders and defined snippets alone', () => {
    const text = lines('(s) {', '\timport {args[0]}', '}', 'import sites/*.caddy', 'example.com {', '\timport s', '\timport ./extra.conf', '}');
    assert.deepEqual(check(text), []);
  });

  it('says nothing once a file is imported: it may define the snippet', () => {
    const text = lines('import snippets.caddy', 'example.com {', '\timport from_file', '}');
    assert.deepEqual(check(text), []);
  });

  it('fix: imports the closest defined snippet', () => {
    const text = lines('(common) {', '\tencode gzip', '}', 'example.com {', '\timport comon', '}');
    assertFixWorks(text, RULE, undefined, lines('(common) {', '\tencode gzip', '}', 'example.com {', '\timport common', '}'), FILE);
  });
});

describe(`${RULE}: imports followed across files`, () => {
  it('a snippet defined in an imported file is defined; a name defined nowhere is reported', async () => {
    const files = {
      [CADDYFILE]: lines('import snippets/*.caddy', 'a.example.com {', '\timport common', '\timport comon2', '}'),
      '/w/snippets/common.caddy': lines('(common) {', '\tencode gzip', '}'),
    };
    const [f, ...rest] = await findingsOf(files, RULE);
    assert.equal(rest.length, 0);
    assert.deepEqual(places([f]), [at(files, CADDYFILE, 'comon2')]);
    assert.match(f.message, /or the files it imports.*Did you mean "common"/);
  });

  it('a site file uses the snippets of the file that imports it', async () => {
    const files = {
      [CADDYFILE]: lines('(common) {', '\tencode gzip', '}', 'import sites/*'),
      '/w/sites/Caddyfile.a': lines('a.example.com {', '\timport common', '}'),
    };
    assert.deepEqual(await findingsOf(files, RULE), []);
  });

  it('a bare name that is a file next to the Caddyfile is a file import', async () => {
    const files = { [CADDYFILE]: lines('a.example.com {', '\timport headers', '}'), '/w/headers': lines('header -Server') };
    assert.deepEqual(await findingsOf(files, RULE), []);
  });

  it('an import that matches nothing leaves every name possible', async () => {
    assert.deepEqual(await findingsOf({ [CADDYFILE]: lines('import snippets/*.caddy', 'a.example.com {', '\timport common', '}') }, RULE), []);
  });

  it('fix across files: imports the closest snippet defined in an imported file', async () => {
    const files = {
      [CADDYFILE]: lines('import snippets.caddy', 'a.example.com {', '\timport comon', '}'),
      '/w/snippets.caddy': lines('(common) {', '\tencode gzip', '}'),
    };
    await assertWorkspaceFixWorks(files, RULE, undefined, { [CADDYFILE]: lines('import snippets.caddy', 'a.example.com {', '\timport common', '}') });
  });

  it('a snippet of an imported file is known only after the import', async () => {
    const files = {
      [CADDYFILE]: lines('a.example.com {', '\timport common', '}', 'import snippets.caddy', 'b.example.com {', '\timport common', '}'),
      '/w/snippets.caddy': lines('(common) {', '\tencode gzip', '}'),
    };
    const [f, ...rest] = await findingsOf(files, RULE);
    assert.equal(rest.length, 0);
    assert.deepEqual(places([f]), [at(files, CADDYFILE, 'common')]);
    assert.match(f.message, /defined further down \(in snippets\.caddy, imported on line 4\).*Move that import above/);
  });
});

