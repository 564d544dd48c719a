import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

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
