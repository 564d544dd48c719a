import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { mergeConfig, normalizeConfig, type Config, type ConfigProblem } from '../rules';
import { UsageError } from './args';

/** The nearest `.portcullis.json` from `cwd` upwards, or the file given with `--config`. */
export function loadConfig(cwd: string, explicit: string | undefined, warn: (msg: string) => void): { config: Config; file?: string } {
  let file: string | undefined;
  if (explicit) {
    file = resolve(cwd, explicit);
    if (!existsSync(file)) throw new UsageError(`config file not found: ${explicit}`);
  } else {
    for (let dir = resolve(cwd); ; dir = dirname(dir)) {
      const candidate = join(dir, '.portcullis.json');
      if (existsSync(candidate)) {
        file = candidate;
        break;
      }
      if (dirname(dir) === dir) break;
    }
  }
  if (!file) return { config: mergeConfig() };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const problems: ConfigProblem[] = [];
  const config = mergeConfig(normalizeConfig(raw, problems));
  for (const p of problems) warn(`${file}: ${p.message} (ignored)`);
  return { config, file };
}
