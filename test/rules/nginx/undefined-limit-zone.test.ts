import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';
import { at, assertWorkspaceFixWorks, findingsOf, nginxTree, places } from './workspace';

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

  describe('across files (the whole include tree known)', () => {
    const main = (...http: string[]) => lines('events {}', 'http {', ...http, '    include sites-enabled/*.conf;', '}');
    const site = '/w/nginx/sites-enabled/x.conf';

    it('knows the zones nginx.conf defines when checking a site file, and reports the undefined one there', async () => {
      const files = nginxTree({
        'nginx.conf': main('    limit_req_zone $binary_remote_addr zone=api:10m rate=5r/s;', '    include conf.d/*.conf;'),
        'conf.d/conn.conf': lines('limit_conn_zone $binary_remote_addr zone=perip:10m;'),
        'sites-enabled/x.conf': lines('server {', '    limit_req zone=api burst=10;', '    limit_conn perip 10;', '    limit_req zone=typo;', '}'),
      });
      const found = await findingsOf(files, RULE);
      assert.deepEqual(places(found), [at(files, site, 'zone=typo')]);
      assert.match(found[0].message, /zone "typo"/);
    });

    it('reports in nginx.conf a zone no file of the tree defines', async () => {
      const files = nginxTree({ 'nginx.conf': main('    limit_req zone=nowhere;'), 'sites-enabled/x.conf': lines('server {', '    listen 80;', '}') });
      assert.deepEqual(places(await findingsOf(files, RULE)), [at(files, '/w/nginx/nginx.conf', 'zone=nowhere')]);
    });

    it('says nothing while an include matches no file, or when no main config includes the site', async () => {
      const missing = nginxTree({ 'nginx.conf': main('    include zones/*.conf;'), 'sites-enabled/x.conf': lines('server {', '    limit_req zone=api;', '}') });
      assert.deepEqual(await findingsOf(missing, RULE), []);
      const alone = nginxTree({ 'sites-enabled/x.conf': lines('server {', '    limit_req zone=api;', '}') });
      assert.deepEqual(await findingsOf(alone, RULE), []);
    });

    it('ignores a missing stock include (mime.types) and survives a cycle', async () => {
      const files = nginxTree({
        'nginx.conf': main('    include mime.types;', '    include conf.d/a.conf;'),
        'conf.d/a.conf': lines('limit_req_zone $binary_remote_addr zone=api:10m rate=5r/s;', 'include conf.d/b.conf;'),
        'conf.d/b.conf': lines('include conf.d/a.conf;'),
        'sites-enabled/x.conf': lines('server {', '    limit_req zone=api;', '    limit_req zone=nope;', '}'),
      });
      assert.deepEqual(places(await findingsOf(files, RULE)), [at(files, site, 'zone=nope')]);
    });
  });
});
