import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, collectPreferredEdits, detectFormat, GlobSet, lintText, LineIndex, mergeConfig, normalizeConfig, parseDocument, registerFormat, runRules, type Finding } from '../../rules';
import { scanSuppressions } from '../../rules/core/suppress';
import { classifyAddress, parseImage } from '../../rules/knowledge/services';
import { lines, lint } from '../helpers';

const OLLAMA = lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', '      - "11434:11434"');

describe('detection', () => {
  const cases: [string, string | undefined, string | undefined][] = [
    ['/p/docker-compose.yml', '', 'compose'],
    ['/p/compose.yaml', '', 'compose'],
    ['/p/compose.ollama.yml', '', 'compose'],
    ['/p/docker-compose.override.yaml', '', 'compose'],
    ['/p/stack.yml', OLLAMA, 'compose'],
    ['/p/.github/workflows/ci.yml', lines('on: push', 'jobs:', '  build:', '    services:', '      redis:', '        image: redis'), undefined],
    ['/p/deploy.yaml', lines('apiVersion: v1', 'kind: Service', 'services:', '  a:', '    image: x'), undefined],
    ['/p/.gitlab-ci.yml', lines('services:', '  - docker:dind', 'stages: [build]'), undefined],
    ['/p/Caddyfile', '', 'caddy'],
    ['/p/Caddyfile.prod', '', 'caddy'],
    ['/p/site.caddyfile', '', 'caddy'],
    ['/etc/systemd/system/ollama.service', '', 'systemd'],
    ['/etc/systemd/system/ollama.service.d/override.conf', '', 'systemd'],
    ['/etc/systemd/system/ollama.service.d/10-env.conf', '', 'systemd'],
    ['/etc/nginx/nginx.conf', '', 'nginx'],
    ['/etc/nginx/sites-available/default', 'server { listen 80; }', 'nginx'],
    ['/etc/nginx/conf.d/ollama.conf', 'location / { proxy_pass http://127.0.0.1:11434; }', 'nginx'],
    ['/etc/supervisor/conf.d/app.conf', lines('[program:app]', 'command=/usr/bin/app'), undefined],
    ['/p/ollama.conf', lines('server {', '  listen 443 ssl;', '  location / { proxy_pass http://127.0.0.1:11434; }', '}'), 'nginx'],
    ['/p/ollama.conf', lines('[Service]', 'Environment="OLLAMA_HOST=0.0.0.0"'), 'systemd'],
    ['/etc/fail2ban/jail.local.conf', lines('[sshd]', 'enabled = true'), undefined],
    ['/etc/sysctl.d/99.conf', 'net.ipv4.ip_forward = 1\n', undefined],
    ['/p/README.md', '# hi', undefined],
  ];
  for (const [path, text, want] of cases) {
    it(`${path} → ${want ?? 'not ours'}`, () => assert.equal(detectFormat(path, text), want));
  }
  it('sniffs content in linear time (no regex backtracking on long words)', () => {
    const long = 'services:\n  ollama:\n    image: ollama/ollama:0.5.7\n' + 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(50) + '\n';
    assert.equal(detectFormat('/p/notes', long), undefined);
    assert.equal(detectFormat('/p/site', lines('example.com, www.example.com :8080 {', '\treverse_proxy localhost:3000', '}')), 'caddy');
  });

  it('uses the editor language id when the name says nothing', () => {
    assert.equal(detectFormat('/p/untitled-1', 'x', { languageId: 'dockercompose' }), 'compose');
  });
});

