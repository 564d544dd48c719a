import type { RuleContext, SecretCandidate, SecretMove } from '../core/types';
import { environmentOf, type ComposeModel, type RNode, type RScalar } from '../compose/model';
import { joinPath, splitPath } from '../core/paths';
import { normalizeName, variableName } from './detect';

/**
 * Compose's secret candidates: `environment:` (list and map form, through anchors and merge keys),
 * `labels:` (both forms) and `command:` (string and list form). A value reached through an anchor
 * is one candidate, at the anchor. The fix: `${NAME}` in place, `NAME=value` in the `.env` beside
 * the file (compose reads it for interpolation), `.env` in `.gitignore`.
 */
export function composeSecretCandidates(model: ComposeModel, ctx: RuleContext): SecretCandidate[] {
  const out: SecretCandidate[] = [];
  const seen = new Set<number>();
  const envFile = ctx.file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(ctx.file) ? joinPath(splitPath(ctx.file).dir, '.env') : undefined;
  const add = (c: Omit<SecretCandidate, 'move'>, variable: string) => {
    if (seen.has(c.valueSpan[0])) return;
    seen.add(c.valueSpan[0]);
    out.push(envFile && !c.inexact ? { ...c, move: moveTo(envFile, variable) } : c);
  };

  for (const service of model.services) {
    const node = service.node;
    if (!node) continue;
    for (const e of environmentOf(node, ctx.text)) {
      if (e.value === undefined || !e.valueSpan || !e.node) continue;
      const span = e.form === 'map' ? contentSpan(e.node, ctx.text) : exactSpan(e.valueSpan, e.value, ctx.text);
      add({ name: e.name, value: e.value, valueSpan: span ?? e.valueSpan, where: 'env', inexact: !span }, variableName(e.name));
    }

    const labels = node.get('labels')?.value;
    if (labels?.kind === 'map') {
      for (const p of labels.pairs) {
        if (p.value?.kind !== 'scalar' || p.value.value === null) continue;
        const span = contentSpan(p.value, ctx.text);
        add({ name: p.key, value: p.value.text, valueSpan: span ?? p.value.span, where: 'label', inexact: !span }, variableName(p.key));
      }
    } else if (labels?.kind === 'seq') {
      for (const item of labels.items) {
        const span = item.kind === 'scalar' ? contentSpan(item, ctx.text) : undefined;
        if (item.kind !== 'scalar' || !span) continue;
        const eq = item.text.indexOf('=');
        if (eq < 0) continue;
        const name = item.text.slice(0, eq);
        add({ name, value: item.text.slice(eq + 1), valueSpan: [span[0] + eq + 1, span[1]], where: 'label' }, variableName(name));
      }
    }

    for (const arg of commandArgs(node.get('command')?.value, ctx.text)) {
      const variable = arg.name ? variableName(arg.name) : variableName(`${service.name}_secret`);
      add({ ...arg, where: 'arg' }, variable);
    }
  }
  return out;
}

function moveTo(envFile: string, variable: string): SecretMove {
  return { variable, envFile, gitignore: true, reference, runtimeValue, title };
}

// Shared by every candidate (one extraction per keystroke makes thousands on a big file).
function reference(v: string): string {
  return '${' + v + '}';
}

/** In a compose file `$$` is a literal `$`. */
function runtimeValue(written: string): string {
  return written.replace(/\$\$/g, '$');
}

function title(v: string): string {
  return `Move the value to .env as ${v} and reference it as \${${v}}`;
}

/** The offsets of a scalar's value inside its quotes, when the source spells it character for character. */
function contentSpan(s: RScalar, text: string): [number, number] | undefined {
  if (s.style === 'block') return undefined;
  const start = s.style === 'plain' ? s.span[0] : s.span[0] + 1;
  return exactSpan([start, start + s.text.length], s.text, text);
}

function exactSpan(span: readonly [number, number], value: string, text: string): [number, number] | undefined {
  return text.slice(span[0], span[0] + value.length) === value ? [span[0], span[0] + value.length] : undefined;
}

interface Arg {
  name?: string;
  value: string;
  valueSpan: [number, number];
  inexact?: boolean;
}

/**
 * `command:` as arguments: `--flag=value`, `--flag value` (the value named by its flag) and bare
 * words. The string form is split on white space as compose does for plain words; quoted words
 * inside it are taken whole, quotes excluded.
 */
function commandArgs(node: RNode | undefined, text: string): Arg[] {
  const words: { value: string; span: [number, number]; inexact?: boolean }[] = [];
  if (node?.kind === 'seq') {
    for (const item of node.items) {
      if (item.kind !== 'scalar' || item.value === null) continue;
      const span = contentSpan(item, text);
      words.push(span ? { value: item.text, span } : { value: item.text, span: [item.span[0], item.span[1]], inexact: true });
    }
  } else if (node?.kind === 'scalar' && typeof node.value === 'string') {
    const span = contentSpan(node, text);
    if (!span) return [];
    const re = /"([^"\\]*)"|'([^']*)'|[^\s"']+/g;
    for (let m; (m = re.exec(node.text)); ) {
      const inner = m[1] ?? m[2];
      const start = span[0] + m.index + (inner !== undefined ? 1 : 0);
      const value = inner ?? m[0];
      words.push({ value, span: [start, start + value.length] });
    }
  }
  const out: Arg[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const flag = /^(--?[A-Za-z][A-Za-z0-9_.-]*)=/.exec(w.value);
    if (flag && !w.inexact) {
      out.push({ name: flag[1], value: w.value.slice(flag[0].length), valueSpan: [w.span[0] + flag[0].length, w.span[1]] });
      continue;
    }
    const prev = words[i - 1];
    const name = prev && /^--?[A-Za-z][A-Za-z0-9_.-]*$/.test(prev.value) && normalizeName(prev.value) ? prev.value : undefined;
    if (w.value.startsWith('-') && !w.value.includes('=')) continue;
    out.push({ name, value: w.value, valueSpan: w.span, ...(w.inexact ? { inexact: true } : {}) });
  }
  return out;
}
