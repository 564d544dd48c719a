import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/weak-tls-protocols';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports SSLv3, TLSv1 and TLSv1.1 on their words', () => {
    const text = lines('server {', '    listen 443 ssl;', '    ssl_protocols SSLv3 TLSv1 TLSv1.1 TLSv1.2;', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'SSLv3 TLSv1 TLSv1.1'));
    assert.match(f.message, /SSLv3, TLSv1, TLSv1\.1/);
  });

  it('checks proxy_ssl_protocols too, and accepts TLSv1.2 and TLSv1.3', () => {
    assert.equal(check(lines('proxy_ssl_protocols TLSv1 TLSv1.2;')).length, 1);
    assert.deepEqual(check(lines('ssl_protocols TLSv1.2 TLSv1.3;', 'proxy_ssl_protocols TLSv1.3;')), []);
  });

  it('fixes to TLSv1.2 TLSv1.3', () => {
    const text = lines('server {', '\tssl_protocols SSLv3 TLSv1 TLSv1.1; # old', '}');
    assertFixWorks(text, RULE, undefined, lines('server {', '\tssl_protocols TLSv1.2 TLSv1.3; # old', '}'), { file: FILE });
  });
});
