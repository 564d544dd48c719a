import { settingsIn, type Assignment, type SystemdModel } from './model';
import { SYSCALL_GROUPS } from './syscall-groups';

/**
 * The overall exposure of `systemd-analyze security` (systemd 252), computed from a unit's settings
 * as systemd's own assessment documents it: each check has a weight and a range, each setting a
 * badness from 0 to that range; the score is the weighted sum of badness/range over the weights of
 * the checks that apply, in tenths (0–100, shown as 0.0–10.0), every division rounded up.
 *
 * The settings are read the way the manager loads them (last assignment wins, lists accumulate, an
 * empty assignment resets), with the defaults of a system service and what `DynamicUser=`,
 * `PrivateDevices=`, `ProtectKernelModules=`, `ProtectKernelLogs=` and `ProtectClock=` imply.
 */

export interface CheckResult {
  /** The check's name as systemd prints it (`CapabilityBoundingSet=~CAP_SYS_ADMIN`). */
  id: string;
  /** The setting that improves it (`CapabilityBoundingSet`). */
  setting: string;
  weight: number;
  range: number;
  /** undefined: the check does not apply (root user, a unit in the early boot phase). */
  badness: number | undefined;
}

export interface Exposure {
  /** In tenths: 92 is systemd's "9.2". */
  score: number;
  /** systemd's word for the score (UNSAFE, EXPOSED, MEDIUM, OK, SAFE, PERFECT). */
  level: string;
  checks: CheckResult[];
  weightSum: number;
}

const LEVELS: [number, string][] = [[100, 'DANGEROUS'], [90, 'UNSAFE'], [75, 'EXPOSED'], [50, 'MEDIUM'], [10, 'OK'], [1, 'SAFE'], [0, 'PERFECT']];

/** Capability numbers (linux/capability.h) for the ones the assessment looks at. */
const CAPS = ['CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF', 'CHECKPOINT_RESTORE'];
const ALL_CAPS = (1n << 64n) - 1n;
const cap = (...names: string[]) => names.reduce((m, n) => m | (1n << BigInt(CAPS.indexOf(n))), 0n);

const NAMESPACES = ['cgroup', 'ipc', 'net', 'mnt', 'pid', 'user', 'uts'];
const ALL_NAMESPACES = (1 << NAMESPACES.length) - 1;
const ns = (name: string) => 1 << NAMESPACES.indexOf(name);

/** The sandbox as the manager would hold it once the unit is loaded. */
interface Sandbox {
  defaultDependencies: boolean;
  user: string | undefined;
  dynamicUser: boolean;
  supplementaryGroups: number;
  flags: Map<string, boolean>;
  protectHome: string;
  protectSystem: string;
  rootDirectory: string;
  rootImage: string;
  bounding: bigint;
  ambient: bigint;
  umask: number;
  keyringMode: string;
  protectProc: string;
  procSubset: string;
  notifyAccess: string;
  /** undefined: no RestrictAddressFamilies= list. */
  families: Set<string> | undefined;
  familiesAllow: boolean;
  /** undefined: never set (all namespaces allowed). */
  namespaces: number | undefined;
  archs: Set<string>;
  syscalls: Set<string> | undefined;
  syscallsAllow: boolean;
  delegate: boolean;
  devicePolicy: string;
  deviceAllow: number;
  ipDeny: { v4: boolean; v6: boolean }[];
  ipAllow: { local: boolean }[];
  ipFilters: boolean;
}

const BOOL_SETTINGS = ['PrivateDevices', 'PrivateMounts', 'PrivateNetwork', 'PrivateTmp', 'PrivateUsers', 'ProtectControlGroups', 'ProtectKernelModules', 'ProtectKernelTunables', 'ProtectKernelLogs', 'ProtectClock', 'ProtectHostname', 'LockPersonality', 'MemoryDenyWriteExecute', 'NoNewPrivileges', 'RemoveIPC', 'RestrictRealtime', 'RestrictSUIDSGID'];

/** systemd's parse_boolean(); undefined for anything else (systemd then ignores the line). */
export function parseBool(v: string): boolean | undefined {
  if (/^(1|yes|y|true|t|on)$/i.test(v)) return true;
  if (/^(0|no|n|false|f|off)$/i.test(v)) return false;
  return undefined;
}

const words = (a: Assignment) => a.words.map((w) => w.value);

