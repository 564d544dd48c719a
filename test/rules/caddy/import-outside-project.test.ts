import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, lintWorkspace, only, rangeOf } from '../../helpers';

const RULE = 'caddy/import-outside-project';

const lintIn = (files: Record<string, string>, roots: string[]) => lintWorkspace(files, {}, roots);

describe(RULE, () => {
  const file = '/p/Caddyfile';
  it('reports a relative import that climbs out of the project, at its argument; an absolute one is a server file', async () => {
    const text = lines('import ../.npmrc', 'example.com {', '    import /home/x/.git-credentials', '    import ../../x/*.caddy', '    reverse_proxy app:8080', '}');
    const found = only(await lintIn({ [file]: text, '/.npmrc': 'token=abc', '/home/x/.git-credentials': 'https://u:p@host' }, ['/p']), RULE);
    assert.deepEqual(found.map((f) => [f.range, f.severity]), [
      [rangeOf(text, '../.npmrc'), 'info'],
      [rangeOf(text, '../../x/*.caddy'), 'info'],
    ]);
    assert.equal(found[0].message, '`import ../.npmrc` is outside the project: not read (what it adds is unknown; keep the file in the project to have it checked).');
  });

  it('never quotes the outside file', async () => {
    const text = lines('example.com {', '    import /home/x/creds', '}');
    const findings = await lintIn({ [file]: text, '/home/x/creds': 'ghp_SECRETSECRETSECRET1234' }, ['/p']);
    assert.ok(!JSON.stringify(findings).includes('SECRETSECRET'));
  });

  it('looks /etc/caddy/… up beside the Caddyfile; snippets and inside files are fine', async () => {
    const text = lines('(common) {', '    encode gzip', '}', 'import /etc/caddy/sites/*.caddy', 'example.com {', '    import common', '    import snippets/x.caddy', '}');
    const files = { [file]: text, '/p/sites/a.caddy': 'a.example.com {\n    respond ok\n}\n', '/p/snippets/x.caddy': 'encode gzip\n' };
    assert.deepEqual(only(await lintIn(files, ['/p']), RULE), []);
    // Not in the project: unknown, as any import the project does not hold.
    assert.deepEqual(only(await lintIn({ [file]: text, '/p/snippets/x.caddy': 'encode gzip\n' }, ['/p']), RULE), []);
  });

  it('stays quiet when no edge is known', () => {
    assert.deepEqual(only(lint('import ../.npmrc\n', { file }), RULE), []);
  });
});
