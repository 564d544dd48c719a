import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

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