function capabilities(value: string): bigint {
  let sum = 0n;
  for (const w of value.split(/\s+/).filter(Boolean)) {
    const name = w.toUpperCase().replace(/^CAP_/, '');
    const i = CAPS.indexOf(name);
    if (i >= 0) sum |= 1n << BigInt(i);
    else if (/^\d+$/.test(w) && Number(w) < 64) sum |= 1n << BigInt(w);
  }
  return sum;
}

/** CapabilityBoundingSet= and AmbientCapabilities=: `~` inverts; a first or empty list replaces, later ones merge. */
function applyCaps(current: bigint, initial: bigint, value: string): bigint {
  const invert = value.startsWith('~');
  const sum = capabilities(invert ? value.slice(1) : value);
  if (sum === 0n || current === initial) return invert ? ~sum & ALL_CAPS : sum;
  return invert ? current & ~sum : current | sum;
}

function expandSyscalls(name: string, seen = new Set<string>()): string[] {
  if (!name.startsWith('@')) return [name];
  const members = SYSCALL_GROUPS.get(name);
  if (!members || seen.has(name)) return [];
  seen.add(name);
  return members.split(' ').flatMap((m) => expandSyscalls(m, seen));
}

function applySyscallFilter(s: Sandbox, value: string): void {
  if (!value) {
    s.syscalls = undefined;
    s.syscallsAllow = false;
    return;
  }
  const invert = value.startsWith('~');
  if (!s.syscalls) {
    s.syscalls = new Set();
    s.syscallsAllow = !invert;
    // An allow list always lets the basic process calls through.
    if (s.syscallsAllow) for (const c of expandSyscalls('@default')) s.syscalls.add(c);
  }
  const add = !invert === s.syscallsAllow;
  for (const w of (invert ? value.slice(1) : value).split(/\s+/).filter(Boolean)) {
    for (const c of expandSyscalls(w.replace(/:.*$/, ''))) {
      if (add) s.syscalls.add(c);
      else s.syscalls.delete(c);
    }
  }
}

function applyNamespaces(s: Sandbox, value: string): void {
  if (!value) {
    s.namespaces = undefined;
    return;
  }
  const b = parseBool(value);
  if (b !== undefined) {
    s.namespaces = b ? 0 : ALL_NAMESPACES;
    return;
  }
  const invert = value.startsWith('~');
  let flags = 0;
  for (const w of (invert ? value.slice(1) : value).split(/\s+/).filter(Boolean)) {
    if (!NAMESPACES.includes(w)) return; // systemd ignores the whole line
    flags |= ns(w);
  }
  if (s.namespaces === undefined) s.namespaces = invert ? ~flags & ALL_NAMESPACES : flags;
  else s.namespaces = invert ? s.namespaces & ~flags : s.namespaces | flags;
}

function applyFamilies(s: Sandbox, value: string): void {
  if (!value || value === 'none') {
    // Empty: no restriction; `none`: an empty allow list.
    s.families = undefined;
    s.familiesAllow = value === 'none';
    return;
  }
  const invert = value.startsWith('~');
  if (!s.families) {
    s.families = new Set();
    s.familiesAllow = !invert;
  }
  for (const w of (invert ? value.slice(1) : value).split(/\s+/).filter(Boolean)) {
    if (!/^AF_[A-Z0-9_]+$/.test(w)) continue;
    if (!invert === s.familiesAllow) s.families.add(w);
    else s.families.delete(w);
  }
}

/** An IPAddressAllow=/IPAddressDeny= entry: whether it is all of IPv4/IPv6 (prefix 0), and whether it is loopback. */
function ipEntries(value: string): { v4: boolean; v6: boolean; local: boolean }[] {
  const out: { v4: boolean; v6: boolean; local: boolean }[] = [];
  for (const w of value.split(/\s+/).filter(Boolean)) {
    if (w === 'any') out.push({ v4: true, v6: false, local: false }, { v4: false, v6: true, local: false });
    else if (w === 'localhost') out.push({ v4: false, v6: false, local: true }, { v4: false, v6: false, local: true });
    else if (w === 'link-local' || w === 'multicast') out.push({ v4: false, v6: false, local: false });
    else {
      const [addr, prefix] = w.split('/');
      const v6 = addr.includes(':');
      const zero = prefix !== undefined && Number(prefix) === 0;
      const local = v6 ? addr === '::1' || addr === '0:0:0:0:0:0:0:1' : /^127\./.test(addr);
      out.push({ v4: zero && !v6, v6: zero && v6, local });
    }
  }
  return out;
}

