import { readText } from '../io/read';
import { byPlace } from '../rules/core/engine';
import { allRules, encodingFinding, lintProject, MAX_DISCOVERED_BYTES, Project, redactText, redactor, type Finding, type WorkspaceView } from '../rules';
import { parseArgs, USAGE, UsageError } from './args';
import { loadConfig } from './config';
import { collectTargets, type Target } from './files';
import { applyPreferredFixes, type AppliedFix, type FixFailure } from './fix';
import { diskFileSystemFor, diskWorkspaceFor } from './project';
import { cliRoots } from './roots';
import { runExposure } from './exposure';
import { displayPath, formatJson, formatSarif, formatText } from './report';
import { append } from '../rules/core/arrays';

declare const PORTCULLIS_VERSION: string | undefined;
const VERSION = typeof PORTCULLIS_VERSION === 'string' ? PORTCULLIS_VERSION : '0.0.0-dev';
// Fixes that add to one shared file (`.env`, `.gitignore`) go in one per pass; a file with many
// secrets needs as many passes.
const MAX_FIX_PASSES = 50;

export type Io = { cwd: string; stdout: (s: string) => void; stderr: (s: string) => void; isTTY: boolean };
type Config = ReturnType<typeof loadConfig>['config'];

/** The rules' read-only view of other files (`.env`, `.gitignore`) with no edge known: regular files only, capped. */
export const diskWorkspace: WorkspaceView = diskWorkspaceFor();

/**
 * Every target linted together: includes and imports resolved among them and the rest of the
 * disk, each file parsed once, then the deployment rules across all of them.
 */
export async function lintAllAsync(targets: Target[], config: Config, warn: (m: string) => void, project?: Project, roots?: readonly string[]): Promise<Finding[]> {
  const onRuleError = ({ rule, error }: { rule: string; error: unknown }) => warn(`internal error in ${rule}: ${(error as Error)?.message ?? error}`);
  const disk = diskFileSystemFor(roots);
  project ??= new Project(disk, { onRuleError });
  const files = targets.map((t) => ({ file: t.path, text: t.text, format: t.format }));
  const { findings } = await lintProject(project, files, { config, workspace: diskWorkspaceFor(roots), onRuleError, ...(roots ? { roots } : {}) }, (file) => disk.stamp(file));
  // A file its own tool refuses by its encoding (nginx and a BOM, UTF-16 but for compose): a syntax error at 0:0.
  const refused = targets.map((t) => encodingFinding(t.path, t.format, t.encoding)).filter((f): f is Finding => !!f && config.rules[f.rule] !== 'off');
  return refused.length ? [...refused, ...findings].sort(byPlace) : findings;
}

type Prepared = { code: number } | { opts: ReturnType<typeof parseArgs>; config: Config; targets: Target[]; roots: string[] };

export function prepare(argv: string[], io: Io, warn: (m: string) => void): Prepared {
  const opts = parseArgs(argv);
  if (opts.help) {
    io.stdout(USAGE + '\n');
    return { code: 0 };
  }
  if (opts.version) {
    io.stdout(VERSION + '\n');
    return { code: 0 };
  }
  const { config } = loadConfig(io.cwd, opts.config, warn);
  const collected = collectTargets(opts.paths, { kind: opts.kind, exclude: config.exclude, cwd: io.cwd });
  for (const m of collected.missing) warn(`no such file or folder: ${m}`);
  if (collected.missing.length) return { code: 2 };
  for (const u of collected.unknown) warn(`${u}: not a compose, nginx, Caddy or systemd file (use --kind to say which)`);
  // Never skipped silently: a file not linted is an error of the run, unless excluded.
  for (const n of collected.notRegular) warn(`${n}: not a regular file: not read`);
  for (const t of collected.tooLarge) warn(`${t.file}: too large to lint (${t.size} bytes, limit ${MAX_DISCOVERED_BYTES}): not linted (exclude it to skip it)`);
  if (collected.notRegular.length || collected.tooLarge.length) return { code: 2 };
  return { opts, config, targets: collected.targets, roots: cliRoots(opts.paths, io.cwd) };
}

export function failed(e: unknown, io: Io, warn: (m: string) => void): number {
  if (e instanceof UsageError) {
    warn(e.message);
    io.stderr('Run portcullis --help for usage.\n');
    return 2;
  }
  warn(`internal error: ${(e as Error)?.stack ?? e}`);
  return 2;
}

