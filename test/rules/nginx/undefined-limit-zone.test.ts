import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/undefined-limit-zone';
const FILE = '/work/project/nginx.conf';
const check = (text: string, file = FILE) => only(lint(text, { file }), RULE);
const conf = (...http: string[]) => lines('events {}', 'http {', ...http, '}');

describe(RULE, () => {
  it('reports limit_req and limit_conn naming undefined zones, at the zone', () => {
    const text = conf('    limit_req_zone $binary_remote_addr zone=api:10m rate=5r/s;', '    server {', '        limit_req zone=apii burst=10;', '        limit_conn perip 10;', '    }');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'zone=apii'), rangeOf(text, 'perip')]);
    assert.match(found[0].message, /zone "apii"/);
  });

  it('accepts defined zones', () => {
    const text = conf('    limit_req_zone $binary_remote_addr zone=api:10m rate=5r/s;', '    limit_conn_zone $binary_remote_addr zone=perip:10m;', '    server {', '        limit_req zone=api burst=10 nodelay;', '        limit_conn perip 10;', '    }');
    assert.deepEqual(check(text), []);
  });

  it('says nothing when an include or the main config could define the zone', () => {
    assert.deepEqual(check(conf('    include /etc/nginx/conf.d/*.conf;', '    server { limit_req zone=api; }')), []);
    assert.deepEqual(check(lines('server {', '    limit_req zone=api;', '}'), '/work/project/nginx/conf.d/site.conf'), []);
  });
});
