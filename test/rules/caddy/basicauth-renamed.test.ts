import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'caddy/basicauth-renamed';
const FILE = { file: '/work/project/Caddyfile' };
const check = (text: string) => only(lint(text, FILE), RULE);
const HASH = '$2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG';

describe(RULE, () => {
  it('hints at basicauth, in sites, nested blocks and snippets', () => {
    const text = lines('(auth) {', '\tbasicauth {', `\t\ta ${HASH}`, '\t}', '}', 'x.example.com {', '\thandle /admin/* {', '\t\tbasicauth {', `\t\t\tb ${HASH}`, '\t\t}', '\t}', '}');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, 'basicauth'), rangeOf(text, 'basicauth', 1)]);
    assert.ok(found.every((f) => f.severity === 'hint'));
  });

  it('leaves basic_auth, quoted words and the global order option alone', () => {
    const text = lines('{', '\torder rate_limit before basicauth', '}', 'x.example.com {', '\tbasic_auth {', `\t\ta ${HASH}`, '\t}', '\trespond "basicauth"', '}');
    assert.deepEqual(check(text), []);
  });

  it('fix: renames to basic_auth', () => {
    const text = lines('x.example.com {', '\tbasicauth {', `\t\ta ${HASH}`, '\t}', '}');
    assertFixWorks(text, RULE, undefined, lines('x.example.com {', '\tbasic_auth {', `\t\ta ${HASH}`, '\t}', '}'), FILE);
  });
});