describe('engine', () => {
  it('reports positions as 0-based lines and UTF-16 columns, CRLF included', () => {
    const idx = new LineIndex('a\r\nbé😀c\nd');
    assert.deepEqual(idx.position(3), { line: 1, character: 0 });
    assert.deepEqual(idx.position(7), { line: 1, character: 4 });
    assert.deepEqual(idx.position(9), { line: 2, character: 0 });
    assert.equal(idx.offset({ line: 1, character: 4 }), 7);
    assert.equal(idx.lineText(1), 'bé😀c');
  });

  it('applies per-rule severity overrides and "off"', () => {
    assert.equal(lint(OLLAMA, { config: { rules: { 'compose/port-exposed-all-interfaces': 'info' } } }).find((f) => f.rule === 'compose/port-exposed-all-interfaces')?.severity, 'info');
    assert.equal(lint(OLLAMA, { config: { rules: { 'compose/port-exposed-all-interfaces': 'off' } } }).filter((f) => f.rule === 'compose/port-exposed-all-interfaces').length, 0);
    assert.deepEqual(lint(OLLAMA, { config: { enable: false } }), []);
  });

  it('keeps the other findings when one rule throws, and says which rule failed', () => {
    const failures: string[] = [];
    const restore = registerFormat({
      format: 'caddy',
      parse: (text) => text,
      rules: [
        { id: 'caddy/boom', format: 'caddy', severity: 'error', summary: 'always throws', check: () => { throw new Error('boom'); } },
        { id: 'caddy/ok', format: 'caddy', severity: 'warning', summary: 'always reports', check: (_m, ctx) => [{ range: ctx.range(0, 1), message: 'found' }] },
      ],
    });
    try {
      const r = lintText('/p/Caddyfile', 'x {\n}\n', { onRuleError: (f) => failures.push(f.rule) });
      assert.deepEqual(r.findings.map((f: Finding) => f.rule), ['caddy/ok']);
      assert.deepEqual(failures, ['caddy/boom']);
    } finally {
      restore();
    }
  });

  it('parses once and can run the rules many times on the same model', () => {
    const doc = parseDocument('/p/compose.yaml', OLLAMA, 'compose')!;
    assert.deepEqual(runRules(doc), runRules(doc));
  });
});

describe('suppression comments', () => {
  it('disable-next-line silences the named rule on the next line only', () => {
    const text = lines('services:', '  ollama:', '    image: ollama/ollama', '    ports:', '      # portcullis-disable-next-line compose/port-exposed-all-interfaces', '      - "11434:11434"', '      - "11435:11434"');
    assert.deepEqual(lint(text).filter((f) => f.rule === 'compose/port-exposed-all-interfaces').map((f) => f.range.start.line), [6]);
  });
  it('disable silences to the end of the file or until enable; several rules, or all', () => {
    const s = scanSuppressions(lines('a', '# portcullis-disable x/a, x/b -- reviewed', 'b', '# portcullis-enable x/a', 'c', '# portcullis-disable', 'd'));
    assert.equal(s.isSuppressed('x/a', 0), false);
    assert.equal(s.isSuppressed('x/a', 2), true);
    assert.equal(s.isSuppressed('x/b', 4), true);
    assert.equal(s.isSuppressed('x/a', 4), false);
    assert.equal(s.isSuppressed('x/c', 6), true);
  });
});

describe('config', () => {
  it('keeps the valid keys and lists the invalid ones', () => {
    const problems: { message: string }[] = [];
    const c = normalizeConfig({ enable: 'yes', rules: { 'a/b': 'off', 'a/c': 'loud' }, exclude: ['vendor/**'] }, problems);
    assert.deepEqual(c, { rules: { 'a/b': 'off' }, exclude: ['vendor/**'] });
    assert.equal(problems.length, 2);
    assert.deepEqual(mergeConfig({ rules: { x: 'off' } }, { rules: { y: 'error' } }).rules, { x: 'off', y: 'error' });
  });

  it('takes per-rule options as [severity, {options}], and gives each rule only its own', () => {
    const problems: { message: string }[] = [];
    const c = normalizeConfig({ rules: { 'caddy/opts': ['info', { domains: ['example.com'] }], 'a/bad': ['info', 'x'], 'a/short': ['info'] } }, problems);
    assert.deepEqual(c, { rules: { 'caddy/opts': 'info' }, ruleOptions: { 'caddy/opts': { domains: ['example.com'] } } });
    assert.deepEqual(problems.map((p) => p.message.slice(0, 11)), ['rule "a/bad', 'rule "a/sho']);
    const merged = mergeConfig({ ruleOptions: { 'caddy/opts': { a: 1 } } }, c);
    assert.deepEqual(merged.ruleOptions, { 'caddy/opts': { domains: ['example.com'] } });
    const seen: Record<string, unknown> = {};
    const probe = (id: string) => ({ id, format: 'caddy' as const, severity: 'warning' as const, summary: id, check: (_m: unknown, ctx: { options?: unknown }) => ((seen[id] = ctx.options), []) });
    const restore = registerFormat({ format: 'caddy', parse: (text) => text, rules: [probe('caddy/opts'), probe('caddy/none')] });
    try {
      lintText('/p/Caddyfile', 'x {\n}\n', { config: merged });
      assert.deepEqual(seen, { 'caddy/opts': { domains: ['example.com'] }, 'caddy/none': undefined });
    } finally {
      restore();
    }
  });

  it('adds the user\'s services to the knowledge table', () => {
    const text = lines('services:', '  llm:', '    image: acme/private-llm:1', '    ports:', '      - "9999:9999"');
    const config = { services: [{ name: 'Acme LLM', images: ['acme/private-llm'], noAuth: true }] };
    assert.equal(lint(text, { config }).find((f) => f.rule === 'compose/port-exposed-all-interfaces')?.severity, 'error');
  });
});

