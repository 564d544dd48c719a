import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildExposure, detectFormat, FORMATS, lintText, type Format } from '../../rules';
import { lintWorkspaceProject } from '../helpers';

/**
 * Bad input never throws: truncations and seeded random mutations of every example and fixture,
 * binary junk, invalid UTF-8 and a huge file, in every format. A rule or parser that throws fails.
 */
const root = join(__dirname, '..', '..');

function files(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (statSync(p).size < 200_000) out.push(p);
  }
  return out;
}

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const JUNK = ['{', '}', ';', '"', "'", '`', '\\', '\n', '\r\n', '\t', '#', ':', '- ', '[', ']', '<<', '*a', '&a ', '${', '{$', '%', '=', '\u0000', '\uFFFD', '😀', 'é', ' '];

function mutate(text: string, random: () => number): string {
  const chars = [...text];
  const n = 1 + Math.floor(random() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(random() * (chars.length + 1));
    const op = random();
    if (op < 0.4) chars.splice(at, 0, JUNK[Math.floor(random() * JUNK.length)]);
    else if (op < 0.7) chars.splice(at, 1 + Math.floor(random() * 8));
    else chars.splice(at, 0, ...chars.slice(Math.floor(random() * chars.length), Math.floor(random() * chars.length)));
  }
  return chars.join('');
}

function check(file: string, text: string, format: Format) {
  lintText(file, text, {
    format,
    onRuleError: ({ rule, error }) => assert.fail(`${rule} threw on a variant of ${file}: ${(error as Error)?.stack ?? error}\n--- input ---\n${text.slice(0, 2000)}`),
  });
}

describe('robustness', () => {
  const seeds = [...files(join(root, 'examples')), ...files(join(root, 'test', 'fixtures'))]
    .map((p) => ({ p, text: readFileSync(p, 'utf8') }))
    .map((s) => ({ ...s, format: detectFormat(s.p, s.text) }))
    .filter((s): s is { p: string; text: string; format: Format } => !!s.format);

  it('has seeds for the compose format at least', () => {
    assert.ok(seeds.some((s) => s.format === 'compose'));
  });

  for (const seed of seeds) {
    it(`survives truncations and mutations of ${seed.p.slice(root.length + 1)}`, () => {
      const step = Math.max(1, Math.floor(seed.text.length / 150));
      for (let cut = 0; cut <= seed.text.length; cut += step) check(seed.p, seed.text.slice(0, cut), seed.format);
      const random = rng(seed.text.length);
      for (let i = 0; i < 300; i++) check(seed.p, mutate(seed.text, random), seed.format);
    });
  }

  for (const format of FORMATS) {
    it(`survives binary junk, invalid UTF-8 and a huge file as ${format}`, () => {
      const random = rng(42);
      const bytes = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256)));
      check(`/p/junk-${format}`, bytes.toString('utf8'), format);
      check(`/p/latin1-${format}`, bytes.toString('latin1'), format);
      check(`/p/empty-${format}`, '', format);
      check(`/p/deep-${format}`, '{'.repeat(5000) + '['.repeat(5000), format);
      check(`/p/huge-${format}`, 'a: b\n'.repeat(100_000), format);
    });
  }
});

/**
 * The same across files: a workspace whose files include and import each other (globs, cycles,
 * self-includes, a deployment with a proxy in front of a published port), every file truncated and
 * mutated in turn while the others stay whole. Linted as the CLI lints a folder (project, facts,
 * deployment rules, the overview): nothing throws.
 */
async function lintWithOverview(files: Record<string, string>) {
  const { findings, project } = await lintWorkspaceProject(files);
  return { findings, exposure: buildExposure(project.all().map((f) => f.facts), findings) };
}

describe('robustness across files', () => {
  const base: Record<string, string> = {
    '/w/compose.yaml': readFileSync(join(root, 'examples/docker-compose.yml'), 'utf8'),
    '/w/Caddyfile': readFileSync(join(root, 'examples/Caddyfile'), 'utf8') + '\nimport sites/*\nimport Caddyfile\n',
    '/w/sites/a.caddy': 'a.example.com {\n\timport ../snippets/auth.caddy\n\treverse_proxy localhost:11434\n}\n',
    '/w/sites/b.caddy': 'import a.caddy\n(snip) {\n\tbasic_auth {\n\t\tadmin hunter2\n\t}\n}\n',
    '/w/snippets/auth.caddy': 'basic_auth {\n\t{$U} {$H}\n}\nimport ../sites/b.caddy\n',
    '/w/nginx/nginx.conf': 'events {}\nhttp {\n  limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s;\n  include conf.d/*.conf;\n  include nginx.conf;\n}\n',
    '/w/nginx/conf.d/ollama.conf': readFileSync(join(root, 'examples/nginx/sites-available/ollama.conf'), 'utf8') + '\nserver {\n  location / {\n    include snippets/auth.conf;\n    limit_req zone=one;\n    proxy_pass http://backend;\n  }\n}\nupstream backend { server 127.0.0.1:3000; }\n',
    '/w/nginx/snippets/auth.conf': 'auth_basic "x";\nauth_basic_user_file /etc/nginx/htpasswd;\ninclude snippets/auth.conf;\n',
    '/w/ollama.service.d/override.conf': readFileSync(join(root, 'examples/systemd/ollama.service.d/override.conf'), 'utf8'),
  };

  it('never throws while any one file is cut short or mutated', async () => {
    const random = rng(8);
    let runs = 0;
    for (const file of Object.keys(base)) {
      const text = base[file];
      const variants = [0.2, 0.5, 0.8].map((cut) => text.slice(0, Math.floor(text.length * cut)));
      for (let i = 0; i < 3; i++) {
        const at = Math.floor(random() * text.length);
        variants.push(text.slice(0, at) + JUNK[Math.floor(random() * JUNK.length)] + text.slice(at + 1));
      }
      for (const v of variants) {
        const files = { ...base, [file]: v };
        const { findings, exposure } = await lintWithOverview(files);
        assert.ok(Array.isArray(findings) && Array.isArray(exposure.entries));
        runs++;
      }
    }
    assert.equal(runs, Object.keys(base).length * 6);
  });

  it('finds the cross-file problems of the whole workspace', async () => {
    const { findings, exposure } = await lintWithOverview(base);
    assert.ok(exposure.entries.length > 0);
    // The imported password is reported at the import; the bypass at the published port.
    assert.ok(findings.some((f) => f.rule === 'caddy/plaintext-basic-auth-password' && f.file === '/w/Caddyfile'));
    assert.ok(findings.some((f) => f.rule === 'deployment/proxy-bypass' && f.file === '/w/compose.yaml'));
  });
});
