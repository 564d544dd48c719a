import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { CADDYFILE, assertWorkspaceFixWorks, at, findingsOf, places } from './workspace';

const RULE = 'caddy/unknown-directive';
const FILE = { file: '/work/project/Caddyfile' };
const check = (text: string) => only(lint(text, FILE), RULE);

describe(RULE, () => {
  it('flags a misspelt directive with a did-you-mean', () => {
    const text = lines('example.com {', '\trevese_proxy app:8080', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, rangeOf(text, 'revese_proxy'));
    assert.match(f.message, /Did you mean "reverse_proxy"/);
  });

  it('checks handle/route bodies, global options, matcher definitions and checked subdirectives', () => {
    const text = lines(
      '{',
      '\tadmn localhost:2019',
      '}',
      'example.com {',
      '\t@api {',
      '\t\tpth /api/*',
      '\t}',
      '\thandle @api {',
      '\t\tHello',
      '\t}',
      '\treverse_proxy app:8080 {',
      '\t\theader_upp Host {host}',
      '\t}',
      '}',
    );
    assert.deepEqual(check(text).map((f) => f.range), ['admn', 'pth', 'Hello', 'header_upp'].map((n) => rangeOf(text, n)));
  });

  it('knows standard directives, common plugins, placeholders and free-form blocks', () => {
    const text = lines(
      '(snip) {',
      '\theader_up X-Real-IP {remote_host}',
      '}',
      'example.com {',
      '\tbasic_auth {',
      '\t\talice $2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG',
      '\t}',
      '\theader {',
      '\t\tX-Frame-Options DENY',
      '\t}',
      '\trate_limit {',
      '\t\tzone z {',
      '\t\t\tkey {remote_host}',
      '\t\t}',
      '\t}',
      '\tcrowdsec',
      '\t@m path /x',
      '\troute @m {',
      '\t\trespond "x"',
      '\t}',
      '\treverse_proxy app:8080 {',
      '\t\timport snip',
      '\t\t@err status 5xx',
      '\t\thandle_response @err {',
      '\t\t\trespond "oops"',
      '\t\t}',
      '\t}',
      '}',
    );
    assert.deepEqual(check(text), []);
  });

  it('offers no fix when nothing is close; says a plugin may be missing', () => {
    const text = lines('example.com {', '\tsome_plugin_thing on', '}');
    const [f] = check(text);
    assert.equal(f.fixes.length, 0);
    assert.match(f.message, /plugin/);
  });

  it('lints an import fragment (a file starting with a directive) as a site body', () => {
    const text = lines('header {', '\tX-Frame-Options DENY', '}', 'encod gzip');
    const frag = only(lint(text, { file: '/work/project/snippets/headers.caddyfile' }), RULE);
    assert.deepEqual(frag.map((f) => f.range), [rangeOf(text, 'encod')]);
  });

  it('fix: replaces the name with the suggestion', () => {
    const text = lines('example.com {', '\tfile_sever', '}');
    assertFixWorks(text, RULE, undefined, lines('example.com {', '\tfile_server', '}'), FILE);
  });
});

describe(`${RULE}: servers options, import blocks and fragments`, () => {
  it('checks the options of the servers global option (and its timeouts)', () => {
    const text = lines('{', '\tservers {', '\t\tsrv0 {', '\t\t\tlisten :8080', '\t\t}', '\t\ttimeouts {', '\t\t\tread_bdy 10s', '\t\t}', '\t\ttrusted_proxies static private_ranges', '\t}', '}');
    const found = only(lint(text, FILE), RULE);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'srv0'), rangeOf(text, 'read_bdy')]);
    assert.match(found[0].message, /Unknown servers option "srv0"/);
    assert.match(found[1].message, /Did you mean "read_body"/);
  });

  it("checks an import block's lines where the snippet splices them: as subdirectives of reverse_proxy", () => {
    const text = lines('(proxy) {', '\treverse_proxy app:8080 {', '\t\t{block}', '\t}', '}', ':8080 {', '\timport proxy {', '\t\theader_up Host {upstream_hostport}', '\t\tthis_is_nonsense', '\t}', '}');
    assert.deepEqual(only(lint(text, FILE), RULE).map((f) => f.range), [rangeOf(text, 'this_is_nonsense')]);
  });

  it('the same with the snippet in an imported file (Caddy\'s import_block_snippet_invalid_subdirective case)', async () => {
    const files = {
      [CADDYFILE]: lines('import testdata/snippet.conf', ':8080 {', '\timport test {', '\t\tthis_is_nonsense', '\t}', '}'),
      '/w/testdata/snippet.conf': lines('(test) {', '\treverse_proxy {', '\t\t{block}', '\t}', '}'),
    };
    assert.deepEqual(places(await findingsOf(files, RULE)), [at(files, CADDYFILE, 'this_is_nonsense')]);
  });

  it('a file of header_up lines (a fragment for a reverse_proxy block) is checked for near-misses only', () => {
    const text = lines('header_up Host localhost:11434', 'header_up X-Real-IP {remote_host}', 'heder_down -Server', 'my_plugin_option on');
    assert.deepEqual(only(lint(text, { file: '/work/project/ollama-headers', format: 'caddy' }), RULE).map((f) => f.range), [rangeOf(text, 'heder_down')]);
  });

  it('an unknown directive in an imported fragment is shown at the import; the fix edits the fragment', async () => {
    const files = { [CADDYFILE]: lines('a.example.com {', '\timport common.caddy', '}'), '/w/common.caddy': lines('encode gzip', 'heder -Server') };
    const [f, ...rest] = await findingsOf(files, RULE);
    assert.equal(rest.length, 0);
    assert.deepEqual(places([f]), [at(files, CADDYFILE, 'common.caddy')]);
    assert.match(f.message, /^In common\.caddy:2: Unknown directive "heder".*Did you mean "header"/);
    assert.deepEqual(f.related, [{ ...at(files, '/w/common.caddy', 'heder'), message: 'heder written here' }]);
    await assertWorkspaceFixWorks(files, RULE, undefined, { [CADDYFILE]: files[CADDYFILE], '/w/common.caddy': lines('encode gzip', 'header -Server') });
  });
  it('quotes only the first word of an imported line, cut, escaped, masked: a credentials file is not printed', async () => {
    const key = 'sk-or-v1-' + 'a1b2c3d4'.repeat(8);
    const shown: string[] = [];
    for (const line of ['https://bob:hunter2hunter2@github.com', `${key} tail`, 'x'.repeat(60), 'a\x1bb more words']) {
      const files = { [CADDYFILE]: lines('a.example.com {', '\timport creds', '}'), '/w/creds': lines('encode gzip', line) };
      for (const f of await findingsOf(files, RULE)) shown.push(f.message.replace(/^In creds:2: Unknown directive "(.*)": .*$/, '$1'));
    }
    assert.deepEqual(shown, ['https….com', 'sk-or…c3d4', 'x'.repeat(40) + '…', 'a\\x1bb']);
  });
});