describe('edits and globs', () => {
  it('applies edits from the end, skipping overlaps', () => {
    const r = applyEdits('abcdef', [
      { range: { start: { line: 0, character: 1 }, end: { line: 0, character: 3 } }, newText: 'X' },
      { range: { start: { line: 0, character: 2 }, end: { line: 0, character: 4 } }, newText: 'Y' },
      { range: { start: { line: 0, character: 6 }, end: { line: 0, character: 6 } }, newText: '!' },
    ]);
    assert.equal(r.text, 'aXdef!');
    assert.equal(r.skipped.length, 1);
  });

  it('collects one preferred fix per place', () => {
    const findings = lint(lines('services:', '  a:', '    image: redis', '    ports: ["6379:6379", "6380:6379"]'));
    const { byFile } = collectPreferredEdits(findings);
    assert.equal([...byFile.values()][0].length, 2);
  });

  it('matches exclude globs like the editor does', () => {
    const g = new GlobSet(['vendor', 'deploy/**/old-*.yml', '*.bak', 'x/{a,b}/c']);
    assert.ok(g.matches('vendor/compose.yml'));
    assert.ok(g.matches('sub/vendor/compose.yml'));
    assert.ok(g.matches('deploy/a/b/old-compose.yml'));
    assert.ok(g.matches('deploy/old-1.yml'));
    assert.ok(g.matches('z/compose.yml.bak'));
    assert.ok(g.matches('x/b/c'));
    assert.ok(!g.matches('deploy/new.yml'));
    assert.ok(!g.matches('vendors/compose.yml'));
  });
});

describe('service knowledge', () => {
  it('classifies addresses', () => {
    for (const a of ['', '0.0.0.0', '::', '[::]', '8.8.8.8', '2001:db8::1']) assert.equal(classifyAddress(a), 'exposed', a);
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) assert.equal(classifyAddress(a), 'loopback', a);
    for (const a of ['10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '100.127.1.1', 'fd7a:115c:a1e0::1', 'fe80::1']) assert.equal(classifyAddress(a), 'private', a);
    assert.equal(classifyAddress('172.32.0.1'), 'exposed');
    assert.equal(classifyAddress('myhost'), 'unknown');
  });
  it('parses image references', () => {
    assert.deepEqual(parseImage('ollama/ollama'), { repository: 'ollama/ollama', tag: undefined, digest: undefined });
    assert.deepEqual(parseImage('docker.io/library/redis:7@sha256:abc'), { repository: 'redis', tag: '7', digest: 'sha256:abc' });
    assert.deepEqual(parseImage('ghcr.io/open-webui/open-webui:main'), { repository: 'open-webui/open-webui', tag: 'main', digest: undefined });
    assert.deepEqual(parseImage('registry.local:5000/team/app'), { repository: 'registry.local:5000/team/app', tag: undefined, digest: undefined });
  });
});
