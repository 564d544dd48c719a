import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { at, assertWorkspaceFixWorks, CADDYFILE, findingsOf, HASH, places } from './workspace';

const RULE = 'caddy/plaintext-basic-auth-password';
const FILE = { file: '/work/project/Caddyfile' };
const check = (text: string) => only(lint(text, FILE), RULE);
const BCRYPT = '$2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG';

describe(RULE, () => {
  it('flags a plaintext password as an error, at the password, never showing it whole', () => {
    const text = lines('a.example.com {', '\tbasic_auth {', '\t\talice correct-horse-battery', '\t}', '\treverse_proxy app:8080', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, rangeOf(text, 'correct-horse-battery'));
    assert.ok(!f.message.includes('correct-horse-battery'));
    assert.ok(!f.message.includes('horse'));
  });

  it('flags basicauth too, and hashes of other algorithms', () => {
    const text = lines('a.example.com {', '\tbasicauth /admin/* {', '\t\tbob 5f4dcc3b5aa765d61d8327deb882cf99', '\t\tcarol $argon2i$v=19$m=16,t=2,p=1$c2FsdA$aGFzaA', '\t}', '}');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, '5f4dcc3b5aa765d61d8327deb882cf99'), rangeOf(text, '$argon2i$v=19$m=16,t=2,p=1$c2FsdA$aGFzaA')]);
  });

  it('accepts bcrypt ($2a$/$2b$/$2y$), argon2id, base64-encoded bcrypt (Caddy < 2.8) and placeholders', () => {
    const b64 = Buffer.from(BCRYPT).toString('base64');
    const text = lines(
      'a.example.com {',
      '\tbasic_auth bcrypt Realm {',
      `\t\ta ${BCRYPT}`,
      `\t\tb ${BCRYPT.replace('$2a$', '$2b$')}`,
      `\t\tc ${BCRYPT.replace('$2a$', '$2y$')}`,
      '\t\td $argon2id$v=19$m=47104,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo',
      `\t\te ${b64}`,
      '\t\t{$AUTH_USER} {$AUTH_HASH}',
      '\t\tf {env.F_HASH}',
      '\t}',
      '}',
    );
    assert.deepEqual(check(text), []);
  });

  it('fix: replaces the password with the {$AUTH_HASH} placeholder', () => {
    const text = lines('a.example.com {', '\tbasic_auth {', '\t\talice hunter22', '\t}', '}');
    assertFixWorks(text, RULE, undefined, lines('a.example.com {', '\tbasic_auth {', '\t\talice {$AUTH_HASH}', '\t}', '}'), FILE);
  });
});

describe(`${RULE}: across files`, () => {
  const chat = lines('chat.example.com {', '\tbasic_auth {', '\t\tadmin hunter2-horse', '\t}', '\treverse_proxy localhost:3000', '}');

  it('reports a password in an imported file nobody lints by itself at the import, masked, with the place linked and a fix in that file', async () => {
    const files = { [CADDYFILE]: lines('import sites/*'), '/w/sites/chat.caddy': chat };
    const [f, ...rest] = await findingsOf(files, RULE);
    assert.equal(rest.length, 0);
    assert.deepEqual({ file: f.file, range: f.range }, at(files, CADDYFILE, 'import sites/*'));
    assert.match(f.message, /\(in sites\/chat\.caddy:2\)$/);
    assert.ok(!f.message.includes('hunter2-horse'));
    assert.deepEqual(f.related, [{ ...at(files, '/w/sites/chat.caddy', 'hunter2-horse'), message: 'the password written here' }]);
    await assertWorkspaceFixWorks(files, RULE, undefined, { ...files, '/w/sites/chat.caddy': chat.replace('hunter2-horse', '{$AUTH_HASH}') });
  });

  it('leaves a password in an imported Caddyfile to that file (linted by itself): one finding, not two', async () => {
    const files = { [CADDYFILE]: lines('import sites/*'), '/w/sites/chat.caddyfile': chat };
    const found = await findingsOf(files, RULE);
    assert.deepEqual(places(found), [at(files, '/w/sites/chat.caddyfile', 'hunter2-horse')]);
  });

  it('accepts a hash in an imported file', async () => {
    assert.deepEqual(await findingsOf({ [CADDYFILE]: lines('import sites/*'), '/w/sites/chat.caddy': chat.replace('hunter2-horse', HASH) }, RULE), []);
  });
});
