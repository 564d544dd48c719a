import type { Fix, Rule, RuleContext } from '../core/types';
import { splitPath } from '../core/detect';
import { edit, envAssignments, isService, lastValue } from './edit';
import { settingsIn, type Assignment, type SystemdModel } from './model';
import { formatTenths, parseBool, securityExposure, worstSettings } from './security-score';

/** systemd's MEDIUM: below it (OK, SAFE, PERFECT) the unit is hardened enough to stay quiet. */
const REPORT_FROM = 50;

export const rule: Rule<SystemdModel> = {
  id: 'systemd/missing-hardening',
  format: 'systemd',
  severity: 'info',
  summary: 'A service with the sandboxing systemd-analyze security scores as exposed',
  check(model, ctx) {
    // A drop-in is merged over a unit we do not see: its score is unknowable, so it is not scored.
    if (!isService(model) || model.dropIn || underUserManager(model) || model.issues.some((i) => i.fatal)) return [];
    const service = settingsIn(model, 'Service');
    const header = model.sections.find((s) => s.name === 'Service' && s.accepted);
    if (!header || !service.some((a) => a.key === 'ExecStart' && a.value)) return [];
    // Like systemd-analyze security's overview, only long-running services: a oneshot job is not a daemon.
    if (lastValue(model, 'Service', 'Type')?.value === 'oneshot') return [];
    const exposure = securityExposure(model);
    const lines = hardeningLines(model, ctx.text, service);
    if (exposure.score < REPORT_FROM || !lines.length) return [];
    const worst = worstSettings(exposure, 3).map((w) => `${w.setting}= (-${formatTenths(w.share)})`);
    const message = `systemd-analyze security rates this service ${formatTenths(exposure.score)} ${exposure.level} (0 is fully sandboxed, 10 not at all). The settings that would lower it most: ${worst.join(', ')}.`;
    const fix: Fix = { title: `Add a hardening block (${lines.length - 1} settings a network daemon keeps working with)`, edits: [insertAfter(ctx, model, service[service.length - 1], lines)] };
    return [{ range: ctx.range(header.start, header.end), message, fixes: [fix] }];
  },
};

/** Units of a user manager (`~/.config/systemd/user/`) cannot use most of this sandbox. */
function underUserManager(model: SystemdModel): boolean {
  return /(^|\/)systemd\/user$/.test(splitPath(model.file).slice(0, -1).join('/'));
}

/**
 * The hardening block, minus every key the unit already sets (its choice stands), written in the
 * file's style. What it leaves out, on purpose: PrivateDevices= (GPUs), MemoryDenyWriteExecute=
 * (JITs), PrivateNetwork=/IPAddressDeny= (it is a network daemon), ProcSubset=pid (/proc/meminfo).
 */
function hardeningLines(model: SystemdModel, text: string, service: Assignment[]): string[] {
  const already = new Set(service.map((a) => a.key));
  const { yes, equals } = fileStyle(model, text);
  const root = runsAsRoot(model);
  const paths = statePaths(model, service, root);
  const homes = root || service.some((a) => HOME_PATH.test(a.value) || (a.key === 'WorkingDirectory' && /^-?~/.test(a.value)));
  const ambient = lastValue(model, 'Service', 'AmbientCapabilities')?.value;
  const out: string[] = [];
  const add = (key: string, value: string, when = true) => {
    if (when && !already.has(key)) out.push(`${key}${equals}${value}`.trimEnd());
  };
  add('NoNewPrivileges', yes);
  add('PrivateTmp', yes);
  add('ProtectSystem', 'strict');
  // The directories it writes stay writable under the read-only file system (`-`: skipped when missing).
  add('ReadWritePaths', paths.map((p) => '-' + p).join(' '), paths.length > 0 && !already.has('ProtectSystem'));
  // Home directories stay readable when the unit runs from or keeps files there.
  add('ProtectHome', homes ? 'read-only' : yes);
  for (const key of ['ProtectKernelTunables', 'ProtectKernelModules', 'ProtectKernelLogs', 'ProtectControlGroups', 'ProtectClock', 'ProtectHostname']) add(key, yes);
  add('ProtectProc', 'invisible');
  add('RestrictSUIDSGID', yes);
  add('RestrictRealtime', yes);
  add('RestrictNamespaces', yes);
  // Netlink stays: listing the host's interfaces (Go, Node, Python) goes through it.
  add('RestrictAddressFamilies', 'AF_UNIX AF_INET AF_INET6 AF_NETLINK');
  add('LockPersonality', yes);
  add('SystemCallArchitectures', 'native');
  add('SystemCallFilter', '@system-service');
  // A call outside the filter fails with EPERM instead of killing the daemon.
  add('SystemCallErrorNumber', 'EPERM', !already.has('SystemCallFilter'));
  // root keeps its capabilities (it may need them on files it does not own); a user needs none but its ambient ones.
  add('CapabilityBoundingSet', ambient && !ambient.startsWith('~') ? ambient : '', !root);
  add('RemoveIPC', yes, !root);
  return out.length ? ['# Hardening, as scored by systemd-analyze security', ...out] : [];
}

