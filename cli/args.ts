import { FORMATS, type Format } from '../rules';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface CliOptions {
  paths: string[];
  format: OutputFormat;
  fix: boolean;
  config?: string;
  maxWarnings: number;
  kind?: Format;
  color?: boolean;
  exitZero: boolean;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: portcullis [options] [paths…]
       portcullis exposure [--format text|json] [paths…]   the entry points of the deployment

Lints docker-compose files, nginx configs, Caddyfiles and systemd units. Folders are scanned
recursively (node_modules and .git skipped); with no path, the current folder.

Options:
  --format text|json|sarif  output format (default: text)
  --fix                     apply the preferred fix of each finding, then report what is left
  --config FILE             use FILE instead of the nearest .portcullis.json
  --max-warnings N          exit 1 only when there are errors or more than N warnings
  --kind compose|nginx|caddy|systemd
                            the format of the files named on the command line
  --color, --no-color       force colors on or off (default: on when stdout is a terminal)
  --exit-zero               exit 0 even when there are findings (usage errors still exit 2)
  -h, --help                show this help
  -v, --version             show the version

Exit codes: 0 nothing at warning or above, 1 findings at warning or above, 2 usage or internal error.`;

export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = { paths: [], format: 'text', fix: false, maxWarnings: 0, exitZero: false, help: false, version: false };
  const value = (i: number, name: string) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let inline: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const take = (name: string) => {
      if (inline !== undefined) return inline;
      const v = value(i, name);
      i++;
      return v;
    };
    switch (a) {
      case '--format': {
        const f = take(a);
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`--format must be text, json or sarif (got "${f}")`);
        o.format = f;
        break;
      }
      case '--fix':
        o.fix = true;
        break;
      case '--config':
        o.config = take(a);
        break;
      case '--max-warnings': {
        const n = take(a);
        if (!/^\d+$/.test(n)) throw new UsageError(`--max-warnings needs a whole number (got "${n}")`);
        o.maxWarnings = Number(n);
        break;
      }
      case '--kind': {
        const k = take(a);
        if (!(FORMATS as readonly string[]).includes(k)) throw new UsageError(`--kind must be one of ${FORMATS.join(', ')} (got "${k}")`);
        o.kind = k as Format;
        break;
      }
      case '--color':
        o.color = true;
        break;
      case '--no-color':
        o.color = false;
        break;
      case '--exit-zero':
        o.exitZero = true;
        break;
      case '-h':
      case '--help':
        o.help = true;
        break;
      case '-v':
      case '--version':
        o.version = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        o.paths.push(argv[i]);
    }
  }
  if (!o.paths.length) o.paths.push('.');
  return o;
}
