import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { at, assertWorkspaceFixWorks, findingsOf, nginxTree, places } from './workspace';

const RULE = 'nginx/status-page-exposed';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports stub_status with no access control, at the directive', () => {
    const text = lines('server {', '    listen 80;', '    location /nginx_status {', '        stub_status;', '    }', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'stub_status;'));
  });

  it('accepts allow/deny, auth_basic, and loopback-only servers', () => {
    for (const text of [
      lines('server {', '    location /s {', '        stub_status;', '        allow 127.0.0.1;', '        deny all;', '    }', '}'),
      lines('server {', '    auth_basic "x";', '    location /s { stub_status; }', '}'),
      lines('server {', '    listen 127.0.0.1:8080;', '    location /s { stub_status; }', '}'),
    ]) {
      assert.deepEqual(check(text), [], text);
    }
  });

  it('restricts to 127.0.0.1', () => {
    const text = lines('server {', '    listen 80;', '    location /nginx_status {', '        stub_status;', '    }', '}');
    assertFixWorks(text, RULE, undefined, lines('server {', '    listen 80;', '    location /nginx_status {', '        stub_status;', '        allow 127.0.0.1;', '        deny all;', '    }', '}'), { file: FILE });
  });

  describe('across files (includes resolved in the workspace)', () => {
    const main = lines('events {}', 'http {', '    include sites-enabled/*.conf;', '}');
    const fragment = lines('location /nginx_status {', '    stub_status;', '}');

    it('checks a location fragment in the server that includes it, and reports it in the fragment', async () => {
      const files = nginxTree({ 'nginx.conf': main, 'sites-enabled/x.conf': lines('server {', '    listen 80;', '    include snippets/status.conf;', '}'), 'snippets/status.conf': fragment });
      assert.deepEqual(places(await findingsOf(files, RULE)), [at(files, '/w/nginx/snippets/status.conf', 'stub_status;')]);
      await assertWorkspaceFixWorks(files, RULE, /^Allow only/, {
        '/w/nginx/snippets/status.conf': lines('location /nginx_status {', '    stub_status;', '    allow 127.0.0.1;', '    deny all;', '}'),
      });
    });

    it('accepts the fragment behind a loopback-only server or a server-wide deny all, and an access snippet', async () => {
      const loopback = nginxTree({ 'nginx.conf': main, 'sites-enabled/x.conf': lines('server {', '    listen 127.0.0.1:8080;', '    include snippets/status.conf;', '}'), 'snippets/status.conf': fragment });
      assert.deepEqual(await findingsOf(loopback, RULE), []);
      const denied = nginxTree({ 'nginx.conf': main, 'sites-enabled/x.conf': lines('server {', '    listen 80;', '    allow 10.0.0.0/8;', '    deny all;', '    include snippets/status.conf;', '}'), 'snippets/status.conf': fragment });
      assert.deepEqual(await findingsOf(denied, RULE), []);
      const snippet = nginxTree({
        'nginx.conf': main,
        'sites-enabled/x.conf': lines('server {', '    listen 80;', '    location /nginx_status {', '        stub_status;', '        include snippets/lan-only.conf;', '    }', '}'),
        'snippets/lan-only.conf': lines('allow 192.168.0.0/16;', 'deny all;'),
      });
      assert.deepEqual(await findingsOf(snippet, RULE), []);
    });
  });
});