function sandbox(model: SystemdModel): Sandbox {
  const s: Sandbox = {
    defaultDependencies: true,
    user: undefined,
    dynamicUser: false,
    supplementaryGroups: 0,
    flags: new Map(),
    protectHome: 'no',
    protectSystem: 'no',
    rootDirectory: '',
    rootImage: '',
    bounding: ALL_CAPS,
    ambient: 0n,
    umask: 0o022,
    keyringMode: 'private',
    protectProc: 'default',
    procSubset: 'all',
    notifyAccess: 'none',
    families: undefined,
    familiesAllow: false,
    namespaces: undefined,
    archs: new Set(),
    syscalls: undefined,
    syscallsAllow: false,
    delegate: false,
    devicePolicy: 'auto',
    deviceAllow: 0,
    ipDeny: [],
    ipAllow: [],
    ipFilters: false,
  };
  for (const a of settingsIn(model, 'Unit')) {
    if (a.key === 'DefaultDependencies') s.defaultDependencies = parseBool(a.value) ?? s.defaultDependencies;
  }
  const filters: Record<string, number> = {};
  for (const a of settingsIn(model, 'Service')) {
    const v = a.value;
    const bool = parseBool(v);
    if (BOOL_SETTINGS.includes(a.key)) {
      if (bool !== undefined) s.flags.set(a.key, bool);
      continue;
    }
    switch (a.key) {
      case 'User': s.user = v || undefined; break;
      case 'DynamicUser': if (bool !== undefined) s.dynamicUser = bool; break;
      case 'SupplementaryGroups': s.supplementaryGroups = v ? s.supplementaryGroups + words(a).length : 0; break;
      case 'ProtectHome': if (bool !== undefined) s.protectHome = bool ? 'yes' : 'no'; else if (v === 'read-only' || v === 'tmpfs') s.protectHome = v; break;
      case 'ProtectSystem': if (bool !== undefined) s.protectSystem = bool ? 'yes' : 'no'; else if (v === 'full' || v === 'strict') s.protectSystem = v; break;
      case 'RootDirectory': s.rootDirectory = v; break;
      case 'RootImage': s.rootImage = v; break;
      case 'CapabilityBoundingSet': s.bounding = applyCaps(s.bounding, ALL_CAPS, v); break;
      case 'AmbientCapabilities': s.ambient = v ? applyCaps(s.ambient, 0n, v) : 0n; break;
      case 'UMask': if (/^[0-7]{1,4}$/.test(v)) s.umask = parseInt(v, 8); break;
      case 'KeyringMode': if (['inherit', 'private', 'shared'].includes(v)) s.keyringMode = v; break;
      case 'ProtectProc': if (['noaccess', 'invisible', 'ptraceable', 'default'].includes(v)) s.protectProc = v; break;
      case 'ProcSubset': if (v === 'all' || v === 'pid') s.procSubset = v; break;
      case 'NotifyAccess': if (['none', 'main', 'exec', 'all'].includes(v)) s.notifyAccess = v; break;
      case 'RestrictAddressFamilies': applyFamilies(s, v); break;
      case 'RestrictNamespaces': applyNamespaces(s, v); break;
      case 'SystemCallArchitectures': if (!v) s.archs.clear(); else for (const w of words(a)) s.archs.add(w); break;
      case 'SystemCallFilter': applySyscallFilter(s, v); break;
      case 'Delegate': s.delegate = bool ?? true; break;
      case 'DevicePolicy': if (['auto', 'closed', 'strict'].includes(v)) s.devicePolicy = v; break;
      case 'DeviceAllow': s.deviceAllow = v ? s.deviceAllow + 1 : 0; break;
      case 'IPAddressDeny': s.ipDeny = v ? [...s.ipDeny, ...ipEntries(v)] : []; break;
      case 'IPAddressAllow': s.ipAllow = v ? [...s.ipAllow, ...ipEntries(v)] : []; break;
      case 'IPIngressFilterPath':
      case 'IPEgressFilterPath': filters[a.key] = v ? (filters[a.key] ?? 0) + 1 : 0; break;
    }
  }
  s.ipFilters = Object.values(filters).some((n) => n > 0);
  const on = (k: string) => s.flags.get(k) === true;
  // What loading the unit implies (the manager's unit_patch_contexts()).
  if (on('PrivateDevices')) s.bounding &= ~cap('MKNOD', 'SYS_RAWIO');
  if (on('ProtectKernelModules')) s.bounding &= ~cap('SYS_MODULE');
  if (on('ProtectKernelLogs')) s.bounding &= ~cap('SYSLOG');
  if (on('ProtectClock')) s.bounding &= ~cap('SYS_TIME', 'WAKE_ALARM');
  if (s.dynamicUser) {
    // The manager names the user after the unit: never root.
    s.user ??= 'dynamic';
    for (const k of ['PrivateTmp', 'RemoveIPC', 'NoNewPrivileges', 'RestrictSUIDSGID']) s.flags.set(k, true);
    s.protectSystem = 'strict';
    if (s.protectHome === 'no') s.protectHome = 'read-only';
  }
  if (on('PrivateDevices') && s.devicePolicy === 'auto') s.devicePolicy = 'closed';
  if (s.devicePolicy !== 'auto' || s.deviceAllow > 0) {
    if (s.rootImage) s.deviceAllow += 1;
    if (on('ProtectClock')) s.deviceAllow += 1;
  }
  return s;
}

