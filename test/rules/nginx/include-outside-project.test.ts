import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, lintWorkspace, only, rangeOf } from '../../helpers';

const RULE = 'nginx/include-outside-project';

const lintIn = (files: Record<string, string>, roots: string[]) => lintWorkspace(files, {}, roots);

describe(RULE, () => {
  const conf = '/p/nginx/nginx.conf';
  it('reports an include outside the project at its argument, once each', async () => {
    const text = lines('events {}', 'http {', '    include /home/x/.npmrc;', '    include ../../outside/*.conf;', '    include /*/*/*/*;', '}');
    const found = only(await lintIn({ [conf]: text, '/home/x/.npmrc': '//registry/:_authToken=abc' }, ['/p']), RULE);
    assert.deepEqual(
      found.map((f) => [f.range, f.severity]),
      [
        [rangeOf(text, '/home/x/.npmrc'), 'info'],
        [rangeOf(text, '../../outside/*.conf'), 'info'],
        [rangeOf(text, '/*/*/*/*'), 'info'],
      ],
    );
    assert.equal(found[0].message, '`include /home/x/.npmrc` is outside the project: not read (what it adds is unknown; keep the file in the project, e.g. under etc/nginx/, to have it checked).');
    assert.deepEqual(found[0].fixes, []);
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
    const missing = only(await lintIn({ [conf]: text }, ['/p']), RULE);
    assert.deepEqual(missing.map((f) => f.range), [rangeOf(text, '/etc/nginx/snippets/a.conf'), rangeOf(text, '/etc/nginx/conf.d/*.conf')]);
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
