import { readFileSync } from 'node:fs';
import { allRules, lintText, type Finding } from '../rules';
import { parseArgs, USAGE, UsageError } from './args';
import { loadConfig } from './config';
import { collectTargets, type Target } from './files';
import { applyPreferredFixes, type AppliedFix } from './fix';
import { displayPath, formatJson, formatSarif, formatText } from './report';

declare const PORTCULLIS_VERSION: string | undefined;
const VERSION = typeof PORTCULLIS_VERSION === 'string' ? PORTCULLIS_VERSION : '0.0.0-dev';
const MAX_FIX_PASSES = 10;

function lintAll(targets: Target[], config: ReturnType<typeof loadConfig>['config'], warn: (m: string) => void): Finding[] {
  const findings: Finding[] = [];
  for (const t of targets) {
    const r = lintText(t.path, t.text, { format: t.format, config, onRuleError: ({ rule, error }) => warn(`internal error in ${rule} on ${t.path}: ${(error as Error)?.message ?? error}`) });
    findings.push(...r.findings);
  }
  return findings;
}

export function run(argv: string[], io: { cwd: string; stdout: (s: string) => void; stderr: (s: string) => void; isTTY: boolean }): number {
  const warn = (m: string) => io.stderr(`portcullis: ${m}\n`);
  let opts;
  try {
    opts = parseArgs(argv);
    if (opts.help) {
      io.stdout(USAGE + '\n');
      return 0;
    }
    if (opts.version) {
      io.stdout(VERSION + '\n');
      return 0;
    }
    const { config } = loadConfig(io.cwd, opts.config, warn);
    const collected = collectTargets(opts.paths, { kind: opts.kind, exclude: config.exclude, cwd: io.cwd });
    for (const m of collected.missing) warn(`no such file or folder: ${m}`);
    if (collected.missing.length) return 2;
    for (const u of collected.unknown) warn(`${u}: not a compose, nginx, Caddy or systemd file (use --kind to say which)`);
    let targets = collected.targets;
    let findings = lintAll(targets, config, warn);

    if (opts.fix) {
      const applied: AppliedFix[] = [];
      for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
        const texts = new Map(targets.map((t) => [t.path, t.text]));
        const now = applyPreferredFixes(findings, (f) => texts.get(f));
        if (!now.length) break;
        applied.push(...now);
        targets = targets.map((t) => ({ ...t, text: readFileSync(t.path, 'utf8') }));
        findings = lintAll(targets, config, warn);
      }
      // Fix messages go to stderr when stdout carries JSON or SARIF.
      const say = opts.format === 'text' ? io.stdout : io.stderr;
      for (const a of applied) say(`fixed ${displayPath(a.file, io.cwd)}: ${a.title} (${a.rule})\n`);
      if (applied.length) say(`${applied.length} fix${applied.length === 1 ? '' : 'es'} applied\n`);
    }

    if (opts.format === 'json') io.stdout(formatJson(findings, io.cwd, targets.length));
    else if (opts.format === 'sarif') io.stdout(formatSarif(findings, allRules(), io.cwd, VERSION));
    else io.stdout(formatText(findings, io.cwd, opts.color ?? io.isTTY, targets.length));

    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    if (opts.exitZero) return 0;
    return errors > 0 || warnings > opts.maxWarnings ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      warn(e.message);
      io.stderr('Run portcullis --help for usage.\n');
      return 2;
    }
    warn(`internal error: ${(e as Error)?.stack ?? e}`);
    return 2;
  }
}

if (require.main === module) {
  const code = run(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: !!process.stdout.isTTY && !process.env.NO_COLOR,
  });
  process.exitCode = code;
}
