import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { allRules } from '../../rules';

const root = join(__dirname, '..', '..');

/** Every rule has its file, its doc page and its test file; every rule file is registered. */
describe('rule layout', () => {
  const rules = allRules();

  it('registers rules with unique ids of the form <format>/<kebab-name>', () => {
    assert.ok(rules.length > 0);
    const ids = rules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate rule ids');
    for (const r of rules) {
      assert.match(r.id, /^(compose|nginx|caddy|systemd|secrets|deployment)\/[a-z0-9]+(-[a-z0-9]+)*$/, r.id);
      assert.ok(r.summary.length > 10, `${r.id} has a summary`);
    }
  });

  for (const r of rules) {
    it(`${r.id} has its rule file, doc page and test file`, () => {
      assert.ok(existsSync(join(root, 'rules', `${r.id}.ts`)), `rules/${r.id}.ts`);
      assert.ok(existsSync(join(root, 'test', 'rules', `${r.id}.test.ts`)), `test/rules/${r.id}.test.ts`);
      const doc = join(root, 'docs', 'rules', `${r.id}.md`);
      assert.ok(existsSync(doc), `docs/rules/${r.id}.md`);
      const text = readFileSync(doc, 'utf8');
      assert.ok(text.startsWith(`# ${r.id}\n`), `${r.id}'s doc starts with its id as title`);
      for (const section of ['## Why it matters', '## Bad', '## Good']) assert.ok(text.includes(section), `${r.id}'s doc has "${section}"`);
      const source = readFileSync(join(root, 'rules', `${r.id}.ts`), 'utf8');
      assert.ok(source.includes(`'${r.id}'`), `rules/${r.id}.ts declares its own id`);
    });
  }

  it('every file that exports a rule is registered', () => {
    const registered = new Set(rules.map((r) => r.id));
    for (const format of readdirSync(join(root, 'rules'), { withFileTypes: true })) {
      if (!format.isDirectory() || format.name === 'core' || format.name === 'knowledge') continue;
      for (const f of readdirSync(join(root, 'rules', format.name))) {
        if (!f.endsWith('.ts')) continue;
        const source = readFileSync(join(root, 'rules', format.name, f), 'utf8');
        if (/export const rule\b/.test(source)) assert.ok(registered.has(`${format.name}/${f.slice(0, -3)}`), `rules/${format.name}/${f} is not registered`);
      }
    }
  });

  it('rules/core imports no format (dependencies point one way)', () => {
    for (const f of readdirSync(join(root, 'rules', 'core')).filter((n) => n.endsWith('.ts'))) {
      const source = readFileSync(join(root, 'rules', 'core', f), 'utf8');
      assert.doesNotMatch(source, /from ['"]\.\.\/(compose|nginx|caddy|systemd|secrets)\//, `rules/core/${f}`);
    }
  });

  it('rules/ imports nothing of vscode or LSP', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    for (const file of walk(join(root, 'rules'))) {
      const source = readFileSync(file, 'utf8');
      assert.doesNotMatch(source, /from ['"](vscode|vscode-languageserver[^'"]*|vscode-languageclient[^'"]*|node:fs|fs|node:child_process|child_process)['"]/, file);
    }
  });
});

describe('no spread of unbounded arrays', () => {
  // `a.push(...b)` and `Math.max(...b)` pass b's items as arguments: past ~100k items (a file of
  // one-character lines) the call overflows the stack. Use `append` from rules/core/arrays.
  it('rules/, cli/ and server/ never call push(...) or Math.max/min(...)', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    for (const dir of ['rules', 'cli', 'server']) {
      for (const file of walk(join(root, dir))) {
        const lines = readFileSync(file, 'utf8').split('\n');
        lines.forEach((line, i) => {
          if (/^\s*(\/\/|\*)/.test(line)) return;
          assert.doesNotMatch(line, /\b(push|unshift|Math\.max|Math\.min)\(\s*\.\.\./, `${file}:${i + 1}`);
        });
      }
    }
  });
});

describe('README', () => {
  it('lists every rule (run `npm run docs:rules` after adding one)', async () => {
    const { withRulesBlock } = await import('../../scripts/readme-rules');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    assert.equal(readme, withRulesBlock(readme));
  });

  it('has the two set-up commands', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    assert.ok(readme.includes('npm install && npm start'));
    assert.ok(readme.includes('npm test'));
  });
});
