import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/resolver-external';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports the first public address of a resolver, naming all of them', () => {
    const text = lines('resolver 127.0.0.53 8.8.8.8 [2606:4700:4700::1111]:53 valid=30s;', 'server {', '    resolver 1.1.1.1:53 ipv6=off;', '}');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, '8.8.8.8'), rangeOf(text, '1.1.1.1:53')]);
    assert.match(found[0].message, /^nginx asks 8\.8\.8\.8, \[2606:4700:4700::1111\]:53 over plain UDP DNS/);
    assert.equal(found[0].severity, 'warning');
  });

  it('accepts loopback, private, link-local and ULA addresses, and host names', () => {
    for (const servers of ['127.0.0.1', '127.0.0.1 ::1', '[::1]:53', '10.0.0.1', '172.16.0.2', '192.168.1.1:5353', '169.254.0.1', 'fea0:abcd:1234::1', 'fd00::53', '100.100.100.100', 'test.internal', 'dns.google', 'kube-dns.kube-system.svc.cluster.local valid=5s']) {
      assert.deepEqual(check(lines(`resolver ${servers};`)), [], servers);
    }
  });
});
