import type { RuleContext, SecretCandidate, SecretMove, TextEdit } from '../core/types';
import { folderOf } from '../core/paths';
import { variableName } from '../secrets/detect';
import { envAssignments, insertLinesAfterHeader } from './edit';
import { literalSpan, type Assignment, type Section, type SystemdModel, type Word } from './model';

const EXEC = /^Exec(Start|StartPre|StartPost|Condition|Reload|Stop|StopPost)$/;
const FLAG = /^--?[A-Za-z][A-Za-z0-9_.-]*$/;
/** What an env file can name (systemd warns about other names in `EnvironmentFile=`). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The values `secrets/hardcoded-secret` checks in a unit: each `NAME=value` of `Environment=`, and
 * the arguments of `Exec*=` commands (`--flag=value`, `--flag value`, bare words).
 *
 * The fix moves the value to `EnvironmentFile=` (see envFilePath): an `Environment=` word leaves
 * the line (the whole line when it was the only word, since an empty `Environment=` would wipe
 * every variable); an `Exec*=` argument becomes `${NAME}`, which systemd expands from the
 * environment. The `EnvironmentFile=` line is added after the section header unless it is there.
 */
export function systemdSecretCandidates(model: SystemdModel, ctx: RuleContext): SecretCandidate[] {
  const out: SecretCandidate[] = [];
  const m = mover(model, ctx);
  for (const a of model.assignments) {
    if (!a.section?.accepted) continue;
    if (a.key === 'Environment') {
      for (const env of envAssignments(a)) {
        const c = candidate(env.name, env.word, env.valueIndex, 'env');
        if (m && !c.inexact && ENV_NAME.test(env.name)) c.move = moveWord(m, a, env.word, env.name);
        out.push(c);
      }
    } else if (EXEC.test(a.key)) {
      execArgs(a, m, out);
    }
  }
  return out;
}

/**
 * Where a unit's moved secrets go. The file is written beside the unit, inside the project:
 * `<unit's folder>/<unit>.d/secrets.env` (for a drop-in, its own `<unit>.d/` folder), so the fix
 * never writes where the unit is installed on the machine running it. `EnvironmentFile=` names
 * where that file is once the unit folder is installed: a unit kept under `…/etc/systemd/system/`
 * (or `lib/`, `usr/lib/`, `run/`) in a repository, that path from `/etc` on; a user unit, its own
 * folder; any other, `/etc/systemd/system/<unit>.d/secrets.env` — root-only like the units, and
 * not a `.conf`, so systemd never reads it as a drop-in. Undefined when the file does not name its
 * unit (a lone `override.conf`).
 */
export function envFilePath(model: SystemdModel): string | undefined {
  return envFileTarget(model)?.written;
}

/** Where the env file is written (beside the unit) and the path the installed unit reads it from. */
export function envFileTarget(model: SystemdModel): { written: string; installed: string } | undefined {
  if (!model.unitName) return undefined;
  const file = model.file.replace(/\\/g, '/');
  const folder = folderOf(model.dropIn ? folderOf(file) : file);
  const written = `${folder}/${model.unitName}.d/secrets.env`;
  const user = /^(.*\/systemd\/user)\//.exec(file);
  const system = /(\/(?:etc|run|lib|usr\/lib|usr\/local\/lib)\/systemd\/system)\//.exec(file);
  const unitDir = user ? user[1] : system ? system[1] : '/etc/systemd/system';
  return { written, installed: `${unitDir}/${model.unitName}.d/secrets.env` };
}

function candidate(name: string | undefined, word: Word, from: number, where: SecretCandidate['where']): SecretCandidate {
  const value = word.value.slice(from);
  const span = literalSpan(word, from, word.value.length);
  return span ? { name, value, valueSpan: span, where } : { name, value, valueSpan: [word.start, word.end], where, inexact: true };
}

/**
 * What every move of one unit shares, made once per extraction: a long unit has thousands of
 * candidates, and a closure or edit each would be most of the secret pass's cost.
 */
interface Mover {
  envFile: string;
  wordTitle(variable: string): string;
  argTitle(variable: string): string;
  /** The variable for a flag (`--api-key` → `API_KEY`), or `<UNIT>_SECRET` for a bare argument. */
  variable(flag: string | undefined): string;
  /** The `EnvironmentFile=` line each section needs (none when the unit lists the file). */
  envFileLine(a: Assignment): readonly TextEdit[];
}

