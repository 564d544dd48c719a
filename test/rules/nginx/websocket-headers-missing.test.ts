import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { at, assertWorkspaceFixWorks, findingsOf, nginxTree, places } from './workspace';

const RULE = 'nginx/websocket-headers-missing';
const FILE = '/work/project/nginx/conf.d/webui.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);
const site = (...inner: string[]) => lines('server {', '    listen 443 ssl;', ...inner, '}');

describe(RULE, () => {
  it('reports Open WebUI proxied without the WebSocket settings, at the proxy_pass', () => {
    const text = site('    location / {', '        proxy_pass http://open-webui:8080;', '    }');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'proxy_pass http://open-webui:8080;'));
    assert.match(f.message, /lacks proxy_http_version 1\.1, the Upgrade header, the Connection header/);
  });

  it('accepts the usual settings, here or inherited, with a map for Connection', () => {
    const local = site('    location / {', '        proxy_pass http://open-webui:8080;', '        proxy_http_version 1.1;', '        proxy_set_header Upgrade $http_upgrade;', '        proxy_set_header Connection $connection_upgrade;', '    }');
    assert.deepEqual(check(local), []);
    const inherited = site('    proxy_http_version 1.1;', '    proxy_set_header Upgrade $http_upgrade;', '    proxy_set_header Connection "upgrade";', '    location / { proxy_pass http://open-webui:8080; }');
    assert.deepEqual(check(inherited), []);
  });

  it('sees that a location with its own proxy_set_header drops the inherited Upgrade header', () => {
    const text = site('    proxy_http_version 1.1;', '    proxy_set_header Upgrade $http_upgrade;', '    proxy_set_header Connection upgrade;', '    location / {', '        proxy_pass http://open-webui:8080;', '        proxy_set_header X-Real-IP $remote_addr;', '    }');
    assert.match(check(text)[0].message, /lacks the Upgrade header, the Connection header/);
  });

  describe('fixes', () => {
    it('inserts the version and the headers after the proxy_pass', () => {
      const text = site('    location / {', '        proxy_pass http://open-webui:8080;', '    }');
      const expected = site(
        '    location / {',
        '        proxy_pass http://open-webui:8080;',
        '        proxy_http_version 1.1;',
        '        proxy_set_header Upgrade $http_upgrade;',
        '        proxy_set_header Connection upgrade;',
        '    }',
      );
      assertFixWorks(text, RULE, undefined, expected, { file: FILE });
    });
    it('adds to the location\'s own headers and fixes a local version', () => {
      const text = site('    location / {', '        proxy_http_version 1.0;', '        proxy_pass http://open-webui:8080;', '        proxy_set_header Host $host;', '    }');
      const expected = site('    location / {', '        proxy_http_version 1.1;', '        proxy_pass http://open-webui:8080;', '        proxy_set_header Host $host;', '        proxy_set_header Upgrade $http_upgrade;', '        proxy_set_header Connection upgrade;', '    }');
      assertFixWorks(text, RULE, undefined, expected, { file: FILE });
    });
  });

  describe('across files (includes resolved in the workspace)', () => {
    const main = (...http: string[]) => lines('events {}', 'http {', ...http, '    include sites-enabled/*.conf;', '}');
    const site = '/w/nginx/sites-enabled/webui.conf';

    it('accepts the settings from a snippet included in the location', async () => {
      const files = nginxTree({
        'nginx.conf': main(),
        'sites-enabled/webui.conf': lines('server {', '    location / {', '        include snippets/websocket.conf;', '        proxy_pass http://open-webui:8080;', '    }', '}'),
        'snippets/websocket.conf': lines('proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection "upgrade";'),
      });
      assert.deepEqual(await findingsOf(files, RULE), []);
    });

    it('copies the headers nginx.conf sets into the location with the WebSocket ones', async () => {
      const files = nginxTree({
        'nginx.conf': main('    proxy_set_header X-Real-IP $remote_addr;'),
        'sites-enabled/webui.conf': lines('server {', '    location / {', '        proxy_pass http://open-webui:8080;', '    }', '}'),
      });
      assert.deepEqual(places(await findingsOf(files, RULE)), [at(files, site, 'proxy_pass http://open-webui:8080;')]);
      await assertWorkspaceFixWorks(files, RULE, /WebSocket/, {
        [site]: lines(
          'server {',
          '    location / {',
          '        proxy_pass http://open-webui:8080;',
          '        proxy_http_version 1.1;',
          '        proxy_set_header X-Real-IP $remote_addr;',
          '        proxy_set_header Upgrade $http_upgrade;',
          '        proxy_set_header Connection upgrade;',
          '    }',
          '}',
        ),
      });
    });

    it('offers no fix when a snippet included in the location sets a header it would have to change', async () => {
      const files = nginxTree({
        'nginx.conf': main(),
        'sites-enabled/webui.conf': lines('server {', '    location / {', '        include snippets/proxy.conf;', '        proxy_pass http://open-webui:8080;', '    }', '}'),
        'snippets/proxy.conf': lines('proxy_http_version 1.1;', 'proxy_set_header Connection "";'),
      });
      const [f, ...rest] = await findingsOf(files, RULE);
      assert.equal(rest.length, 0);
      assert.deepEqual({ file: f.file, range: f.range }, at(files, site, 'proxy_pass http://open-webui:8080;'));
      assert.deepEqual(f.fixes, []);
    });
  });
});
