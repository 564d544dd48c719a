import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNginx } from '../../../rules/nginx/model';
import { Ctx } from '../../../rules/nginx/directives';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/syntax-error';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe('nginx parser', () => {
  it('keeps exact offsets for names and arguments, with quotes and escapes resolved', () => {
    const text = lines('server {', '    add_header X-A "a \\"b\\" c";', "    return 200 'x\\'y';", '}');
    const m = parseNginx(text);
    const [server] = m.root;
    const [h, r] = server.block!.children;
    assert.equal(h.name, 'add_header');
    assert.deepEqual(h.args.map((a) => a.value), ['X-A', 'a "b" c']);
    assert.equal(text.slice(h.args[1].start, h.args[1].end), '"a \\"b\\" c"');
    assert.deepEqual(r.args.map((a) => a.value), ['200', "x'y"]);
    assert.equal(m.syntaxErrors.length, 0);
  });

  it('starts a comment with # only where a word starts', () => {
    // `#fff;` is a comment: the first directive runs on into the next line, as in nginx.
    const m = parseNginx(lines('add_header X-Color #fff;', 'add_header X a#b; # real comment'));
    assert.deepEqual(m.root.map((d) => d.args.map((a) => a.value)), [['X-Color', 'add_header', 'X', 'a#b']]);
    assert.equal(m.syntaxErrors.length, 0);
  });

  it('reads ${var} as part of a word, and a brace alone as a block', () => {
    const m = parseNginx(lines('location / {', '    return 200 ${scheme}://${host};', '}'));
    assert.deepEqual(m.root[0].block!.children[0].args.map((a) => a.value), ['200', '${scheme}://${host}']);
  });

  it('handles CRLF, tabs and UTF-8 with exact UTF-16 columns', () => {
    const text = 'server {\r\n\tserver_name пример.рф; # 😀\r\n\tlisten 80;\r\n}\r\n';
    const found = lint(text, { file: FILE });
    assert.deepEqual(found, []);
    const m = parseNginx(text);
    assert.equal(text.slice(m.all[1].args[0].start, m.all[1].args[0].end), 'пример.рф');
  });

  it('keeps Lua bodies opaque', () => {
    const text = lines('location / {', '    content_by_lua_block {', '        ngx.say("}{") -- }', '    }', '}');
    const m = parseNginx(text);
    assert.equal(m.syntaxErrors.length, 0);
    assert.equal(m.all.length, 2);
  });

  it('infers the context a fragment is included in', () => {
    assert.equal(parseNginx('events {}\nhttp {}\n').rootCtx, Ctx.main);
    assert.equal(parseNginx('server { listen 80; }\n').rootCtx, Ctx.http);
    assert.equal(parseNginx('location / { root /x; }\nlisten 80;\n').rootCtx, Ctx.server);
    assert.equal(parseNginx('proxy_pass http://x;\n').rootCtx, Ctx.location);
    assert.equal(parseNginx('proxy_buffering off;\n').rootCtx, Ctx.http);
  });

  it('never throws on garbage, binary or truncated input', () => {
    for (const text of ['{{{', '}}}', '"', "'", '\\', '${', 'a "b"c d;', '\u0000\u0001{;}', 'location / { if ($a) {', 'server {'.repeat(500)]) {
      assert.doesNotThrow(() => lint(text, { file: FILE }));
    }
  });
});

describe(RULE, () => {
  it('reports a missing ";" before "}" at the word it belongs after, with a fix', () => {
    const text = lines('server {', '    listen 80;', '    location / {', '        return 200', '    }', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, '200'));
    assert.match(f.message, /Missing ";" after "return"/);
    assertFixWorks(text, RULE, undefined, lines('server {', '    listen 80;', '    location / {', '        return 200;', '    }', '}'), { file: FILE });
  });

  it('reports an unclosed block at its name, and a stray "}"', () => {
    const text = lines('server {', '    listen 80;', '    location / {', '        return 200;', '    }');
    const [f] = check(text);
    assert.deepEqual(f.range, rangeOf(text, 'server'));
    assert.match(f.message, /never closed/);
    const stray = lines('server {', '    listen 80;', '}', '}');
    assert.deepEqual(check(stray).map((x) => x.range), [rangeOf(stray, '}', 1)]);
  });

  it('reports an unterminated string, a character glued to a closing quote, and empty statements', () => {
    const open = lines('server {', '    add_header X-A "never closed;', '}');
    assert.deepEqual(check(open)[0].range, rangeOf(open, '"'));
    const glued = lines('server {', '    add_header X-A "a"b;', '}');
    assert.deepEqual(check(glued)[0].range, rangeOf(glued, 'b', 0));
    const empty = lines('server {', '    listen 80;;', '}');
    assert.deepEqual(check(empty)[0].range, rangeOf(empty, ';', 1));
  });

  it('reports a block where a directive belongs and the reverse', () => {
    const text = lines('server {', '    root /srv { }', '    location /;', '}');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'root'), rangeOf(text, 'location')]);
  });

  it('recovers after an error: later errors are still found', () => {
    const text = lines('server {', '    listen 80;;', '    add_header X "a"b;', '}', '}');
    assert.equal(check(text).length, 3);
  });

  it('reports a whole config with no events block', () => {
    const text = lines('http {', '    server { listen 80; }', '}');
    const [f] = check(text);
    assert.match(f.message, /events/);
    assert.deepEqual(check(lines('events {}', 'http {', '    server { listen 80; }', '}')), []);
  });

  it('accepts valid configs of every shape', () => {
    const text = lines(
      'events {}',
      'http {',
      '    map $http_upgrade $connection_upgrade { default upgrade; "" close; }',
      '    upstream u { server 127.0.0.1:8080 weight=2 max_fails=3; keepalive 8; }',
      '    server {',
      '        listen 443 ssl;',
      '        http2 on;',
      '        location ~* \\.(png|jpg)$ { expires 30d; }',
      '        if ($request_method = POST) { return 405; }',
      '        location / { limit_except GET { deny all; } proxy_pass http://u; }',
      '    }',
      '}',
      'stream { server { listen 53 udp; proxy_pass 127.0.0.1:5353; } }',
    );
    assert.deepEqual(lint(text, { file: '/work/project/nginx.conf' }).filter((f) => f.severity === 'error'), []);
  });
});
