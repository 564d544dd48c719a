import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { originRegexWeakness } from '../../../rules/nginx/origin-regex';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/weak-origin-check';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);
/** An allow check: refuse what does not match, or mark what matches. */
const ifOrigin = (regex: string, op = '!~', variable = '$http_origin') => lines('server {', `    if (${variable} ${op} ${regex}) {`, op.startsWith('!') ? '        return 403;' : '        set $cors 1;', '    }', '}');

describe(RULE, () => {
  it('reports the regex of an if on $http_origin or $http_referer, quotes included, the closing ")" not', () => {
    for (const [regex, op, variable] of [
      ['"^https://example.com$"', '!~', '$http_origin'],
      ["'^https://example\\.com'", '~*', '$http_origin'],
      ['^https://([^/]+)?example\\.com$', '!~*', '$http_origin'],
      ['"https://example\\.com/"', '~', '$http_referer'],
    ]) {
      const text = ifOrigin(regex, op, variable);
      assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, regex)], regex);
    }
    // `( $var ~ regex)` with the parenthesis apart, and a regex glued to the ")".
    const apart = lines('if ( $http_origin ~ ^https://example.com$) { set $cors 1; }');
    assert.deepEqual(check(apart).map((f) => f.range), [rangeOf(apart, '^https://example.com$')]);
    assert.equal(check(apart)[0].severity, 'warning');
  });

  it('reports a regex key of a map over $http_origin', () => {
    const text = lines('map $http_origin $cors {', '    default "";', '    ~^https://(.*\\.)?example.com$ $http_origin;', '    ~^https://app\\.example\\.com$ $http_origin;', '}');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, '~^https://(.*\\.)?example.com$')]);
  });

  it('says what passes, for each kind of weakness', () => {
    const message = (regex: string, variable = '$http_origin') => check(ifOrigin(`"${regex}"`, '!~', variable))[0]?.message ?? '';
    assert.match(message('https://example\\.com$'), /not anchored with "\^"/);
    assert.match(message('example\\.com/', '$http_referer'), /"https:\/\/evil\.example\/\?example\.com\/"/);
    assert.match(message('^https://example\\.com'), /"https:\/\/example\.com\.evil\.example" passes/);
    assert.match(message('^https://some.example\\.com$'), /an unescaped "\." matches any character\): "https:\/\/some-example\.com" passes/);
    assert.match(message('^https://([^/]+)?example\\.com$'), /"\[\^\/\]"\): "https:\/\/evilexample\.com" passes/);
    assert.match(message('^https://example\\.com([^/]+)?$'), /"https:\/\/example\.com\.evil\.example" passes/);
    assert.match(message('^https://(.*\\.)?example\\.com/', '$http_referer'), /"https:\/\/evil\.example\/\?\.example\.com\/"/);
    assert.match(message('^([^!]+)?https://example\\.com$'), /before the scheme \("\[\^!\]"/);
    assert.match(message('^example\\.com$'), /no scheme/);
    assert.match(message('^https://example\\.com/$'), /no path/);
    assert.match(message('^https?://example\\.com/?cmd=x$', '$http_referer'), /the host "example\.comcmd=x"/);
  });

  it('accepts sound checks: anchored, dots escaped, subdomains before a literal dot, a port, a path for Referer', () => {
    for (const regex of [
      '^https://example\\.com$',
      '^https?://(www\\.)?example\\.com$',
      '^https://([a-z0-9-]+\\.)?example\\.com(:[0-9]{1,5})?$',
      '^https://l.o\\.example\\.com$',
      '^https://.*\\.example\\.com$',
      '^https://(app|api)\\.example\\.co\\.uk$',
      '^http://192\\.168\\.1\\.\\d+(:\\d+)?$',
      '^http://localhost(:\\d+)?$',
      '^https?://\\[::1\\](:\\d+)?$',
      '^(https?://)?(.+\\.)?example\\.com$',
      '^https://example\\.com/?$',
    ]) {
      assert.deepEqual(check(ifOrigin(`"${regex}"`)), [], regex);
    }
    for (const regex of ['^https://example\\.com/', '^https?://([^/]+\\.)?example\\.com/', '^https://example\\.com(/|$)']) {
      assert.deepEqual(check(ifOrigin(`"${regex}"`, '!~', '$http_referer')), [], regex);
    }
  });

  it('leaves block lists alone: a match that only refuses, keywords, the empty value, map entries that grant nothing', () => {
    assert.deepEqual(check(lines('server {', '    if ($http_referer ~* "(semalt|darodar)\\.com") {', '        return 403;', '    }', '}')), []);
    assert.deepEqual(check(ifOrigin('"(poker|casino|viagra)"', '~*', '$http_referer')), []);
    assert.deepEqual(check(ifOrigin('"^$"', '!~', '$http_referer')), []);
    assert.deepEqual(check(ifOrigin('"^(https://example\\.com/.*)?$"', '!~', '$http_referer')), []);
    assert.deepEqual(check(lines('map $http_origin $blocked {', '    default 0;', '    ~evil\\.example 0;', '}', 'map $http_referer $spam {', '    ~*semalt\\.com 1;', '}')), []);
  });

  it('knows hosting platforms where anyone gets a subdomain', () => {
    assert.match(check(ifOrigin('"^https://[a-z0-9-]+\\.vercel\\.app$"'))[0].message, /"https:\/\/evil\.vercel\.app" passes/);
    assert.deepEqual(check(ifOrigin('"^https://[a-z0-9-]+\\.myapp\\.vercel\\.app$"')), []);
  });

  it('leaves other variables, plain comparisons and patterns it cannot read alone', () => {
    assert.deepEqual(check(ifOrigin('"^https://example.com$"', '!~', '$http_host')), []);
    assert.deepEqual(check(ifOrigin('"https://example.com"', '=')), []);
    assert.deepEqual(check(ifOrigin('"^https://(example.com$"')), []);
    assert.deepEqual(check(lines('map $http_host $x {', '    ~^example.com 1;', '}')), []);
  });

  it('judges case-insensitive operators on lower case, and upper case literals of a case-sensitive one', () => {
    assert.deepEqual(check(ifOrigin('"^HTTPS://Example\\.COM$"', '!~*')), []);
    assert.match(check(ifOrigin('"^https://Example\\.com$"', '!~'))[0].message, /no browser sends/);
  });

  it('reads the shapes a pattern can take: alternatives, optional parts, classes, escapes', () => {
    const kind = (regex: string, header: 'origin' | 'referer' = 'origin', icase = false) => originRegexWeakness(regex, icase, header)?.kind;
    assert.equal(kind('^https://a\\.com$|https://b\\.com$'), 'unanchored-start');
    assert.equal(kind('^https://(a|b)\\.example\\.[a-z]+$'), 'open-domain');
    assert.equal(kind('^https://example\\.com(:.+)?$'), undefined, 'the port cannot change the host');
    assert.equal(kind('^https://example\\.com.*$'), 'open-domain');
    assert.equal(kind('^https://[e]xample[.]com$'), undefined);
    assert.equal(kind('^(?i)https://example\\.com$'), undefined);
    assert.equal(kind('^https://\\Qexample.com\\E$'), undefined);
    assert.equal(kind('^https://example\\x2ecom$'), undefined);
    assert.equal(kind('^https://(?<sub>[a-z]+\\.)?example\\.com$'), undefined);
    assert.equal(kind('^https://foo\\.example\\.com\\.tr$'), undefined);
    assert.equal(kind('^https://a.foo\\.example\\.com\\.tr$'), undefined);
    assert.equal(kind('^https://foo.example\\.com\\.tr$'), 'open-domain');
    assert.equal(kind('^https://example.com\\.tr$'), 'open-domain');
    assert.equal(kind('[unclosed'), undefined);
  });

  it('escapes the dots of the host name when that makes the check sound', () => {
    const quoted = ifOrigin('"^https://app.example.com$"');
    assertFixWorks(quoted, RULE, undefined, quoted.replace('app.example.com', 'app\\.example\\.com'), { file: FILE });
    const bare = lines('location / {', '    if ($http_referer !~* ^https?://(www.)?example.com/) { return 403; }', '}');
    assertFixWorks(bare, RULE, undefined, bare.replace('(www.)?example.com', '(www\\.)?example\\.com'), { file: FILE });
    const map = lines('map $http_origin $cors {', '    default "";', '    "~*^https://(.*\\.)?example.com$" $http_origin;', '}');
    assertFixWorks(map, RULE, undefined, map.replace('example.com$', 'example\\.com$'), { file: FILE });
    // Not when another weakness is left, or the dot is repeated (".+" is not a host's dot).
    assert.deepEqual(check(ifOrigin('"^https://example.com"'))[0].fixes, []);
    assert.deepEqual(check(ifOrigin('"^https://webv.+isor\\.com$"'))[0].fixes, []);
  });

  it('fixes the misspelled $http_referrer', () => {
    const text = lines('location / {', "    if ($http_referrer !~ '^https://example\\.com/') {", '        return 403;', '    }', '}');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, '$http_referrer')]);
    assertFixWorks(text, RULE, undefined, text.replace('$http_referrer', '$http_referer'), { file: FILE });
  });
});
