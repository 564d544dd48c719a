import type { Report, Rule } from '../core/types';
import { hasInterpolation, type ComposeModel, type RNode } from '../compose/model';
import { isInside, joinPath, splitPath } from '../core/paths';
import { gitignoresAbove, ignoreEdit, isIgnored } from './gitignore';

/**
 * An env file compose reads — an `env_file:` entry, or the project's `.env` beside the compose file
 * (read for `${VAR}` interpolation) — that exists and that git would not ignore. Needs the
 * adapter's workspace view; silent without it.
 */
export const rule: Rule<ComposeModel> = {
  id: 'deployment/env-file-not-gitignored',
  format: 'deployment',
  severity: 'warning',
  summary: 'An env file that compose reads is not ignored by .gitignore',
  check(model, ctx) {
    const ws = ctx.workspace;
    if (!ws || !isAbsolute(ctx.file)) return [];
    const dir = splitPath(ctx.file).dir;
    const defaultEnv = joinPath(dir, '.env');
    const reports: Report[] = [];
    const check = (absFile: string, span: readonly [number, number], message: string) => {
      // Outside the project: not read (and so not reported), never written.
      if (!isInside(ctx.roots, absFile) || ws.read(absFile) === undefined) return;
      const files = gitignoresAbove(absFile, ws, ctx.roots);
      if (isIgnored(absFile, ws, files, ctx.roots)) return;
      const edit = ignoreEdit(absFile, ws, dir, files, ctx.roots);
      const where = edit?.file ? displayName(edit.file, dir) : '.gitignore';
      reports.push({ range: ctx.range(span[0], span[1]), message, fixes: edit ? [{ title: `Add ${edit.newText.trim()} to ${where}`, edits: [edit], preferred: true }] : [] });
    };

    let namesDefault = false;
    for (const service of model.services) {
      for (const entry of envFiles(service.node?.get('env_file')?.value)) {
        const path = entry.path.trim();
        if (!path || hasInterpolation(path) || isAbsolute(path)) continue;
        const abs = resolveFrom(dir, path);
        if (abs === defaultEnv.replace(/\\/g, '/')) namesDefault = true;
        check(abs, entry.span, `${path} (the env_file of "${service.name}") is not ignored by .gitignore: its secrets would be committed.`);
      }
    }
    if (!namesDefault) {
      const services = model.root?.get('services');
      const span: readonly [number, number] = services ? services.keySpan : [0, Math.min(1, ctx.text.length)];
      check(defaultEnv, span, `The .env beside this compose file (read for \${VAR} interpolation) is not ignored by .gitignore: its secrets would be committed.`);
    }
    return reports;
  },
};

function envFiles(node: RNode | undefined): { path: string; span: readonly [number, number] }[] {
  if (!node) return [];
  const one = (n: RNode) => {
    if (n.kind === 'scalar' && typeof n.value === 'string') return [{ path: n.value, span: n.span }];
    const p = n.kind === 'map' ? n.get('path')?.value : undefined;
    return p?.kind === 'scalar' && typeof p.value === 'string' ? [{ path: p.value, span: p.span }] : [];
  };
  return node.kind === 'seq' ? node.items.flatMap(one) : one(node);
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
}

/** `dir` joined with a relative path, `.` and `..` resolved, in `/` form. */
function resolveFrom(dir: string, rel: string): string {
  const parts = dir.replace(/\\/g, '/').split('/');
  for (const seg of rel.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 1) parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/') || '/';
}

function displayName(file: string, dir: string): string {
  const d = dir.replace(/\\/g, '/').replace(/\/$/, '') + '/';
  const f = file.replace(/\\/g, '/');
  return f.startsWith(d) ? f.slice(d.length) : f;
}
