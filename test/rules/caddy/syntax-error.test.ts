import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';
import { CADDYFILE, at, findingsOf, places } from './workspace';
import { parseCaddyfile } from '../../../rules/caddy/model';
import { lex } from '../../../rules/caddy/lexer';

const RULE = 'caddy/syntax-error';
const FILE = { file: '/work/project/Caddyfile' };
const check = (text: string) => only(lint(text, FILE), RULE);

describe(RULE, () => {
  describe('lexer, as Caddy reads a Caddyfile', () => {
    it('splits on whitespace; # starts a comment only at a token start', () => {
      const { tokens } = lex('a b#c # comment {\n"d e"\td');
      assert.deepEqual(tokens.map((t) => t.text), ['a', 'b#c', 'd e', 'd']);
      assert.deepEqual(tokens.map((t) => [t.start, t.end]), [[0, 1], [2, 5], [18, 23], [24, 25]]);
    });

    it('quoted strings span lines and only \\" is an escape; backticks are raw', () => {
      const { tokens } = lex('respond "a \\"b\\" \\n c\nd" `x\\"y`');
      assert.deepEqual(tokens.map((t) => t.text), ['respond', 'a "b" \\n c\nd', 'x\\"y']);
      assert.deepEqual(tokens.map((t) => t.quote), ['', '"', '`']);
      assert.equal(tokens[2].line, 2);
    });

    it('a backslash before a line break continues the line (CRLF too)', () => {
      const { tokens } = lex('reverse_proxy a \\\r\n  b\r\nnext');
      assert.deepEqual(tokens.map((t) => [t.text, t.line]), [['reverse_proxy', 1], ['a', 1], ['b', 1], ['next', 3]]);
      const m = parseCaddyfile('x.example.com {\n\treverse_proxy a \\\n\t\tb\n}\n', '/p/Caddyfile');
      assert.deepEqual(m.sites[0].directives[0].args.map((t) => t.text), ['a', 'b']);
    });

    it('heredocs strip the closing marker\'s indentation and keep exact offsets', () => {
      const text = 'respond <<HTML\n\t\t<p>hi</p>\n\t\t  x\n\t\tHTML 200';
      const { tokens, errors } = lex(text);
      assert.deepEqual(errors, []);
      assert.equal(tokens[1].text, '<p>hi</p>\n  x');
      assert.equal(tokens[1].quote, '<');
      assert.equal(text.slice(tokens[1].start, tokens[1].end), '<<HTML\n\t\t<p>hi</p>\n\t\t  x\n\t\tHTML');
      assert.equal(tokens[2].text, '200');
    });

    it('placeholders are single tokens; UTF-8 offsets are UTF-16 columns', () => {
      const { tokens } = lex('{$DOMAIN:ü.example} {env.X} "héllo 👋" z');
      assert.deepEqual(tokens.map((t) => t.text), ['{$DOMAIN:ü.example}', '{env.X}', 'héllo 👋', 'z']);
      assert.equal(tokens[3].start, 'x'.length + '{$DOMAIN:ü.example} {env.X} "héllo 👋" '.length - 1);
    });
  });

  it('reports a heredoc with mismatched indentation at the line to fix', () => {
    const text = lines(':80 {', '\trespond <<END', '\t\tline1', '  END', '}');
    const [f] = check(text);
    assert.deepEqual(f.range, rangeOf(text, '\t\tline1'));
    assert.match(f.message, /mismatched leading whitespace in heredoc <<END/);
  });

  it('reports heredoc marker errors at the marker', () => {
    const text = lines(':80 {', '\trespond <<END!', '\tx', '\tEND!', '}');
    assert.deepEqual(check(text)[0].range, rangeOf(text, '<<END!'));
    const three = lines(':80 {', '\trespond <<<END', '\tEND', '}');
    assert.match(check(three)[0].message, /too many '<'/);
  });

  it("reports an unclosed '{' at the brace that is never closed, once", () => {
    const text = lines('example.com {', '\thandle /api/* {', '\t\treverse_proxy api:8080', '}', '');
    const found = check(text.replace(/\n$/, ''));
    assert.equal(found.length, 1);
    assert.deepEqual(found[0].range, rangeOf(text, '{'));
  });

  it("reports '{' on its own line and a token after '{', and recovers to report the next error too", () => {
    const text = lines('example.com {', '\treverse_proxy app:8080', '\t{', '\t\theader_up Host {host}', '\t}', '\thandle { respond "x"', '\t}', '}');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, '{', 1), rangeOf(text, 'respond')]);
    assert.match(found[0].message, /Unexpected '\{' on a new line/);
    assert.match(found[1].message, /Unexpected next token after '\{' on same line/);
  });

  it('reports matchers outside a site, addresses Caddy refuses, and duplicate sites', () => {
    const text = lines('@api path /api/*', '', 'example.com:99999 {', '}', 'ws://a.example.com {', '}', ':8080 {', '}', ':8080 {', '}');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, '@api'), rangeOf(text, 'example.com:99999'), rangeOf(text, 'ws://a.example.com'), rangeOf(text, ':8080', 1)]);
  });

  it('reports a second site written without braces', () => {
    const text = lines('one.example.com', 'respond "one"', '', 'two.example.com', 'respond "two"');
    const [f] = check(text);
    assert.deepEqual(f.range, rangeOf(text, 'two.example.com'));
    assert.match(f.message, /curly braces around each site/);
  });

  it('reports snippet import cycles, anonymous import blocks and undefined named routes', () => {
    const text = lines('(a) {', '\timport b', '}', '(b) {', '\timport a', '}', 'example.com {', '\timport a', '\tinvoke nowhere', '}');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [{ start: { line: 4, character: 8 }, end: { line: 4, character: 9 } }, rangeOf(text, 'nowhere')]);
    assert.match(found[0].message, /cycle of imports/);
  });

  it('accepts the global options block, snippets, named routes, quoted braces, address lists and a site without braces', () => {
    const ok = [
      lines('{', '\tadmin localhost:2019', '}', '(s) {', '\tencode gzip', '}', '&(r) {', '\trespond "r"', '}', 'a.example.com, b.example.com', 'c.example.com {', '\timport s', '\tinvoke r', '\theader X "{" ', '\trespond "}" 200', '}'),
      lines('localhost:8080', '', 'encode gzip', 'respond "hi"'),
      '',
      '# only a comment\r\n',
      '\ufeff{\r\n\tdebug\r\n}\r\na.example.com {\r\n\trespond "BOM and CRLF"\r\n}\r\n',
    ];
    for (const text of ok) assert.deepEqual(check(text), [], text);
  });

  it("reports '{}' ending a line, tokens after a closing '}' and a stray '}' at the top level", () => {
    const text = lines('a.example.com {', '\thandle {}', '\trespond "x" {', '\t\tclose', '\t} extra', '}', '}');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, '{}'), rangeOf(text, 'extra'), rangeOf(text, '}', 3)]);
  });

  it('reports the global options block when it is not first', () => {
    const text = lines('example.com {', '}', '{', '\tdebug', '}');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, '{', 1)]);
  });

  it('never throws on truncated input', () => {
    const text = lines('{', '\tadmin :2019', '}', '(s) {', '\treverse_proxy a {', '\t\tto b', '\t}', '}', 'x.example.com {', '\timport s', '\trespond <<EOF', '\tEOF', '}');
    for (let i = 0; i <= text.length; i++) lint(text.slice(0, i), FILE);
  });
});