type Assess = (s: Sandbox) => number | undefined;

interface Check {
  id: string;
  weight: number;
  range: number;
  assess: Assess;
  /** Not assessed for units that run in the early boot phase (DefaultDependencies=no). */
  defaultDependenciesOnly?: boolean;
}

const runsPrivileged = (s: Sandbox) => s.user === '0' || s.user === 'root' || (!s.dynamicUser && !s.user);
const flag = (key: string): Assess => (s) => (s.flags.get(key) === true ? 0 : 1);
const capCheck = (...names: string[]): Assess => (s) => (s.bounding & cap(...names) ? 1 : 0);
const nsCheck = (name: string): Assess => (s) => (s.namespaces === undefined || s.namespaces & ns(name) ? 1 : 0);
/** A family class is restricted when an allow list leaves it out or a deny list names it. */
const familyCheck = (match: (f: string) => boolean): Assess => (s) => {
  const listed = s.families ? [...s.families].some(match) : false;
  return (listed ? !s.familiesAllow : s.familiesAllow) ? 0 : 1;
};
const OTHER_FAMILY = (f: string) => !['AF_INET', 'AF_INET6', 'AF_UNIX', 'AF_NETLINK', 'AF_PACKET'].includes(f);
const syscallCheck = (group: string): Assess => (s) => {
  if (!s.syscallsAllow && !s.syscalls?.size) return 10;
  const filter = s.syscalls ?? new Set<string>();
  // Allow list: bad when it lets any call of the group through; deny list: when it misses one.
  const bad = expandSyscalls(group).some((c) => filter.has(c) === s.syscallsAllow);
  return s.syscallsAllow ? (bad ? 9 : 0) : bad ? 10 : 0;
};

