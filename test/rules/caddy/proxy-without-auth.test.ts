import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyWorkspaceFix, assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';
import { CADDYFILE, assertWorkspaceFixWorks, at, findingsOf, places } from './workspace';

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

describe(`${RULE}: imports followed across files`, () => {
  const site = (...body: string[]) => lines('ai.example.com {', ...body.map((l) => `\t${l}`), '}');

  it('auth in an imported file protects the site', async () => {
    const files = { [CADDYFILE]: site('import auth.caddy', 'reverse_proxy localhost:11434'), '/w/auth.caddy': lines('basic_auth {', `\t{$AUTH_USER} ${HASH}`, '}') };
    assert.deepEqual(await findingsOf(files, RULE), []);
    // The same file with no auth in it: the site is open, and reported.
    const open = { ...files, '/w/auth.caddy': lines('encode gzip') };
    assert.deepEqual(places(await findingsOf(open, RULE)), [at(open, CADDYFILE, 'reverse_proxy localhost:11434')]);
  });

  it('a snippet defined in an imported file is followed', async () => {
    const files = {
      [CADDYFILE]: lines('import snippets.caddy', 'ai.example.com {', '\timport protect', '\treverse_proxy localhost:11434', '}', 'b.example.com {', '\timport open', '}'),
      '/w/snippets.caddy': lines('(protect) {', '\tforward_auth authelia:9091 {', '\t\turi /api/verify', '\t}', '}', '(open) {', '\treverse_proxy ollama:11434', '}'),
    };
    assert.deepEqual(places(await findingsOf(files, RULE)), [at(files, CADDYFILE, 'import open')]);
  });

  it('sites of a glob import are linted by their importer, reported at the import with a link to the proxy', async () => {
    const files = {
      [CADDYFILE]: lines('(auth) {', '\tbasic_auth {', `\t\talice ${HASH}`, '\t}', '}', 'import sites/*.caddy'),
      '/w/sites/a.caddy': lines('a.example.com {', '\timport auth', '\treverse_proxy ollama:11434', '}'),
      '/w/sites/b.caddy': lines('b.example.com {', '\treverse_proxy localhost:11434', '}'),
    };
    const [f, ...rest] = await findingsOf(files, RULE);
    assert.equal(rest.length, 0);
    assert.deepEqual(places([f]), [at(files, CADDYFILE, 'import sites/*.caddy')]);
    assert.match(f.message, /\(in sites\/b\.caddy:2\)/);
    assert.deepEqual(f.related, [{ ...at(files, '/w/sites/b.caddy', 'reverse_proxy localhost:11434'), message: 'reverse_proxy written here' }]);
    // The fix goes into the site, in its own file.
    await assertWorkspaceFixWorks(files, RULE, undefined, {
      [CADDYFILE]: files[CADDYFILE],
      '/w/sites/b.caddy': lines('b.example.com {', '\tbasic_auth {', '\t\t{$AUTH_USER} {$AUTH_HASH}', '\t}', '\treverse_proxy localhost:11434', '}'),
    });
  });

  it('a site file linted on its own uses the snippets of the file that imports it', async () => {
    const files = {
      [CADDYFILE]: lines('(auth) {', '\tbasic_auth {', `\t\talice ${HASH}`, '\t}', '}', 'import sites/*'),
      '/w/sites/Caddyfile.ai': lines('ai.example.com {', '\timport auth', '\treverse_proxy ollama:11434', '}'),
      '/w/sites/Caddyfile.open': lines('open.example.com {', '\treverse_proxy ollama:11434', '}'),
    };
    assert.deepEqual(places(await findingsOf(files, RULE)), [at(files, '/w/sites/Caddyfile.open', 'reverse_proxy ollama:11434')]);
  });

  it('an import matching nothing, and a cycle, stay unknown', async () => {
    assert.deepEqual(await findingsOf({ [CADDYFILE]: site('import auth/*.caddy', 'reverse_proxy ollama:11434') }, RULE), []);
    const cycle = { [CADDYFILE]: site('import a.caddy', 'reverse_proxy ollama:11434'), '/w/a.caddy': lines('import b.caddy'), '/w/b.caddy': lines('import a.caddy') };
    assert.deepEqual(await findingsOf(cycle, RULE), []);
  });

  it('a proxy in an imported fragment is reported at the import; the fix goes above it', async () => {
    const files = { [CADDYFILE]: site('import ollama.caddy'), '/w/ollama.caddy': lines('reverse_proxy ollama:11434') };
    const [f] = await findingsOf(files, RULE);
    assert.match(f.message, /\(in ollama\.caddy:1\)/);
    await assertWorkspaceFixWorks(files, RULE, undefined, {
      [CADDYFILE]: site('basic_auth {', '\t{$AUTH_USER} {$AUTH_HASH}', '}', 'import ollama.caddy'),
      '/w/ollama.caddy': files['/w/ollama.caddy'],
    });
  });

  it('several open sites through one import: one finding there, naming each, with each fix', async () => {
    const files = {
      [CADDYFILE]: lines('import sites/*.caddy'),
      '/w/sites/b.caddy': lines('b.example.com {', '\treverse_proxy localhost:11434', '}'),
      '/w/sites/c.caddy': lines('c.example.com {', '\thandle {', '\t\treverse_proxy ollama:11434', '\t}', '}'),
    };
    const [f, ...rest] = await findingsOf(files, RULE);
    assert.equal(rest.length, 0);
    assert.match(f.message, /\(in sites\/b\.caddy:2\).* The same holds through this import at sites\/c\.caddy:3\.$/);
    assert.deepEqual(f.related?.map((r) => r.file), ['/w/sites/b.caddy', '/w/sites/c.caddy']);
    assert.deepEqual(f.fixes.map((x) => [x.edits[0].file, !!x.preferred]), [['/w/sites/b.caddy', true], ['/w/sites/c.caddy', false]]);
    const fixed = applyWorkspaceFix(applyWorkspaceFix(files, f.fixes[0]), f.fixes[1]);
    assert.deepEqual(await findingsOf(fixed, RULE), []);
  });
});

