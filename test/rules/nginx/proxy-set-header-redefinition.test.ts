import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'nginx/proxy-set-header-redefinition';
const FILE = '/work/project/nginx/conf.d/site.conf';
const check = (text: string) => only(lint(text, { file: FILE }), RULE);

describe(RULE, () => {
  it('reports a location whose proxy_set_header drops the server-level ones, at its first one', () => {
    const text = lines('server {', '    proxy_set_header X-Real-IP $remote_addr;', '    location / {', '        proxy_pass http://app:3000;', '        proxy_set_header Upgrade $http_upgrade;', '    }', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(f.range, rangeOf(text, 'proxy_set_header Upgrade $http_upgrade;'));
    assert.match(f.message, /X-Real-IP is no longer passed upstream/);
  });

  it('accepts repeated headers and locations that set none', () => {
    assert.deepEqual(check(lines('server {', '    proxy_set_header Host $host;', '    location / { proxy_pass http://a; }', '    location /b { proxy_set_header Host $host; proxy_pass http://b; }', '}')), []);
  });

  it('fixes by repeating the dropped headers, keeping the indentation', () => {
    const text = lines('server {', '\tproxy_set_header X-Real-IP $remote_addr;', '\tlocation / {', '\t\tproxy_set_header Upgrade $http_upgrade;', '\t}', '}');
    const expected = lines('server {', '\tproxy_set_header X-Real-IP $remote_addr;', '\tlocation / {', '\t\tproxy_set_header X-Real-IP $remote_addr;', '\t\tproxy_set_header Upgrade $http_upgrade;', '\t}', '}');
    assertFixWorks(text, RULE, undefined, expected, { file: FILE });
  });

  it('copies a secret-named header whole in the edit, and gives outputs its masked form', () => {
    const text = lines('server {', '    proxy_set_header X-Api-Key "Zq8xW2mN4vB7kL1pQ3rT";', '    location / {', '        proxy_set_header Host $host;', '    }', '}');
    const [edit] = check(text)[0].fixes[0].edits;
    assert.equal(edit.newText, '        proxy_set_header X-Api-Key "Zq8xW2mN4vB7kL1pQ3rT";\n');
    assert.equal(edit.redacted, '        proxy_set_header X-Api-Key "Zq8xW…Q3rT";\n');
  });
});