const CHECKS: Check[] = [
  { id: 'User=/DynamicUser=', weight: 2000, range: 10, assess: (s) => (s.user === 'nobody' ? 9 : s.dynamicUser && s.user !== '0' && s.user !== 'root' ? 0 : s.user && s.user !== '0' && s.user !== 'root' ? 0 : 10) },
  { id: 'SupplementaryGroups=', weight: 200, range: 1, assess: (s) => (runsPrivileged(s) ? undefined : s.supplementaryGroups ? 1 : 0) },
  { id: 'PrivateDevices=', weight: 1000, range: 1, assess: flag('PrivateDevices') },
  { id: 'PrivateMounts=', weight: 1000, range: 1, assess: flag('PrivateMounts') },
  { id: 'PrivateNetwork=', weight: 2500, range: 1, assess: flag('PrivateNetwork') },
  { id: 'PrivateTmp=', weight: 1000, range: 1, assess: flag('PrivateTmp'), defaultDependenciesOnly: true },
  { id: 'PrivateUsers=', weight: 1000, range: 1, assess: flag('PrivateUsers') },
  { id: 'ProtectControlGroups=', weight: 1000, range: 1, assess: flag('ProtectControlGroups') },
  { id: 'ProtectKernelModules=', weight: 1000, range: 1, assess: flag('ProtectKernelModules') },
  { id: 'ProtectKernelTunables=', weight: 1000, range: 1, assess: flag('ProtectKernelTunables') },
  { id: 'ProtectKernelLogs=', weight: 1000, range: 1, assess: flag('ProtectKernelLogs') },
  { id: 'ProtectClock=', weight: 1000, range: 1, assess: flag('ProtectClock') },
  { id: 'ProtectHome=', weight: 1000, range: 10, assess: (s) => ({ yes: 0, 'read-only': 5, tmpfs: 1 })[s.protectHome] ?? 10, defaultDependenciesOnly: true },
  { id: 'ProtectHostname=', weight: 50, range: 1, assess: flag('ProtectHostname') },
  { id: 'ProtectSystem=', weight: 1000, range: 10, assess: (s) => ({ yes: 5, full: 3, strict: 0 })[s.protectSystem] ?? 10, defaultDependenciesOnly: true },
  { id: 'RootDirectory=/RootImage=', weight: 200, range: 1, assess: (s) => ((s.rootDirectory || '/') === '/' && (s.rootImage || '/') === '/' ? 1 : 0), defaultDependenciesOnly: true },
  { id: 'LockPersonality=', weight: 100, range: 1, assess: flag('LockPersonality') },
  { id: 'MemoryDenyWriteExecute=', weight: 100, range: 1, assess: flag('MemoryDenyWriteExecute') },
  { id: 'NoNewPrivileges=', weight: 1000, range: 1, assess: flag('NoNewPrivileges') },
  { id: 'CapabilityBoundingSet=~CAP_SYS_ADMIN', weight: 1500, range: 1, assess: capCheck('SYS_ADMIN') },
  { id: 'CapabilityBoundingSet=~CAP_SET(UID|GID|PCAP)', weight: 1500, range: 1, assess: capCheck('SETUID', 'SETGID', 'SETPCAP') },
  { id: 'CapabilityBoundingSet=~CAP_SYS_PTRACE', weight: 1500, range: 1, assess: capCheck('SYS_PTRACE') },
  { id: 'CapabilityBoundingSet=~CAP_SYS_TIME', weight: 1000, range: 1, assess: capCheck('SYS_TIME') },
  { id: 'CapabilityBoundingSet=~CAP_NET_ADMIN', weight: 1000, range: 1, assess: capCheck('NET_ADMIN') },
  { id: 'CapabilityBoundingSet=~CAP_SYS_RAWIO', weight: 1000, range: 1, assess: capCheck('SYS_RAWIO') },
  { id: 'CapabilityBoundingSet=~CAP_SYS_MODULE', weight: 1000, range: 1, assess: capCheck('SYS_MODULE') },
  { id: 'CapabilityBoundingSet=~CAP_AUDIT_*', weight: 500, range: 1, assess: capCheck('AUDIT_CONTROL', 'AUDIT_READ', 'AUDIT_WRITE') },
  { id: 'CapabilityBoundingSet=~CAP_SYSLOG', weight: 500, range: 1, assess: capCheck('SYSLOG') },
  { id: 'CapabilityBoundingSet=~CAP_SYS_(NICE|RESOURCE)', weight: 500, range: 1, assess: capCheck('SYS_NICE', 'SYS_RESOURCE') },
  { id: 'CapabilityBoundingSet=~CAP_MKNOD', weight: 500, range: 1, assess: capCheck('MKNOD') },
  { id: 'CapabilityBoundingSet=~CAP_(CHOWN|FSETID|SETFCAP)', weight: 1000, range: 1, assess: capCheck('CHOWN', 'FSETID', 'SETFCAP') },
  { id: 'CapabilityBoundingSet=~CAP_(DAC_*|FOWNER|IPC_OWNER)', weight: 1000, range: 1, assess: capCheck('DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'IPC_OWNER') },
  { id: 'CapabilityBoundingSet=~CAP_KILL', weight: 500, range: 1, assess: capCheck('KILL') },
  { id: 'CapabilityBoundingSet=~CAP_NET_(BIND_SERVICE|BROADCAST|RAW)', weight: 500, range: 1, assess: capCheck('NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_RAW') },
  { id: 'CapabilityBoundingSet=~CAP_SYS_BOOT', weight: 100, range: 1, assess: capCheck('SYS_BOOT') },
  { id: 'CapabilityBoundingSet=~CAP_MAC_*', weight: 100, range: 1, assess: capCheck('MAC_ADMIN', 'MAC_OVERRIDE') },
  { id: 'CapabilityBoundingSet=~CAP_LINUX_IMMUTABLE', weight: 75, range: 1, assess: capCheck('LINUX_IMMUTABLE') },
  { id: 'CapabilityBoundingSet=~CAP_IPC_LOCK', weight: 50, range: 1, assess: capCheck('IPC_LOCK') },
  { id: 'CapabilityBoundingSet=~CAP_SYS_CHROOT', weight: 50, range: 1, assess: capCheck('SYS_CHROOT') },
  { id: 'CapabilityBoundingSet=~CAP_BLOCK_SUSPEND', weight: 25, range: 1, assess: capCheck('BLOCK_SUSPEND') },
  { id: 'CapabilityBoundingSet=~CAP_WAKE_ALARM', weight: 25, range: 1, assess: capCheck('WAKE_ALARM') },
  { id: 'CapabilityBoundingSet=~CAP_LEASE', weight: 25, range: 1, assess: capCheck('LEASE') },
  { id: 'CapabilityBoundingSet=~CAP_SYS_TTY_CONFIG', weight: 25, range: 1, assess: capCheck('SYS_TTY_CONFIG') },
  { id: 'CapabilityBoundingSet=~CAP_SYS_PACCT', weight: 25, range: 1, assess: capCheck('SYS_PACCT') },
  { id: 'CapabilityBoundingSet=~CAP_BPF', weight: 25, range: 1, assess: capCheck('BPF') },
  {
    id: 'UMask=', weight: 100, range: 10,
    assess: (s) => (!(s.umask & 0o002) ? 10 : !(s.umask & 0o004) ? 5 : !(s.umask & 0o020) ? 2 : !(s.umask & 0o040) ? 1 : 0),
  },
  { id: 'KeyringMode=', weight: 1000, range: 1, assess: (s) => (s.keyringMode === 'private' ? 0 : 1) },
  { id: 'ProtectProc=', weight: 1000, range: 3, assess: (s) => (s.protectProc === 'noaccess' ? 1 : s.protectProc === 'invisible' || s.protectProc === 'ptraceable' ? 0 : 3) },
  { id: 'ProcSubset=', weight: 10, range: 1, assess: (s) => (s.procSubset === 'pid' ? 0 : 1) },
  { id: 'NotifyAccess=', weight: 1000, range: 1, assess: (s) => (s.notifyAccess === 'all' ? 1 : 0) },
  { id: 'RemoveIPC=', weight: 100, range: 1, assess: (s) => (runsPrivileged(s) ? undefined : s.flags.get('RemoveIPC') ? 0 : 1) },
  { id: 'Delegate=', weight: 100, range: 1, assess: (s) => (s.delegate ? 1 : 0) },
  { id: 'RestrictRealtime=', weight: 500, range: 1, assess: flag('RestrictRealtime') },
  { id: 'RestrictSUIDSGID=', weight: 1000, range: 1, assess: flag('RestrictSUIDSGID') },
  { id: 'RestrictNamespaces=~user', weight: 1500, range: 1, assess: nsCheck('user') },
  { id: 'RestrictNamespaces=~mnt', weight: 500, range: 1, assess: nsCheck('mnt') },
  { id: 'RestrictNamespaces=~ipc', weight: 500, range: 1, assess: nsCheck('ipc') },
  { id: 'RestrictNamespaces=~pid', weight: 500, range: 1, assess: nsCheck('pid') },
  { id: 'RestrictNamespaces=~cgroup', weight: 500, range: 1, assess: nsCheck('cgroup') },
  { id: 'RestrictNamespaces=~net', weight: 500, range: 1, assess: nsCheck('net') },
  { id: 'RestrictNamespaces=~uts', weight: 100, range: 1, assess: nsCheck('uts') },
  { id: 'RestrictAddressFamilies=~AF_(INET|INET6)', weight: 1500, range: 1, assess: familyCheck((f) => f === 'AF_INET' || f === 'AF_INET6') },
  { id: 'RestrictAddressFamilies=~AF_UNIX', weight: 25, range: 1, assess: familyCheck((f) => f === 'AF_UNIX') },
  { id: 'RestrictAddressFamilies=~AF_NETLINK', weight: 200, range: 1, assess: familyCheck((f) => f === 'AF_NETLINK') },
  { id: 'RestrictAddressFamilies=~AF_PACKET', weight: 1000, range: 1, assess: familyCheck((f) => f === 'AF_PACKET') },
  { id: 'RestrictAddressFamilies=~…', weight: 1250, range: 1, assess: familyCheck(OTHER_FAMILY) },
  { id: 'SystemCallArchitectures=', weight: 1000, range: 10, assess: (s) => (!s.archs.size ? 10 : s.archs.size === 1 && s.archs.has('native') ? 0 : 8) },
  { id: 'SystemCallFilter=~@swap', weight: 1000, range: 10, assess: syscallCheck('@swap') },
  { id: 'SystemCallFilter=~@obsolete', weight: 250, range: 10, assess: syscallCheck('@obsolete') },
  { id: 'SystemCallFilter=~@clock', weight: 1000, range: 10, assess: syscallCheck('@clock') },
  { id: 'SystemCallFilter=~@cpu-emulation', weight: 250, range: 10, assess: syscallCheck('@cpu-emulation') },
  { id: 'SystemCallFilter=~@debug', weight: 1000, range: 10, assess: syscallCheck('@debug') },
  { id: 'SystemCallFilter=~@mount', weight: 1000, range: 10, assess: syscallCheck('@mount') },
  { id: 'SystemCallFilter=~@module', weight: 1000, range: 10, assess: syscallCheck('@module') },
  { id: 'SystemCallFilter=~@raw-io', weight: 1000, range: 10, assess: syscallCheck('@raw-io') },
  { id: 'SystemCallFilter=~@reboot', weight: 1000, range: 10, assess: syscallCheck('@reboot') },
  { id: 'SystemCallFilter=~@privileged', weight: 700, range: 10, assess: syscallCheck('@privileged') },
  { id: 'SystemCallFilter=~@resources', weight: 700, range: 10, assess: syscallCheck('@resources') },
  {
    id: 'IPAddressDeny=', weight: 1000, range: 10,
    assess: (s) => {
      if (s.ipFilters) return 0;
      if (!(s.ipDeny.some((e) => e.v4) && s.ipDeny.some((e) => e.v6))) return 10;
      if (s.ipAllow.some((e) => !e.local)) return 5;
      return s.ipAllow.length ? 2 : 0;
    },
  },
  { id: 'DeviceAllow=', weight: 1000, range: 10, assess: (s) => (s.devicePolicy === 'strict' || s.devicePolicy === 'closed' ? (s.deviceAllow ? 5 : 0) : 10) },
  { id: 'AmbientCapabilities=', weight: 500, range: 1, assess: (s) => (s.ambient ? 1 : 0) },
];

const divUp = (a: number, b: number) => Math.ceil(a / b);

/** The exposure `systemd-analyze security --offline=yes` gives this unit file. */
export function securityExposure(model: SystemdModel): Exposure {
  const s = sandbox(model);
  let badnessSum = 0;
  let weightSum = 0;
  const checks: CheckResult[] = CHECKS.map((c) => {
    const badness = c.defaultDependenciesOnly && !s.defaultDependencies ? undefined : c.assess(s);
    if (badness !== undefined) {
      badnessSum += divUp(badness * c.weight, c.range);
      weightSum += c.weight;
    }
    return { id: c.id, setting: c.id.replace(/=.*$/, ''), weight: c.weight, range: c.range, badness };
  });
  const score = divUp(badnessSum * 100, weightSum);
  return { score, level: LEVELS.find(([min]) => score >= min)![1], checks, weightSum };
}

/** The settings whose checks add the most to the score, with their share of it in tenths. */
export function worstSettings(e: Exposure, count: number): { setting: string; share: number }[] {
  const bySetting = new Map<string, number>();
  for (const c of e.checks) {
    if (!c.badness) continue;
    bySetting.set(c.setting, (bySetting.get(c.setting) ?? 0) + divUp(c.badness * c.weight, c.range));
  }
  return [...bySetting]
    .map(([setting, points]) => ({ setting, share: divUp(points * 100, e.weightSum) }))
    .sort((a, b) => b.share - a.share || a.setting.localeCompare(b.setting))
    .slice(0, count);
}

export const formatTenths = (n: number) => `${Math.floor(n / 10)}.${n % 10}`;
