/**
 * Runs `systemd-analyze verify` on a unit or drop-in the way systemd would load it, offline, on a
 * temporary copy: a unit under a unique name; a drop-in as `<name>.d/override.conf` next to a
 * stand-in base unit that has one ExecStart= (as a packaged unit does).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LineIndex, type Finding } from '../../rules';
import { parseSystemd, type SystemdModel } from '../../rules/systemd/model';

export const SHARED = path.resolve(__dirname, '../../../shared');
export const CORPUS = path.join(SHARED, 'corpus/systemd');
export const FIXTURES = path.resolve(__dirname, '../fixtures/systemd');

export const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

export interface Input {
  /** Short name for messages and allowlists. */
  name: string;
  /** The path we lint it under (the corpus flattens `/` to `__`). */
  file: string;
  text: string;
}

export function inputs(): Input[] {
  const out: Input[] = [];
  for (const name of readdirSync(CORPUS).sort()) {
    if (name === 'MANIFEST.tsv' || name.startsWith('README')) continue;
    out.push({ name, file: '/corpus/' + name.replace(/__/g, '/'), text: readFileSync(path.join(CORPUS, name), 'utf8') });
  }
  const walk = (dir: string) => {
    for (const n of readdirSync(dir).sort()) {
      const p = path.join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push({ name: 'fixtures/' + path.relative(FIXTURES, p), file: '/work/project/' + path.relative(FIXTURES, p), text: readFileSync(p, 'utf8') });
    }
  };
  walk(FIXTURES);
  return out;
}

export interface Verdict {
  /** Lines of systemd's output about the file itself: [1-based line, message]. */
  lines: [number, string][];
  /** Output lines with no line number (refusals of the whole unit). */
  unit: string[];
}

let counter = 0;

/** Verifies `text` as the unit or drop-in that `file` names. */
export function verify(file: string, text: string): Verdict {
  const model = parseSystemd(text, file);
  const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-sd-'));
  try {
    const type = model.unitType ?? 'service';
    const base = (model.unitName ?? `x.${type}`).replace(/\.[a-z]+$/, '');
    // A unique name, so no unit or drop-in installed on this machine is merged in.
    const at = base.indexOf('@');
    const unique = at >= 0 ? `pcx${++counter}-${base.slice(0, at)}@${base.slice(at + 1) || 'i'}` : `pcx${++counter}-${base}`;
    const unitName = type === 'mount' || type === 'automount' || type === 'swap' ? `pcx${counter}.${type}` : `${unique}.${type}`;
    const unitPath = path.join(dir, unitName);
    let target = unitPath;
    if (model.dropIn) {
      writeFileSync(unitPath, type === 'service' ? '[Service]\nExecStart=/bin/true\n' : '[Unit]\nDescription=stand-in\n');
      mkdirSync(`${unitPath}.d`);
      target = path.join(`${unitPath}.d`, 'override.conf');
    }
    writeFileSync(target, text);
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', '--generators=no', unitPath], { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_COLOR: '0', SYSTEMD_LOG_LOCATION: '0' } });
    const verdict: Verdict = { lines: [], unit: [] };
    for (const line of (r.stdout + r.stderr).split('\n')) {
      if (line.startsWith(target + ':')) {
        const m = /^(\d+): (.*)$/.exec(line.slice(target.length + 1));
        if (m) verdict.lines.push([Number(m[1]), m[2]]);
      } else if (line.trim()) verdict.unit.push(line.replace(dir + '/', ''));
    }
    return verdict;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What systemd says, sorted into the classes our rules share with it. */
export function theirClass(message: string): string | undefined {
  if (message.startsWith('Assignment outside of section')) return 'outside';
  if (message.startsWith('Unknown key ') || message.startsWith('Unknown section ')) return 'unknown';
  if (/^(Invalid section header|Missing '='|Missing key name|Invalid syntax, ignoring|Invalid environment assignment|Failed to resolve (unit )?specifiers)/.test(message)) return 'syntax';
  if (message.includes('more than one ExecStart= setting')) return 'execstart';
  return undefined;
}

export const RULE_CLASS: Record<string, string> = {
  'systemd/syntax-error': 'syntax',
  'systemd/setting-outside-section': 'outside',
  'systemd/unknown-setting': 'unknown',
  'systemd/execstart-not-reset': 'execstart',
};

/** The 1-based line systemd names for a finding: the last line of a continued assignment. */
export function reportLine(model: SystemdModel, text: string, f: Finding): number {
  const offset = new LineIndex(text).offset(f.range.start);
  const a = model.assignments.find((x) => offset >= x.start && offset <= x.end);
  if (a) return a.reportLine + 1;
  const issue = model.issues.find((x) => x.start === offset);
  if (issue) return issue.reportLine + 1;
  return f.range.start.line + 1;
}

/**
 * Complaints that are not about the file's syntax and depend on this machine or on run time:
 * commands and units that do not exist here, a socket's missing service, the `nobody` user warning,
 * and the summary lines systemd prints after a refusal (the refusal itself is compared).
 */
export const ENVIRONMENTAL = /is not executable|not found|Special user nobody configured|cannot be started|failed to load properly|has a bad unit file setting|Unit configuration has fatal error/;
