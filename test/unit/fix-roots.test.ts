/** The engine never offers a fix whose edits would leave the project (LintOptions.roots), whatever rule made it. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { lintText, registerCrossFormatRule, type CrossFormatModel, type Rule } from '../../rules';

const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const probe: Rule<CrossFormatModel> = {
  id: 'test/fix-roots-probe',
  format: 'compose',
  severity: 'warning',
  summary: 'a probe',
  check: (_model, ctx) => [
    {
      range: ctx.range(0, 1),
      message: 'probe',
      fixes: [
        { title: 'inside', edits: [{ range: zero, newText: '#' }, { file: '/work/project/sub/.gitignore', range: zero, newText: 'x\n' }] },
        { title: 'leaves', preferred: true, edits: [{ range: zero, newText: '#' }, { file: '/work/.gitignore', range: zero, newText: 'x\n' }] },
        { title: 'through ..', edits: [{ file: '/work/project/../outside/a.conf', range: zero, newText: 'x' }] },
      ],
    },
  ],
};
const unregister = registerCrossFormatRule(probe);
after(unregister);

const titles = (roots?: string[]) => lintText('/work/project/compose.yaml', 'services: {}\n', { roots }).findings.find((f) => f.rule === probe.id)!.fixes.map((f) => f.title);

describe('engine: fixes inside the roots only', () => {
  it('drops every fix with an edit outside the roots; keeps all without roots known', () => {
    assert.deepEqual(titles(['/work/project']), ['inside']);
    assert.deepEqual(titles(), ['inside', 'leaves', 'through ..']);
  });
});
