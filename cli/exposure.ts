import { buildExposure, Project, redactor, ServiceKnowledge, type EntryPoint, type Exposure, type Hop, type Place, type Protections, type WorstFinding } from '../rules';
import { UsageError } from './args';
import { failed, lintAllAsync, prepare, type Io } from './main';
import { diskFileSystemFor } from './project';
import { displayPath } from './report';

export const EXPOSURE_USAGE = `Usage: portcullis exposure [options] [paths…]

Lists the deployment's entry points: every listener reachable from other machines, what sits
behind it (through which proxy, to which service), whether each hop has TLS, authentication and
a rate limit, and the worst finding on the way.

Options:
  --format text|json        output format (default: text)
  --config FILE             use FILE instead of the nearest .portcullis.json
  --kind compose|nginx|caddy|systemd
                            the format of the files named on the command line
  -h, --help                show this help

Exit codes: 0 the overview was printed, 2 usage or internal error.`;

/** `portcullis exposure [paths…]`: the paths linted together as `portcullis` does, then the overview. */
export async function runExposure(argv: string[], io: Io): Promise<number> {
  const warn = (m: string) => io.stderr(`portcullis: ${m}\n`);
  try {
    if (argv.includes('-h') || argv.includes('--help')) {
      io.stdout(EXPOSURE_USAGE + '\n');
      return 0;
    }
    const p = prepare(argv, io, warn);
    if ('code' in p) return p.code;
    if (p.opts.format === 'sarif') throw new UsageError('exposure prints text or json (got "sarif")');
    if (p.opts.fix) throw new UsageError('exposure does not fix; run portcullis --fix');
    // The project stays: its facts are what the overview is made of.
    const project = new Project(diskFileSystemFor(p.roots), { onRuleError: ({ rule, error }) => warn(`internal error in ${rule}: ${(error as Error)?.message ?? error}`) });
    const findings = await lintAllAsync(p.targets, p.config, warn, project, p.roots);
    const exposure = buildExposure(
      project.all().map((f) => f.facts),
      findings,
      new ServiceKnowledge(p.config.services),
    );
    // Labels quote targets as written (`proxy_pass https://user:PASSWORD@…`): masked like every output.
    const shown = redactor(findings).exposure(exposure);
    io.stdout(p.opts.format === 'json' ? exposureJson(shown, io.cwd) : exposureText(shown, io.cwd, p.targets.length));
    return 0;
  } catch (e) {
    return failed(e, io, warn);
  }
}

/** A place as the main JSON writes one: 1-based, the file relative to the working directory. */
function place(p: Place, cwd: string) {
  const r = p.range;
  return { file: displayPath(p.file, cwd), line: r.start.line + 1, column: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

export function exposureJson(exposure: Exposure, cwd: string): string {
  const worst = (w: WorstFinding | undefined) => (w ? { worst: { ...w, place: place(w.place, cwd) } } : {});
  const hop = (h: Hop) => ({ ...h, place: place(h.place, cwd), ...worst(h.worst) });
  const entries = exposure.entries.map((e) => ({ ...e, place: place(e.place, cwd), hops: e.hops.map(hop), ...worst(e.worst) }));
  return JSON.stringify({ entries }, null, 2) + '\n';
}

const mark = (v: boolean | 'unknown') => (v === 'unknown' ? '?' : v ? 'yes' : 'no');

export function exposureText(exposure: Exposure, cwd: string, filesChecked: number): string {
  const files = `${filesChecked} file${filesChecked === 1 ? '' : 's'}`;
  if (!exposure.entries.length) return `✔ nothing listens where other machines can reach it, in ${files}\n`;
  const at = (p: Place) => `${displayPath(p.file, cwd)}:${p.range.start.line + 1}`;
  const worst = (w: WorstFinding | undefined) => (w ? `${w.severity} ${w.rule} (${at(w.place)})` : '');
  const marks = (p: Protections) => [mark(p.tls), mark(p.auth), mark(p.rateLimit)];
  const rows = [['LISTENER', 'WHAT', 'TLS', 'AUTH', 'RATE LIMIT', 'WORST FINDING']];
  const hopsOf = new Map<number, Hop[]>();
  exposure.entries.forEach((e: EntryPoint) => {
    rows.push([e.address, `${e.name}${e.service && !e.name.includes(e.service) ? ` (${e.service})` : ''}`, ...marks(e.protections), worst(e.worst)]);
    hopsOf.set(rows.length - 1, e.hops);
  });
  const widths = rows[0].map((_, c) => rows.reduce((w, r) => Math.max(w, r[c].length), 0));
  const out: string[] = [];
  rows.forEach((r, i) => {
    out.push(r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd());
    for (const h of hopsOf.get(i) ?? []) {
      const reaches = h.reaches === h.target ? 'not in these files' : h.reaches;
      const protections = `auth ${mark(h.protections.auth)}, rate limit ${mark(h.protections.rateLimit)}`;
      out.push(`    ${h.path || '(server)'} -> ${h.target} -> ${reaches}  [${protections}]${h.worst ? `  ${worst(h.worst)}` : ''}`);
    }
  });
  const n = exposure.entries.length;
  out.push('', `${n} entry point${n === 1 ? '' : 's'} reachable from other machines, in ${files}`);
  return out.join('\n') + '\n';
}
