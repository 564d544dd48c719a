import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, lintText, type Fix } from '../../../rules';
import { isIgnored } from '../../../rules/deployment/gitignore';
import { lines, rangeOf } from '../../helpers';

const RULE = 'deployment/env-file-not-gitignored';
const FILE = '/work/project/compose.yaml';

function workspace(files: Record<string, string>) {
  const map = new Map(Object.entries(files));
  return { map, read: (p: string) => map.get(p) };
}

const check = (text: string, ws: ReturnType<typeof workspace>) =>
  lintText(FILE, text, {
    workspace: ws,
    onRuleError: ({ error }) => {
      throw error;
    },
  }).findings.filter((f) => f.rule === RULE);

function apply(fix: Fix, ws: ReturnType<typeof workspace>) {
  for (const e of fix.edits) {
    const { text, skipped } = applyEdits(ws.map.get(e.file!) ?? '', [e]);
    assert.equal(skipped.length, 0);
    ws.map.set(e.file!, text);
  }
}

const COMPOSE = lines('services:', '  app:', '    image: example/app:1', '    env_file:', '      - ./app.env', '      - path: config/extra.env', '        required: false');

describe(RULE, () => {
  it("reports the project's .env at services: and each env_file entry, when they exist and git would commit them", () => {
    const ws = workspace({
      '/work/project/.env': 'A=1\n',
      '/work/project/app.env': 'B=2\n',
      '/work/project/config/extra.env': 'C=3\n',
      '/work/project/.gitignore': 'node_modules/\n',
    });
    const found = check(COMPOSE, ws);
    assert.deepEqual(
      found.map((f) => f.range),
      [rangeOf(COMPOSE, 'services'), rangeOf(COMPOSE, './app.env'), rangeOf(COMPOSE, 'config/extra.env')],
    );
    assert.match(found[1].message, /\.\/app\.env \(the env_file of "app"\)/);
    assert.deepEqual(
      found.map((f) => f.fixes[0].title),
      ['Add .env to .gitignore', 'Add /app.env to .gitignore', 'Add /config/extra.env to .gitignore'],
    );
  });

  it('each fix appends to the nearest .gitignore; re-linted, the finding is gone; applied twice, nothing changes', () => {
    const ws = workspace({ '/work/project/.env': 'A=1\n', '/work/project/app.env': 'B=2\n', '/work/project/config/extra.env': 'C=3\n', '/work/.gitignore': 'dist' });
    for (let i = 0; i < 3; i++) {
      const [f] = check(COMPOSE, ws);
      apply(f.fixes[0], ws);
    }
    assert.equal(ws.map.get('/work/.gitignore'), 'dist\n.env\n/project/app.env\n/project/config/extra.env\n');
    assert.deepEqual(check(COMPOSE, ws), []);
  });

  it('creates .gitignore beside the compose file when there is none', () => {
    const ws = workspace({ '/work/project/.env': 'A=1\n' });
    const text = lines('services:', '  app:', '    image: example/app:1');
    const [f] = check(text, ws);
    assert.deepEqual(f.fixes[0].edits, [{ file: '/work/project/.gitignore', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '.env\n' }]);
    apply(f.fixes[0], ws);
    assert.deepEqual(check(text, ws), []);
  });

  it('is silent for missing files, ignored files, interpolated or absolute paths, and without a workspace view', () => {
    const text = lines('services:', '  app:', '    image: example/app:1', '    env_file: [missing.env, "${ENV_FILE}", /etc/app/env, app.env]');
    assert.deepEqual(check(text, workspace({ '/work/project/app.env': 'x', '/etc/app/env': 'x', '/work/project/.gitignore': '*.env\n' })), []);
    assert.deepEqual(lintText(FILE, text).findings.filter((f) => f.rule === RULE), []);
  });

  it('follows .gitignore matching: names at any depth, anchored paths, **, folders, negations, deeper files first', () => {
    const at = (files: Record<string, string>, path = '/r/deploy/.env') => isIgnored(path, workspace(files));
    assert.equal(at({ '/r/.gitignore': '.env' }), true);
    assert.equal(at({ '/r/.gitignore': '*.env' }), true);
    assert.equal(at({ '/r/.gitignore': '/.env' }), false);
    assert.equal(at({ '/r/deploy/.gitignore': '/.env' }), true);
    assert.equal(at({ '/r/.gitignore': '**/.env' }), true);
    assert.equal(at({ '/r/.gitignore': 'deploy/' }), true);
    assert.equal(at({ '/r/.gitignore': 'deploy/**' }), true);
    assert.equal(at({ '/r/.gitignore': '.env/' }), false);
    assert.equal(at({ '/r/.gitignore': '.env\n!.env' }), false);
    assert.equal(at({ '/r/.gitignore': '.env*\n!.env.example' }), true);
    assert.equal(at({ '/r/.gitignore': '.env' }, '/r/deploy/.env.example'), false);
    assert.equal(at({ '/r/.gitignore': '.env', '/r/deploy/.gitignore': '!.env' }), false);
    // A file in an ignored folder cannot be re-included.
    assert.equal(at({ '/r/.gitignore': 'deploy/\n!deploy/.env' }), true);
    assert.equal(at({ '/r/.gitignore': '# .env\n\\#.env' }), false);
    assert.equal(at({}), false);
  });

  describe('with the project root known (roots)', () => {
    const checkIn = (text: string, ws: ReturnType<typeof workspace>, roots = ['/work/project']) =>
      lintText(FILE, text, { workspace: ws, roots, onRuleError: ({ error }) => { throw error; } }).findings.filter((f) => f.rule === RULE);

    it('a .gitignore above the root is not read nor written: the root gets one', () => {
      const ws = workspace({ '/work/project/.env': 'A=1\n', '/work/.gitignore': '.env\n' });
      const text = lines('services:', '  app:', '    image: example/app:1');
      const [f] = checkIn(text, ws);
      assert.ok(f, 'the .gitignore above the root does not count: git in the project does not read it');
      assert.deepEqual(f.fixes[0].edits, [{ file: '/work/project/.gitignore', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '.env\n' }]);
    });

    it('a compose file in a subfolder with no closer .gitignore: the root one, with the path from the root', () => {
      const ws = workspace({ '/work/project/deploy/app.env': 'B=2\n', '/work/project/.gitignore': 'dist/\n' });
      const text = lines('services:', '  app:', '    image: example/app:1', '    env_file: app.env');
      const found = lintText('/work/project/deploy/compose.yaml', text, { workspace: ws, roots: ['/work/project'] }).findings.filter((f) => f.rule === RULE);
      assert.equal(found.length, 1);
      apply(found[0].fixes[0], ws);
      assert.equal(ws.map.get('/work/project/.gitignore'), 'dist/\n/deploy/app.env\n');
      assert.deepEqual(lintText('/work/project/deploy/compose.yaml', text, { workspace: ws, roots: ['/work/project'] }).findings.filter((f) => f.rule === RULE), []);
    });

    it('env_file outside the project: not reported, no fix, nothing to write outside', () => {
      const ws = workspace({ '/work/outside/x.env': 'K=1\n' });
      const text = lines('services:', '  app:', '    image: example/app:1', '    env_file: ../outside/x.env');
      assert.deepEqual(checkIn(text, ws), []);
    });
  });
});