/** One --fix pass: the preferred fixes applied (only inside `roots`), the targets read back; what failed goes to `failures`. */
function fixPass(findings: Finding[], targets: Target[], applied: AppliedFix[], roots: readonly string[], failures: FixFailure[]): Target[] | undefined {
  const texts = new Map(targets.map((t) => [t.path, t.text]));
  // A file that failed once is not tried again: its fixes stay reported.
  const failedFiles = new Set(failures.filter((f) => !f.refused).map((f) => f.file));
  const now = applyPreferredFixes(findings.filter((f) => !f.fixes.some((x) => x.preferred && x.edits.some((e) => failedFiles.has(e.file ?? f.file)))), (f) => texts.get(f), { roots });
  const key = (f: FixFailure) => [f.file, f.rule, f.title, f.reason].join('\0');
  const known = new Set(failures.map(key));
  append(failures, now.failures.filter((f) => !known.has(key(f))));
  if (!now.length) return undefined;
  append(applied, now);
  return targets.map((t) => {
    const r = readText(t.path, { maxBytes: MAX_DISCOVERED_BYTES });
    return r.ok ? { ...t, text: r.text, encoding: r.encoding } : t;
  });
}

/** The synchronous CLI: every rule's synchronous pass (what the editor shows per keystroke). */
/** The command line's entry: as `run`, with the asynchronous pass (secretlint) awaited too. */
export async function runAsync(argv: string[], given: Io): Promise<number> {
  // Messages quote paths, parse errors and rule errors: secret-shaped spans are masked there too.
  const io: Io = { ...given, stderr: (s) => given.stderr(redactText(s)) };
  if (argv[0] === 'exposure') return runExposure(argv.slice(1), io);
  const warn = (m: string) => io.stderr(`portcullis: ${m}\n`);
  try {
    const p = prepare(argv, io, warn);
    if ('code' in p) return p.code;
    let { targets } = p;
    // The project's edge (cli/roots.ts): nothing outside is read, no fix leaves it.
    const roots = p.roots;
    let findings = await lintAllAsync(targets, p.config, warn, undefined, roots);
    const applied: AppliedFix[] = [];
    const failures: FixFailure[] = [];
    if (p.opts.fix) {
      for (let pass = 0, next; pass < MAX_FIX_PASSES && (next = fixPass(findings, targets, applied, roots!, failures)); pass++) {
        targets = next;
        findings = await lintAllAsync(targets, p.config, warn, undefined, roots);
      }
      for (const f of failures) warn(`not fixed ${displayPath(f.file, io.cwd)}: ${f.title} (${f.rule}): ${f.reason}`);
    }
    const code = finish(p.opts, findings, targets, applied, io);
    return failures.length ? 2 : code;
  } catch (e) {
    return failed(e, io, warn);
  }
}

function finish(opts: ReturnType<typeof parseArgs>, all: Finding[], targets: Target[], applied: AppliedFix[], io: Io): number {
  // The one masking boundary of the CLI: the run's secrets and every secret-shaped span, in
  // messages, titles, edits and related messages (--fix has already applied the real edits).
  const redact = redactor(all);
  const findings = redact.findings(all);
  if (opts.fix) {
    // Fix messages go to stderr when stdout carries JSON or SARIF.
    const say = opts.format === 'text' ? io.stdout : io.stderr;
    for (const a of applied) say(`fixed ${displayPath(a.file, io.cwd)}: ${redact.text(a.title)} (${a.rule})\n`);
    if (applied.length) say(`${applied.length} fix${applied.length === 1 ? '' : 'es'} applied\n`);
  }

  if (opts.format === 'json') io.stdout(formatJson(findings, io.cwd, targets.length));
  else if (opts.format === 'sarif') io.stdout(formatSarif(findings, allRules(), io.cwd, VERSION));
  else io.stdout(formatText(findings, io.cwd, opts.color ?? io.isTTY, targets.length));

  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (opts.exitZero) return 0;
  return errors > 0 || warnings > opts.maxWarnings ? 1 : 0;
}

/**
 * A reader that went away (`portcullis … | head -1`) is not an error: stop writing, exit quietly
 * with the code the run would have had. Anything else on the streams is still reported.
 */
export function quietOnEpipe(stream: NodeJS.WriteStream, onClosed: () => void): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') onClosed();
    else throw e;
  });
}

if (require.main === module) {
  let stdoutClosed = false;
  quietOnEpipe(process.stdout, () => (stdoutClosed = true));
  quietOnEpipe(process.stderr, () => {});
  void runAsync(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (s) => void (stdoutClosed || process.stdout.write(s)),
    stderr: (s) => void (process.stderr.destroyed || process.stderr.write(s)),
    isTTY: !!process.stdout.isTTY && !process.env.NO_COLOR,
  }).then((code) => {
    process.exitCode = code;
  });
}