function mover(model: SystemdModel, ctx: RuleContext): Mover | undefined {
  const target = envFileTarget(model);
  if (!target) return undefined;
  const { written: envFile, installed } = target;
  // `-` before the path only makes a missing file no error.
  const listed = model.assignments.some((x) => x.key === 'EnvironmentFile' && x.section?.accepted && [installed, envFile].includes(x.value.replace(/^-/, '')));
  // The title says where the file is written when that is not where the unit will read it.
  const beside = envFile === installed ? '' : ` (written beside the unit: ${relativeToUnit(model, envFile)})`;
  const lines = new Map<Section, readonly TextEdit[]>();
  // Flags repeat (`--model`, `--port` on every command): each named once.
  const variables = new Map<string | undefined, string>();
  return {
    envFile,
    wordTitle: (v) => `Move ${v} to EnvironmentFile=${installed}${beside}`,
    argTitle: (v) => `Replace with \${${v}} and move the value to EnvironmentFile=${installed}${beside}`,
    variable(flag) {
      let v = variables.get(flag);
      if (v === undefined) variables.set(flag, (v = variableName(flag ?? `${model.unitName!.replace(/@?\.[a-z]+$/, '')}_secret`)));
      return v;
    },
    envFileLine(a) {
      const section = a.section;
      if (listed || !section) return NO_EDITS;
      let edits = lines.get(section);
      if (!edits) lines.set(section, (edits = [insertLinesAfterHeader(ctx, model, section, [`EnvironmentFile=${installed}`])]));
      return edits;
    },
  };
}

/** The env file's path from the unit's folder (`ollama.service.d/secrets.env`). */
function relativeToUnit(model: SystemdModel, envFile: string): string {
  const file = model.file.replace(/\\/g, '/');
  const base = folderOf(model.dropIn ? folderOf(file) : file);
  return envFile.startsWith(base + '/') ? envFile.slice(base.length + 1) : envFile;
}

const NO_EDITS: readonly TextEdit[] = [];
const removed = () => '';
const expansion = (v: string) => '${' + v + '}';
/** In `Exec*=`, `$$` is a literal `$` too. */
const execValue = (w: string) => unescapePercent(w.replace(/\$\$/g, '$'));

/** `NAME=value` leaves `Environment=` for the env file. */
function moveWord(m: Mover, a: Assignment, word: Word, name: string): SecretMove | undefined {
  if (hasSpecifier(word.value)) return undefined;
  const i = a.words.indexOf(word);
  const only = a.words.length === 1;
  // The word and the blanks (or continuation) that separate it from its neighbour.
  const replaceSpan: [number, number] = only ? [a.lineStart, a.next] : i < a.words.length - 1 ? [word.start, a.words[i + 1].start] : [a.words[i - 1].end, word.end];
  return { variable: name, envFile: m.envFile, replaceSpan, reference: removed, runtimeValue: unescapePercent, extraEdits: m.envFileLine(a), title: m.wordTitle };
}

/** An argument becomes `${NAME}`, set by the env file. */
function moveArg(m: Mover, a: Assignment, name: string | undefined): SecretMove {
  return { variable: m.variable(name), envFile: m.envFile, reference: expansion, runtimeValue: execValue, extraEdits: m.envFileLine(a), title: m.argTitle };
}

/** `%%` is a literal `%` in a unit; an env file takes it as written. */
function unescapePercent(value: string): string {
  return value.replace(/%%/g, '%');
}

/** A specifier (`%i`, `%h`) resolves in the unit but not in an env file: such a value cannot move as is. */
function hasSpecifier(value: string): boolean {
  return value.includes('%') && /%[^%]/.test(value.replace(/%%/g, ''));
}

function execArgs(a: Assignment, m: Mover | undefined, out: SecretCandidate[]): void {
  // `:` before the command turns off systemd's variable expansion for the line.
  const expands = m && !/^[-@+!|]*:/.test(a.words[0]?.value ?? '');
  // The first word is the command (with its `-`, `@`, `+`, `!`, `:` prefixes).
  for (let i = 1; i < a.words.length; i++) {
    const w = a.words[i];
    const flag = /^(--?[A-Za-z][A-Za-z0-9_.-]*)=/.exec(w.value);
    let c: SecretCandidate;
    if (flag) {
      c = candidate(flag[1], w, flag[0].length, 'arg');
    } else {
      if (FLAG.test(w.value)) continue;
      const prev = a.words[i - 1].value;
      c = candidate(i > 1 && FLAG.test(prev) ? prev : undefined, w, 0, 'arg');
    }
    if (expands && !c.inexact && !hasSpecifier(c.value)) c.move = moveArg(m!, a, c.name);
    out.push(c);
  }
}
