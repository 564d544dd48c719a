/**
 * rules/core/bounds.ts: the project's edge enforced for every rule, whatever the adapter: reads
 * outside the roots return nothing, machine paths are looked up inside the project.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundedProject, boundedWorkspace, couldMatchInside, locateInProject, shownPath } from '../../rules/core/bounds';
import { lintProject, memoryFileSystem, mergeConfig, Project } from '../../rules';
import { lines } from '../helpers';

describe('bounds', () => {
  const files = { '/p/a.conf': 'a', '/p/etc/nginx/x.conf': 'x', '/home/u/.npmrc': 'token', '/p2/b.conf': 'b' };
  const fs = memoryFileSystem(files);

  it('a workspace view reads nothing outside the roots', () => {
    const ws = boundedWorkspace({ read: fs.read }, ['/p']);
    assert.equal(ws.read('/p/a.conf'), 'a');
    assert.equal(ws.read('/home/u/.npmrc'), undefined);
    assert.equal(ws.read('/p/../home/u/.npmrc'), undefined);
    assert.equal(boundedWorkspace(ws, undefined), ws);
  });

  it('a project view globs and parses only inside, and is one object per (view, roots)', () => {
    const project = new Project(fs);
    const view = boundedProject(project, ['/p']);
    assert.equal(view, boundedProject(project, ['/p']));
    assert.deepEqual(view.glob('/p/*.conf'), ['/p/a.conf']);
    assert.deepEqual(view.glob('/home/u/.npmrc'), []);
    assert.deepEqual(view.glob('/*/*'), []);
    assert.equal(view.document('/home/u/.npmrc', 'nginx'), undefined);
  });

  it('a pattern stays inside only when its literal folder part does', () => {
    assert.equal(couldMatchInside(['/p'], '/p/conf.d/*.conf'), true);
    assert.equal(couldMatchInside(['/p'], '/*/*/*/*'), false);
    assert.equal(couldMatchInside(['/p'], '/p/../home/*'), false);
    assert.equal(couldMatchInside(['/etc/nginx'], '/etc/nginx/sites-enabled/*'), true);
  });

  it('looks machine paths up in the project, never on the machine', () => {
    const exists = (p: string) => fs.stamp(p) !== undefined;
    const map = [{ prefix: '/etc/nginx', onto: '/p/nginx' }];
    assert.equal(locateInProject(['/p'], '/p/a.conf', map, exists), '/p/a.conf');
    assert.equal(locateInProject(['/p'], '/etc/nginx/x.conf', map, exists), '/p/etc/nginx/x.conf');
    assert.equal(locateInProject(['/p'], '/etc/nginx/missing.conf', map, exists), undefined);
    assert.equal(locateInProject(['/p'], '/home/u/.npmrc', map, exists), undefined);
    assert.equal(locateInProject(undefined, '/home/u/.npmrc', map, exists), '/home/u/.npmrc');
  });

  it('shows a path on one line, cut short', () => {
    assert.equal(shownPath('a`b\nc'), 'a?b?c');
    assert.equal(shownPath('x'.repeat(100)).length, 78);
  });

  it('compose: an env_file outside the project is unknown (not read, nothing reported of it)', async () => {
    const compose = lines('services:', '  web:', '    image: nginx:1.27', '    env_file: ../outside/x.env');
    const ws = { '/p/compose.yaml': compose, '/outside/x.env': 'API_KEY=sk-live-0123456789abcdef0123\n' };
    const mem = memoryFileSystem(ws);
    const lint = async (roots?: string[]) =>
      (await lintProject(new Project(mem), [{ file: '/p/compose.yaml', text: compose }], { config: mergeConfig({}), workspace: { read: mem.read }, ...(roots ? { roots } : {}) }, mem.stamp)).findings.filter((f) => f.rule === 'deployment/env-file-not-gitignored');
    assert.equal((await lint()).length, 1, 'without an edge the file is read');
    assert.deepEqual(await lint(['/p']), []);
  });
});