function runsAsRoot(model: SystemdModel): boolean {
  const user = lastValue(model, 'Service', 'User')?.value;
  if (parseBool(lastValue(model, 'Service', 'DynamicUser')?.value ?? '') === true) return user === 'root' || user === '0';
  return !user || user === 'root' || user === '0';
}

/** How the file writes booleans and `=`: the most common boolean word and spacing wins. */
function fileStyle(model: SystemdModel, text: string): { yes: string; equals: string } {
  const words = new Map<string, number>();
  let spaced = 0;
  let counted = 0;
  for (const a of model.assignments) {
    if (!a.equals || !a.section?.accepted) continue;
    if (parseBool(a.value) === true && /^[a-z]+$/i.test(a.value)) words.set(a.value, (words.get(a.value) ?? 0) + 1);
    if (text.slice(a.keyEnd, a.valueStart) !== '=') spaced++;
    counted++;
  }
  const yes = [...words].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'yes';
  return { yes, equals: spaced * 2 > counted ? ' = ' : '=' };
}

/** A home directory (`/home/…`, `/root`, `/run/user/…`, `%h`) anywhere in a value. */
const HOME_PATH = /(^|[\s="'])(\/home|\/root)(\/|\s|$)|\/run\/user\/|%h/;

/** Environment variables and command-line flags that name where a daemon writes its state. */
const STATE_VARIABLE = /(^|_)(HOME|DIR|DIRECTORY|MODELS|DATA|CACHE|STATE|STORAGE|WORKDIR|LOGS?)$/i;
const STATE_FLAG = /^--?[a-z-]*?(dir|directory|data|models?|cache|state|storage|home|db|database|logs?)$/i;
/** Ollama's installer creates the `ollama` user with this home, where it keeps its keys and models. */
const OLLAMA_HOME = '/usr/share/ollama';

/**
 * Directories the unit already names as its working or state directories, which ProtectSystem=strict
 * would make read-only: WorkingDirectory=, `*_HOME`/`*_DIR`/`*_MODELS`… variables, `--data-dir`-like
 * arguments. Temporary and kernel file systems, files and unresolved `$VAR`/`%` paths are left out.
 */
function statePaths(model: SystemdModel, service: Assignment[], root: boolean): string[] {
  const found: string[] = [];
  for (const a of service) {
    if (a.key === 'WorkingDirectory') found.push(a.value.replace(/^-/, ''));
    if (a.key === 'Environment') for (const e of envAssignments(a)) if (STATE_VARIABLE.test(e.name)) found.push(e.value);
    if (a.key === 'ExecStart' || a.key === 'ExecStartPre') {
      const args = a.words.map((w) => w.value);
      args.forEach((w, i) => {
        const eq = w.indexOf('=');
        if (eq > 0 && STATE_FLAG.test(w.slice(0, eq))) found.push(w.slice(eq + 1));
        else if (STATE_FLAG.test(w) && i + 1 < args.length) found.push(args[i + 1]);
      });
      if (a.key === 'ExecStart' && /(^|\/)ollama$/.test(args[0]?.replace(/^[-@:+!]+/, '') ?? '')) {
        const user = lastValue(model, 'Service', 'User')?.value;
        if (user === 'ollama') found.push(OLLAMA_HOME);
        else if (root) found.push('/root/.ollama');
      }
    }
  }
  const usable = found.filter((p) => /^\/[^\s$%]*$/.test(p) && !/^\/(tmp|var\/tmp|proc|sys|dev)(\/|$)/.test(p) && !/\/[^/.][^/]*\.[a-z0-9]{1,6}$/i.test(p) && p !== '/');
  return [...new Set(usable.map((p) => p.replace(/\/+$/, '')))];
}

/** Inserts whole lines after the service's last setting (its continuation lines included). */
function insertAfter(ctx: RuleContext, model: SystemdModel, last: Assignment, lines: string[]) {
  // The last setting ends the file without a line break: start a new line first.
  if (last.next === last.lineEnd) return edit(ctx, last.lineEnd, last.lineEnd, lines.map((l) => model.eol + l).join(''));
  return edit(ctx, last.next, last.next, lines.map((l) => l + model.eol).join(''));
}