describe(`${RULE}: imports of files`, () => {
  it('a cycle of two files is reported at the import that closes it, in each file that is linted', async () => {
    const files = {
      [CADDYFILE]: lines('import Caddyfile.sites', 'a.example.com {', '\trespond ok', '}'),
      '/w/Caddyfile.sites': lines('b.example.com {', '\trespond ok', '}', 'import Caddyfile'),
    };
    const found = await findingsOf(files, RULE);
    assert.deepEqual(places(found), [at(files, CADDYFILE, 'Caddyfile.sites'), at(files, '/w/Caddyfile.sites', 'Caddyfile')]);
    assert.match(found[0].message, /a cycle of imports exists between \/w\/Caddyfile\.sites and \/w\/Caddyfile/);
  });

  it('a cycle further down the tree is reported at the import that leads into it', async () => {
    const files = {
      [CADDYFILE]: lines('a.example.com {', '\timport a.caddy', '}'),
      '/w/a.caddy': lines('encode gzip', 'import b.caddy'),
      '/w/b.caddy': lines('header -Server', 'import a.caddy'),
    };
    const [f, ...rest] = await findingsOf(files, RULE);
    assert.equal(rest.length, 0);
    assert.deepEqual(places([f]), [at(files, CADDYFILE, 'a.caddy')]);
    assert.match(f.message, /cycle of imports exists between \/w\/b\.caddy and \/w\/a\.caddy \(\/w\/b\.caddy:2 imports it back\)/);
  });

  it('a file importing itself is a cycle', async () => {
    const files = { [CADDYFILE]: lines('import Caddyfile', 'a.example.com {', '\trespond ok', '}') };
    assert.deepEqual(places(await findingsOf(files, RULE)), [at(files, CADDYFILE, 'Caddyfile')]);
  });

  it('a diamond is no cycle, and imports matching nothing are not errors', async () => {
    const files = {
      [CADDYFILE]: lines('a.example.com {', '\timport a.caddy', '\timport b.caddy', '\timport missing/*.caddy', '}'),
      '/w/a.caddy': lines('encode gzip', 'import common.caddy'),
      '/w/b.caddy': lines('header -Server', 'import common.caddy'),
      '/w/common.caddy': lines('log'),
    };
    assert.deepEqual(await findingsOf(files, RULE), []);
  });

  it("an imported file nobody lints on its own: its syntax errors are shown at the import", async () => {
    const files = { [CADDYFILE]: lines('import sites/*.caddy'), '/w/sites/a.caddy': lines('a.example.com:99999 {', '\trespond ok', '}') };
    const [f, ...rest] = await findingsOf(files, RULE);
    assert.equal(rest.length, 0);
    assert.deepEqual(places([f]), [at(files, CADDYFILE, 'sites/*.caddy')]);
    assert.match(f.message, /in sites\/a\.caddy:1: port 99999 is out of range/);
    // Caddy splices tokens, not blocks: a brace an imported fragment leaves open reads on into the importer.
    const spliced = { [CADDYFILE]: lines('a.example.com {', '\timport headers.caddy', '}'), '/w/headers.caddy': lines('header {', '\tX-Frame-Options DENY') };
    assert.deepEqual(await findingsOf(spliced, RULE), []);
    // A file linted on its own reports its errors itself.
    const own = { [CADDYFILE]: lines('import Caddyfile.sites'), '/w/Caddyfile.sites': lines('a.example.com {', '\trespond ok') };
    assert.deepEqual(places(await findingsOf(own, RULE)), [at(own, '/w/Caddyfile.sites', '{')]);
  });
});
