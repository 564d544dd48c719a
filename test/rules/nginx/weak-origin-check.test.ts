import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeConfig } from '../../../rules/core/config';
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

  describe('options', () => {
    /** The rule's options as `.portcullis.json` sets them. */
    const withOptions = (options: unknown) => ({ file: FILE, config: { rules: { [RULE]: 'warning' as const }, ruleOptions: { [RULE]: options as Record<string, unknown> } } });
    const checkWith = (text: string, options: unknown) => only(lint(text, withOptions(options)), RULE);

    it('domains: reports a check that lets a host of another domain through, and says which', () => {
      const options = { domains: ['yandex.com'] };
      const text = ifOrigin('"^https://([^/:]+)?\\.yandex\\.ru$"');
      const found = checkWith(text, options);
      assert.deepEqual(found.map((f) => f.range), [rangeOf(text, '"^https://([^/:]+)?\\.yandex\\.ru$"')]);
      assert.match(found[0].message, /lets "https:\/\/abc\.yandex\.ru" through: "abc\.yandex\.ru" is not one of the trusted domains \(yandex\.com\)/);
      assert.deepEqual(found[0].fixes, []);
      // A literal host of another domain, in a map too; an IP address or localhost unless listed.
      const map = lines('map $http_origin $cors {', '    ~^https://(www\\.)?example\\.com$ $http_origin;', '    ~^https://example\\.org$ $http_origin;', '}');
      assert.deepEqual(checkWith(map, { domains: ['example.com'] }).map((f) => f.range), [rangeOf(map, '~^https://example\\.org$')]);
      assert.match(checkWith(ifOrigin('"^http://localhost(:\\d+)?$"'), options)[0].message, /"localhost" is not one of/);
      assert.deepEqual(checkWith(ifOrigin('"^http://localhost(:\\d+)?$"'), { domains: ['yandex.com', 'localhost'] }), []);
      // Without the option, the same checks are sound.
      assert.deepEqual(check(text), []);
      assert.deepEqual(check(map), []);
    });

    it('domains: accepts the trusted domains and their subdomains, only past a literal dot', () => {
      const options = { domains: ['example.com', 'webvisor.com'] };
      for (const regex of ['^https://example\\.com$', '^https://([a-z0-9-]+\\.)?webvisor\\.com(:\\d+)?$', '^https://.*\\.example\\.com$', '^https://(app|api)\\.example\\.com$', '^https://(EXAMPLE|WebVisor)\\.COM$']) {
        assert.deepEqual(checkWith(ifOrigin(`"${regex}"`, '!~*'), options), [], regex);
      }
      assert.deepEqual(checkWith(ifOrigin('"^https?://([^/]+\\.)?example\\.com/"', '!~', '$http_referer'), options), []);
      // A trusted subdomain trusts its own subdomains only; "evilexample.com" is not under example.com.
      assert.equal(originRegexWeakness('^https://[a-z]+\\.b\\.example\\.com$', false, 'origin', { domains: ['a.b.example.com'] })?.kind, 'untrusted-domain');
      assert.equal(originRegexWeakness('^https://x\\.a\\.b\\.example\\.com$', false, 'origin', { domains: ['a.b.example.com'] }), undefined);
      assert.equal(originRegexWeakness('^https://evilexample\\.com$', false, 'origin', { domains: ['example.com'] })?.host, 'evilexample.com');
      // The other weaknesses keep their own message.
      assert.match(checkWith(ifOrigin('"^https://example\\.com"'), options)[0].message, /does not end the host name/);
    });

    it('httpsOnly: reports a check that accepts http, and drops the "?" of "https?"', () => {
      const text = ifOrigin("'^https?:\\/\\/yandex\\.ru$'");
      const found = checkWith(text, { domains: ['yandex.ru'], httpsOnly: true });
      assert.deepEqual(found.map((f) => f.range), [rangeOf(text, "'^https?:\\/\\/yandex\\.ru$'")]);
      assert.match(found[0].message, /lets "http:\/\/yandex\.ru" through: the scheme "http" is not https/);
      assert.deepEqual(check(text), []);
      assertFixWorks(text, RULE, 'Accept https only ("https://")', text.replace('https?', 'https'), withOptions({ httpsOnly: true }));
      const map = lines('map $http_origin $cors {', '    "~*^https?://(app|www)\\.example\\.com$|^https?://example\\.com$" $http_origin;', '}');
      assertFixWorks(map, RULE, undefined, map.replaceAll('https?', 'https'), withOptions({ httpsOnly: true }));
      // A plain "http://" has no "?" to drop: reported, no fix.
      const plain = checkWith(ifOrigin('"^http://example\\.com$"', '!~', '$http_referer'), { httpsOnly: true });
      assert.match(plain[0].message, /This Referer check lets "http:\/\/example\.com" through/);
      assert.deepEqual(plain[0].fixes, []);
      assert.deepEqual(checkWith(ifOrigin("'^https:\\/\\/yandex\\.ru$'"), { domains: ['yandex.ru'], httpsOnly: true }), []);
    });

    it('fixes only to a check the options accept', () => {
      // Escaping the dots of example.org still leaves an untrusted domain: no fix.
      const found = checkWith(ifOrigin('"^https://app.example.org$"'), { domains: ['example.com'] });
      assert.match(found[0].message, /an unescaped "\."/);
      assert.deepEqual(found[0].fixes, []);
      const text = ifOrigin('"^https://app.example.com$"');
      assertFixWorks(text, RULE, undefined, text.replace('app.example.com', 'app\\.example\\.com'), withOptions({ domains: ['example.com'], httpsOnly: true }));
    });

    it('reads options written in .portcullis.json, forgiving how a domain is written', () => {
      const text = ifOrigin('"^https://([a-z]+\\.)?example\\.org$"');
      const config = normalizeConfig({ rules: { [RULE]: ['warning', { domains: ['https://Example.COM/'] }] } });
      assert.equal(only(lint(text, { file: FILE, config }), RULE).length, 1);
      for (const domains of [['*.example.org'], ['example.org.'], ['EXAMPLE.ORG']]) assert.deepEqual(checkWith(text, { domains }), [], String(domains));
    });

    it('ignores option values of the wrong type, and "*"', () => {
      const text = ifOrigin('"^http://([a-z]+\\.)?example\\.org$"');
      for (const options of [{ domains: 'example.com' }, { domains: [42, null, {}] }, { domains: [] }, { domains: ['*'] }, { domains: ['not a host', 'a/b'] }, { httpsOnly: 'yes' }, { httpsOnly: 1 }, { domain: ['example.com'], https_only: true }]) {
        assert.deepEqual(checkWith(text, options), [], JSON.stringify(options));
      }
      // Valid entries next to invalid ones still count.
      assert.equal(checkWith(text, { domains: ['example.com', 7], httpsOnly: 'no' }).length, 1);
    });
  });
});
