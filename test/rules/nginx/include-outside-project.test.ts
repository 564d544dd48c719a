import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, lintWorkspace, only, rangeOf } from '../../helpers';

const RULE = 'nginx/include-outside-project';

const lintIn = (files: Record<string, string>, roots: string[]) => lintWorkspace(files, {}, roots);

describe(RULE, () => {
  const conf = '/p/nginx/nginx.conf';
  it('reports a relative include that climbs out of the project, at its argument, once each', async () => {
    const text = lines('events {}', 'http {', '    include /home/x/.npmrc;', '    include ../../outside/*.conf;', '    include ../../.npmrc;', '    include /*/*/*/*;', '}');
    const found = only(await lintIn({ [conf]: text, '/home/x/.npmrc': '//registry/:_authToken=abc', '/.npmrc': 'x' }, ['/p']), RULE);
    assert.deepEqual(
      found.map((f) => [f.range, f.severity]),
      [
        [rangeOf(text, '../../outside/*.conf'), 'info'],
        [rangeOf(text, '../../.npmrc'), 'info'],
      ],
    );
    assert.equal(found[0].message, '`include ../../outside/*.conf` is outside the project: not read (what it adds is unknown; keep the file in the project to have it checked).');
    assert.deepEqual(found[0].fixes, []);
  });

  it('an absolute path the project does not hold is a server file: unknown and not read, not reported', async () => {
    const text = lines('events {}', 'http {', '    include /etc/nginx/mime.types;', '    include /home/x/.npmrc;', '    include /*/*/*/*;', '}');
    const findings = await lintIn({ [conf]: text, '/home/x/.npmrc': 'SECRETLINE_abcdef123456 on;', '/etc/nginx/mime.types': 'types { SECRETLINE_x y; }' }, ['/p']);
    assert.deepEqual(only(findings, RULE), []);
    assert.ok(!JSON.stringify(findings).includes('SECRETLINE'));
  });

  it('does not read the outside file (its content reaches no finding)', async () => {
    const text = lines('events {}', 'http {', '    include /home/x/evil.conf;', '}');
    const findings = await lintIn({ [conf]: text, '/home/x/evil.conf': 'SECRETLINE_abcdef123456 on;' }, ['/p']);
    assert.ok(!JSON.stringify(findings).includes('SECRETLINE'));
  });

  it('looks /etc/nginx/… up in the project: beside nginx.conf, or under etc/nginx/', async () => {
    const text = lines('events {}', 'http {', '    include /etc/nginx/snippets/a.conf;', '    include /etc/nginx/conf.d/*.conf;', '}');
    const found = only(await lintIn({ [conf]: text, '/p/nginx/snippets/a.conf': 'gzip on;', '/p/etc/nginx/conf.d/b.conf': 'gzip on;' }, ['/p']), RULE);
    assert.deepEqual(found, []);
    // Not in the project: unknown, as any include the project does not hold.
    assert.deepEqual(only(await lintIn({ [conf]: text }, ['/p']), RULE), []);
  });

  it('accepts includes inside the project, and /etc/nginx itself as the project', async () => {
    const text = lines('events {}', 'http {', '    include conf.d/*.conf;', '    include mime.types;', '}');
    assert.deepEqual(only(await lintIn({ [conf]: text }, ['/p']), RULE), []);
    const live = lines('events {}', 'http {', '    include /etc/nginx/conf.d/*.conf;', '}');
    assert.deepEqual(only(await lintIn({ '/etc/nginx/nginx.conf': live }, ['/etc/nginx']), RULE), []);
  });

  it('stays quiet when no edge is known (one file linted alone)', () => {
    assert.deepEqual(only(lint('include /home/x/.npmrc;', { file: conf }), RULE), []);
  });
});
