#!/usr/bin/env node
// Generates rules/systemd/settings-table.ts from the real systemd on this machine:
//   - every section and key with its value type: `/lib/systemd/systemd --dump-configuration-items`
//   - which sections each unit type accepts: probed with `systemd-analyze verify` on a throw-away
//     unit of each type that has every section (the ones it calls "Unknown section" are not accepted).
// Run: node scripts/systemd-gen-table.mjs   (then commit the generated file)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SYSTEMD = process.env.SYSTEMD ?? '/lib/systemd/systemd';
const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'rules/systemd/settings-table.ts');

const version = execFileSync(SYSTEMD, ['--version'], { encoding: 'utf8' }).split('\n')[0].replace(/^systemd\s+/, '');
const dump = execFileSync(SYSTEMD, ['--dump-configuration-items'], { encoding: 'utf8' });

/** section -> [key, type][] in systemd's order */
const sections = new Map();
let current;
for (const raw of dump.split('\n')) {
  const line = raw.trim();
  if (!line) continue;
  const header = /^\[([^\]]+)\]$/.exec(line);
  if (header) {
    current = header[1];
    if (!sections.has(current)) sections.set(current, []);
    continue;
  }
  const eq = line.indexOf('=');
  if (eq <= 0 || !current) throw new Error(`unexpected line in the dump: ${line}`);
  sections.get(current).push([line.slice(0, eq), line.slice(eq + 1)]);
}

// Unit names that systemd-analyze accepts for each type (mounts and swaps are named after paths).
const TYPES = { service: 'x.service', socket: 'x.socket', target: 'x.target', device: 'dev-x.device', mount: 'mnt-x.mount', automount: 'mnt-x.automount', swap: 'dev-x.swap', timer: 'x.timer', path: 'x.path', slice: 'x.slice', scope: 'x.scope' };
const all = [...sections.keys()];
const typeSections = {};
for (const [type, name] of Object.entries(TYPES)) {
  const dir = mkdtempSync(join(tmpdir(), 'sd-gen-'));
  try {
    writeFileSync(join(dir, name), all.map((s) => `[${s}]`).join('\n') + '\n');
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', join(dir, name)], { encoding: 'utf8' });
    const output = r.stdout + r.stderr;
    const own = output.split('\n').filter((l) => l.startsWith(join(dir, name) + ':'));
    if (!own.length && /not found|cannot|not supported|Failed to load/i.test(output)) {
      // Scope units are never loaded from files; take the sections the dump lists for the type.
      typeSections[type] = all.filter((s) => s === 'Unit' || s === 'Install' || s.toLowerCase() === type);
      continue;
    }
    const unknown = new Set(own.map((l) => /Unknown section '([^']+)'/.exec(l)?.[1]).filter(Boolean));
    typeSections[type] = all.filter((s) => !unknown.has(s));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Which `%X` specifiers systemd resolves in unit settings: the others fail with "Invalid slot".
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
let specifiers;
{
  const dir = mkdtempSync(join(tmpdir(), 'sd-gen-'));
  try {
    const unit = join(dir, 'x.service');
    writeFileSync(unit, ['[Unit]', ...[...LETTERS].map((c) => `Description=%${c}`), '[Service]', 'ExecStart=/bin/true', ''].join('\n'));
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', unit], { encoding: 'utf8' });
    const bad = new Set([...(r.stdout + r.stderr).matchAll(/'%(.)'.*Invalid slot/g)].map((m) => m[1]));
    if (!bad.size) throw new Error('could not probe the specifiers');
    specifiers = [...LETTERS].filter((c) => !bad.has(c)).join('');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const q = (s) => JSON.stringify(s);
let ts = `/**
 * GENERATED FILE — do not edit. Regenerate with \`node scripts/systemd-gen-table.mjs\`.
 * Source: \`${SYSTEMD} --dump-configuration-items\` of systemd ${version}, and the sections each unit
 * type accepts as probed with \`systemd-analyze verify\`.
 */

export const SYSTEMD_VERSION = ${q(version)};

/** Section -> key -> the value type systemd prints (BOOLEAN, PATH [...], OTHER, …). Keys are case-sensitive. */
export const SETTINGS: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([
`;
for (const [name, keys] of sections) {
  ts += `  [${q(name)}, new Map([\n`;
  for (const [k, t] of keys) ts += `    [${q(k)}, ${q(t)}],\n`;
  ts += `  ])],\n`;
}
ts += `]);

/** Unit type (the file suffix) -> the sections a unit of that type may have. */
export const TYPE_SECTIONS: ReadonlyMap<string, readonly string[]> = new Map([
`;
for (const [type, secs] of Object.entries(typeSections)) ts += `  [${q(type)}, [${secs.map(q).join(', ')}]],\n`;
ts += `]);

/** The letters systemd resolves after \`%\` in unit settings (\`%%\` is a literal \`%\`); any other fails. */
export const SPECIFIERS = ${q(specifiers)};
`;
writeFileSync(out, ts);
console.log(`wrote ${out}: systemd ${version}, ${[...sections.values()].reduce((n, k) => n + k.length, 0)} keys in ${sections.size} sections`);
