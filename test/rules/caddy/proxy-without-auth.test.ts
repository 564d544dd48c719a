import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'caddy/proxy-without-auth';
const FILE = { file: '/work/project/Caddyfile' };
const check = (text: string) => only(lint(text, FILE), RULE);
const HASH = '$2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG';

describe(RULE, () => {
  it('flags the 3-line Ollama Caddyfile at the reverse_proxy line', () => {
    const text = lines('ollama.example.com {', '\treverse_proxy localhost:11434', '}');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.range, rangeOf(text, 'reverse_proxy localhost:11434'));
    assert.match(f.message, /Ollama .*no authentication/);
  });

  it('understands path matchers: auth on /api/* leaves other paths open', () => {
    const text = lines('ai.example.com {', '\tbasic_auth /api/* {', `\t\talice ${HASH}`, '\t}', '\treverse_proxy ollama:11434', '}');
    const [f] = check(text);
    assert.deepEqual(f.range, rangeOf(text, 'reverse_proxy ollama:11434'));
    assert.match(f.message, /only covers \/api\/\*/);
    const covered = lines('ai.example.com {', '\tbasic_auth /api/* {', `\t\talice ${HASH}`, '\t}', '\treverse_proxy /api/* ollama:11434', '\thandle /api/generate {', '\t\treverse_proxy ollama:11434', '\t}', '}');
    assert.deepEqual(check(covered), []);
  });

  it('follows snippets into the site, and reports at the import', () => {
    const text = lines('(ollama) {', '\treverse_proxy localhost:11434', '}', '(auth) {', '\tbasic_auth {', `\t\talice ${HASH}`, '\t}', '}', 'a.example.com {', '\timport auth', '\timport ollama', '}', 'b.example.com {', '\timport ollama', '}');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, 'import ollama', 1)]);
  });

  it('auth in an enclosing handle, forward_auth, header checks and remote_ip allow-lists count', () => {
    const ok = [
      lines('a.example.com {', '\thandle /ai/* {', '\t\tbasic_auth {', `\t\t\talice ${HASH}`, '\t\t}', '\t\treverse_proxy ollama:11434', '\t}', '}'),
      lines('a.example.com {', '\tbasic_auth /ollama/* {', `\t\talice ${HASH}`, '\t}', '\thandle_path /ollama/* {', '\t\treverse_proxy localhost:11434', '\t}', '}'),
      lines('a.example.com {', '\tforward_auth authelia:9091 {', '\t\turi /api/verify', '\t}', '\treverse_proxy ollama:11434', '}'),
      lines('a.example.com {', '\t@key header Authorization "Bearer {$KEY}"', '\thandle @key {', '\t\treverse_proxy ollama:11434', '\t}', '\trespond 401', '}'),
      lines('a.example.com {', '\t@outside not remote_ip private_ranges', '\trespond @outside 403', '\treverse_proxy ollama:11434', '}'),
    ];
    for (const text of ok) assert.deepEqual(check(text), [], text);
  });

  it('in a route, auth after the proxy does not count', () => {
    const text = lines('a.example.com {', '\troute {', '\t\treverse_proxy ollama:11434', '\t\tbasic_auth {', `\t\t\talice ${HASH}`, '\t\t}', '\t}', '}');
    assert.equal(check(text).length, 1);
  });

  it('ignores services with auth of their own, unknown imports, named routes and import fragments', () => {
    assert.deepEqual(check(lines('a.example.com {', '\treverse_proxy open-webui:8080', '}')), []);
    assert.deepEqual(check(lines('a.example.com {', '\timport auth/*.caddy', '\treverse_proxy ollama:11434', '}')), []);
    assert.deepEqual(check(lines('&(ai) {', '\treverse_proxy ollama:11434', '}')), []);
    assert.deepEqual(only(lint(lines('reverse_proxy ollama:11434'), { file: '/work/project/ollama.caddy', format: 'caddy' }), RULE), []);
    assert.equal(only(lint(lines('reverse_proxy localhost:11434'), { file: '/work/project/ollama.caddy', format: 'caddy' }), 'caddy/ollama-host-rejected').length, 1, 'a fragment is still linted');
  });

  it('honours a portcullis-disable-next-line comment', () => {
    const text = lines('a.example.com {', '	# portcullis-disable-next-line caddy/proxy-without-auth -- behind a VPN', '	reverse_proxy ollama:11434', '}');
    assert.deepEqual(check(text), []);
  });

  it('fix: inserts basic_auth with placeholders above the proxy, in the file\'s indentation', () => {
    const text = lines('ollama.example.com {', '    reverse_proxy localhost:11434', '}');
    assertFixWorks(text, RULE, undefined, lines('ollama.example.com {', '    basic_auth {', '        {$AUTH_USER} {$AUTH_HASH}', '    }', '    reverse_proxy localhost:11434', '}'), FILE);
  });

  it('fix: uses basicauth in a file written for Caddy before 2.8, and works inside handle blocks', () => {
    const text = lines('a.example.com {', '\tbasicauth /x/* {', `\t\tbob ${HASH}`, '\t}', '\thandle /ai/* {', '\t\treverse_proxy ollama:11434', '\t}', '}');
    assertFixWorks(text, RULE, undefined, lines('a.example.com {', '\tbasicauth /x/* {', `\t\tbob ${HASH}`, '\t}', '\thandle /ai/* {', '\t\tbasicauth {', '\t\t\t{$AUTH_USER} {$AUTH_HASH}', '\t\t}', '\t\treverse_proxy ollama:11434', '\t}', '}'), FILE);
  });
});
