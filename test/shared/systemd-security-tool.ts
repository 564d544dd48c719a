/**
 * Runs `systemd-analyze security --offline=yes` on a service unit or drop-in the way systemd would
 * load it, on a temporary copy: a unit under a unique name; a drop-in as `<name>.d/override.conf`
 * next to the same stand-in base unit systemd-tool.ts uses for `verify` (one ExecStart=).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseSystemd } from '../../rules/systemd/model';

/** The stand-in base unit a drop-in is merged over. */
export const BASE_UNIT = '[Service]\nExecStart=/bin/true\n';

export interface ToolScore {
  /** In tenths, as our score; undefined when the tool gave none (its output is in `output`). */
  score: number | undefined;
  /** check id -> badness, as `SYSTEMD_ANALYZE_DEBUG=1` prints it (undefined: not applicable). */
  badness: Map<string, number | undefined>;
  output: string;
}

let counter = 0;

export function toolScore(file: string, text: string): ToolScore {
  const model = parseSystemd(text, file);
  const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-sec-'));
  try {
    const base = (model.unitName ?? 'x.service').replace(/\.[a-z]+$/, '');
    const at = base.indexOf('@');
    // A template is assessed as an instance; a unique name keeps this machine's units and drop-ins out.
    const unique = at >= 0 ? `pcs${++counter}-${base.slice(0, at)}@${base.slice(at + 1) || 'i'}` : `pcs${++counter}-${base}`;
    const unitPath = path.join(dir, `${unique}.service`);
    if (model.dropIn) {
      writeFileSync(unitPath, BASE_UNIT);
      mkdirSync(`${unitPath}.d`);
      writeFileSync(path.join(`${unitPath}.d`, 'override.conf'), text);
    } else writeFileSync(unitPath, text);
    const r = spawnSync('systemd-analyze', ['security', '--offline=yes', '--no-pager', unitPath], {
      encoding: 'utf8',
      env: { ...process.env, SYSTEMD_ANALYZE_DEBUG: '1', SYSTEMD_LOG_COLOR: '0', SYSTEMD_COLORS: '0' },
    });
    const output = (r.stdout ?? '') + (r.stderr ?? '');
    const m = /Overall exposure level for [^:]+: (\d+)\.(\d)/.exec(output);
    const badness = new Map<string, number | undefined>();
    for (const line of output.split('\n')) {
      // `✗ Name   Description   WEIGHT BADNESS RANGE EXPOSURE`; a not-applicable row has a huge badness.
      const row = /^(?:✓|✗| ) (\S+)\s.*?\s(\d+)\s+(\d+)\s+(\d+)(?:\s+\d+\.\d)?\s*$/.exec(line);
      if (!row) continue;
      const b = Number(row[3]);
      badness.set(row[1], b > 1000 ? undefined : b);
    }
    return { score: m ? Number(m[1]) * 10 + Number(m[2]) : undefined, badness, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
