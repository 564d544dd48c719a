#!/usr/bin/env node
// Generates rules/systemd/syscall-groups.ts from the real tools on this machine, for
// systemd/missing-hardening's SystemCallFilter= scoring:
//   - the system call groups (`@clock`, `@system-service`, …) as `systemd-analyze syscall-filter` prints them;
//   - only the names libseccomp resolves to a real system call on this architecture: systemd's
//     `systemd-analyze security` skips the others (seccomp_syscall_resolve_name() < 0), and so do we.
//     Resolved through libseccomp itself (python3 ctypes), as systemd does.
// Run: node scripts/systemd-gen-syscalls.mjs   (then commit the generated file)
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'rules/systemd/syscall-groups.ts');

const version = execFileSync('systemd-analyze', ['--version'], { encoding: 'utf8' }).split('\n')[0].replace(/^systemd\s+/, '');
const dump = execFileSync('systemd-analyze', ['syscall-filter'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

/** group -> its members in systemd's order (names and `@group` references) */
const groups = new Map();
let current;
for (const raw of dump.split('\n')) {
  if (!raw.trim() || raw.trim().startsWith('#')) continue;
  if (!/^\s/.test(raw)) {
    current = raw.trim();
    if (!current.startsWith('@')) throw new Error(`unexpected group line: ${raw}`);
    groups.set(current, []);
    continue;
  }
  groups.get(current).push(raw.trim());
}

const names = [...new Set([...groups.values()].flat().filter((n) => !n.startsWith('@')))].sort();
const py = `
import ctypes, sys
lib = ctypes.CDLL('libseccomp.so.2')
lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
for n in sys.stdin.read().split():
    if lib.seccomp_syscall_resolve_name(n.encode()) >= 0: print(n)
`;
const resolvable = new Set(execFileSync('python3', ['-c', py], { input: names.join('\n'), encoding: 'utf8' }).split('\n').filter(Boolean));
const arch = execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim();

let body = '';
for (const [name, members] of groups) {
  const kept = members.filter((m) => m.startsWith('@') || resolvable.has(m));
  body += `  [${JSON.stringify(name)}, ${JSON.stringify(kept.join(' '))}],\n`;
}
const text = `/**
 * GENERATED FILE — do not edit. Regenerate with \`node scripts/systemd-gen-syscalls.mjs\`.
 * Source: \`systemd-analyze syscall-filter\` of systemd ${version}; only the system calls that
 * libseccomp resolves on ${arch} (the ones \`systemd-analyze security\` assesses) are kept.
 */

export const SYSCALLS_SYSTEMD_VERSION = ${JSON.stringify(version)};

/** Group -> its members, space-separated: system call names and \`@group\` references. */
export const SYSCALL_GROUPS: ReadonlyMap<string, string> = new Map([
${body}]);
`;
writeFileSync(out, text);
console.log(`wrote ${out}: ${groups.size} groups, ${resolvable.size} of ${names.length} names resolve on ${arch}`);
