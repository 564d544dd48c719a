import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSystemd } from '../../../rules/systemd/model';
import { securityExposure, worstSettings } from '../../../rules/systemd/security-score';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'systemd/missing-hardening';
const UNIT = '/etc/systemd/system/app.service';
const check = (text: string, file = UNIT) => only(lint(text, { file }), RULE);
const score = (text: string, file = UNIT) => securityExposure(parseSystemd(text, file)).score;

/** The block the fix adds to a service that sets none of it, in the order it is written. */
const BLOCK = [
  'NoNewPrivileges=yes',
  'PrivateTmp=yes',
  'ProtectSystem=strict',
  'ProtectHome=read-only',
  'ProtectKernelTunables=yes',
  'ProtectKernelModules=yes',
  'ProtectKernelLogs=yes',
  'ProtectControlGroups=yes',
  'ProtectClock=yes',
  'ProtectHostname=yes',
  'ProtectProc=invisible',
  'RestrictSUIDSGID=yes',
  'RestrictRealtime=yes',
  'RestrictNamespaces=yes',
  'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK',
  'LockPersonality=yes',
  'SystemCallArchitectures=native',
  'SystemCallFilter=@system-service',
  'SystemCallErrorNumber=EPERM',
];
const COMMENT = '# Hardening, as scored by systemd-analyze security';

describe(`${RULE}: the score`, () => {
  // Each figure is what `systemd-analyze security --offline=yes` (systemd 252) prints for the unit.
  it('scores a bare root service 9.6 and one with a static user 9.2', () => {
    assert.equal(score(lines('[Service]', 'ExecStart=/bin/true')), 96);
    assert.equal(score(lines('[Service]', 'ExecStart=/bin/true', 'User=ollama')), 92);
  });

  it('scores allow lists, DynamicUser= and what it implies', () => {
    const text = lines(
      '[Service]', 'ExecStart=/usr/local/bin/app --data-dir /var/lib/app', 'DynamicUser=yes', 'SystemCallFilter=@system-service',
      'SystemCallFilter=~@privileged @resources', 'SystemCallArchitectures=native', 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6',
      'IPAddressDeny=any', 'IPAddressAllow=localhost', 'CapabilityBoundingSet=', 'ProtectProc=invisible', 'ProcSubset=pid', 'UMask=0077',
    );
    assert.equal(score(text), 34);
  });

  it('scores deny lists, merged capability and namespace lists, and partial settings', () => {
    const text = lines(
      '[Service]', 'ExecStart=/usr/bin/app', 'User=app', 'SupplementaryGroups=video render', 'SystemCallFilter=~@mount @swap @reboot @raw-io @clock',
      'SystemCallFilter=~@debug:EPERM ptrace', 'SystemCallArchitectures=native x86', 'RestrictAddressFamilies=~AF_PACKET AF_NETLINK',
      'IPAddressDeny=0.0.0.0/0 ::/0', 'IPAddressAllow=10.0.0.0/8 127.0.0.1', 'CapabilityBoundingSet=~CAP_SYS_ADMIN CAP_NET_ADMIN',
      'CapabilityBoundingSet=~CAP_SYS_PTRACE', 'AmbientCapabilities=CAP_NET_BIND_SERVICE', 'RestrictNamespaces=~user net', 'RestrictNamespaces=~mnt',
      'ProtectHome=tmpfs', 'ProtectSystem=yes', 'KeyringMode=shared', 'NotifyAccess=all', 'UMask=0027',
    );
    assert.equal(score(text), 69);
  });

  it('leaves out the checks that do not apply to early-boot units and to root', () => {
    const text = lines(
      '[Unit]', 'DefaultDependencies=no', '[Service]', 'Type=oneshot', 'ExecStart=/usr/sbin/early-setup', 'User=nobody', 'ProtectSystem=full',
      'ProtectHome=read-only', 'PrivateTmp=yes', 'RootDirectory=/srv/chroot', 'Delegate=yes', 'DevicePolicy=strict', 'DeviceAllow=/dev/null rw',
      'ProtectClock=yes', 'UMask=0000', 'ProtectProc=noaccess', 'RestrictAddressFamilies=none', 'RestrictNamespaces=cgroup ipc', 'RestrictNamespaces=pid',
    );
    const e = securityExposure(parseSystemd(text, UNIT));
    assert.equal(e.score, 77);
    assert.equal(e.checks.find((c) => c.id === 'ProtectSystem=')!.badness, undefined);
    const root = securityExposure(parseSystemd(lines('[Service]', 'ExecStart=/bin/true'), UNIT));
    assert.equal(root.checks.find((c) => c.id === 'RemoveIPC=')!.badness, undefined);
  });

  it('resets lists on an empty assignment and ignores values systemd ignores', () => {
    const text = lines(
      '[Service]', 'ExecStart=/usr/bin/app', 'User=app', 'SystemCallFilter=@system-service', 'SystemCallFilter=', 'RestrictAddressFamilies=AF_INET',
      'RestrictAddressFamilies=', 'CapabilityBoundingSet=CAP_NET_BIND_SERVICE', 'CapabilityBoundingSet=CAP_CHOWN', 'IPAddressDeny=any', 'IPAddressDeny=',
      'RestrictNamespaces=yes', 'RestrictNamespaces=', 'NoNewPrivileges=yes', 'NoNewPrivileges=maybe',
    );
    assert.equal(score(text), 68);
  });

  it('names the settings that add the most', () => {
    const e = securityExposure(parseSystemd(lines('[Service]', 'ExecStart=/bin/true', 'User=app'), UNIT));
    assert.deepEqual(worstSettings(e, 3), [
      { setting: 'CapabilityBoundingSet', share: 25 },
      { setting: 'SystemCallFilter', share: 16 },
      { setting: 'RestrictAddressFamilies', share: 8 },
    ]);
  });
});

describe(RULE, () => {
  it('reports an unhardened service at its [Service] header, as info, with its score and worst settings', () => {
    const text = lines('[Unit]', 'Description=x', '', '[Service]', 'ExecStart=/usr/bin/app', '', '[Install]', 'WantedBy=multi-user.target');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'info');
    assert.deepEqual(f.range, rangeOf(text, '[Service]'));
    assert.equal(
      f.message,
      'systemd-analyze security rates this service 9.6 UNSAFE (0 is fully sandboxed, 10 not at all). The settings that would lower it most: CapabilityBoundingSet= (-2.5), SystemCallFilter= (-1.6), RestrictAddressFamilies= (-0.8).',
    );
  });

  it('reports on the first of repeated [Service] sections and inserts after the last setting', () => {
    const text = lines('[Service]', 'ExecStart=/usr/bin/app', '[Install]', 'WantedBy=multi-user.target', '[Service]', 'Restart=always');
    assert.deepEqual(check(text)[0].range, rangeOf(text, '[Service]'));
    assertFixWorks(text, RULE, /^Add a hardening block/, lines('[Service]', 'ExecStart=/usr/bin/app', '[Install]', 'WantedBy=multi-user.target', '[Service]', 'Restart=always', COMMENT, ...BLOCK), { file: UNIT });
  });

  it('stays quiet for drop-ins, user units, other unit types, services without ExecStart=, oneshot jobs, broken files and hardened services', () => {
    assert.deepEqual(check(lines('[Service]', 'User=root'), '/etc/systemd/system/app.service.d/override.conf'), []);
    assert.deepEqual(check(lines('[Service]', 'ExecStart=/bin/a'), '/home/me/.config/systemd/user/a.service'), []);
    assert.deepEqual(check(lines('[Socket]', 'ListenStream=80'), '/etc/systemd/system/a.socket'), []);
    assert.deepEqual(check(lines('[Service]', 'Environment=A=1')), []);
    assert.deepEqual(check(lines('[Service]', 'Type=oneshot', 'ExecStart=/usr/bin/backup')), []);
    assert.deepEqual(check(lines('[Service', 'ExecStart=/bin/a')), []);
    // 3.4 OK: below systemd's MEDIUM.
    const hardened = lines('[Service]', 'ExecStart=/usr/bin/app', 'DynamicUser=yes', 'SystemCallFilter=@system-service', 'SystemCallFilter=~@privileged @resources', 'SystemCallArchitectures=native', 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6', 'IPAddressDeny=any', 'IPAddressAllow=localhost', 'CapabilityBoundingSet=', 'ProtectProc=invisible', 'ProcSubset=pid', 'UMask=0077');
    assert.deepEqual(check(hardened), []);
  });

  it('stays quiet when the unit already sets every key of the block, whatever its values (its choice stands)', () => {
    const keys = BLOCK.map((l) => l.replace(/=.*/, '='));
    const text = lines('[Service]', 'ExecStart=/usr/bin/app', 'User=app', 'CapabilityBoundingSet=~CAP_SYS_ADMIN', 'RemoveIPC=no', ...keys);
    assert.ok(score(text) >= 50);
    assert.deepEqual(check(text), []);
  });

  it('adds the block for a root service: home directories read-only, capabilities kept (not preferred)', () => {
    const text = lines('[Unit]', 'Description=x', '', '[Service]', 'ExecStart=/usr/bin/app', '', '[Install]', 'WantedBy=multi-user.target');
    const [f] = check(text);
    assert.equal(f.fixes.length, 1);
    assert.equal(f.fixes[0].preferred, undefined);
    assert.equal(f.fixes[0].title, 'Add a hardening block (19 settings a network daemon keeps working with)');
    const fixed = assertFixWorks(text, RULE, /^Add a hardening block/, lines('[Unit]', 'Description=x', '', '[Service]', 'ExecStart=/usr/bin/app', COMMENT, ...BLOCK, '', '[Install]', 'WantedBy=multi-user.target'), { file: UNIT });
    assert.ok(score(fixed) < 50, `fixed scores ${score(fixed)}`);
  });

  it("keeps the file's style: ` = `, `true`, a last line with no line break, continuation lines, state directories writable", () => {
    const text = '[Service]\nExecStart = /opt/web/bin/web \\\n  --data-dir /var/lib/web\nUser = web\nWorkingDirectory = /opt/web\nPrivateTmp = true\nAmbientCapabilities = CAP_NET_BIND_SERVICE';
    const expected = text + '\n' + [
      COMMENT, 'NoNewPrivileges = true', 'ProtectSystem = strict', 'ReadWritePaths = -/var/lib/web -/opt/web', 'ProtectHome = true',
      'ProtectKernelTunables = true', 'ProtectKernelModules = true', 'ProtectKernelLogs = true', 'ProtectControlGroups = true', 'ProtectClock = true',
      'ProtectHostname = true', 'ProtectProc = invisible', 'RestrictSUIDSGID = true', 'RestrictRealtime = true', 'RestrictNamespaces = true',
      'RestrictAddressFamilies = AF_UNIX AF_INET AF_INET6 AF_NETLINK', 'LockPersonality = true', 'SystemCallArchitectures = native',
      'SystemCallFilter = @system-service', 'SystemCallErrorNumber = EPERM', 'CapabilityBoundingSet = CAP_NET_BIND_SERVICE', 'RemoveIPC = true',
    ].join('\n');
    assertFixWorks(text, RULE, /^Add a hardening block/, expected, { file: '/etc/systemd/system/web.service' });
  });

  it("keeps CRLF, and keeps Ollama's home (/usr/share/ollama) writable for the ollama user", () => {
    const text = '[Service]\r\nExecStart=/usr/local/bin/ollama serve\r\nUser=ollama\r\nEnvironment="OLLAMA_HOST=127.0.0.1"\r\n';
    const block = [COMMENT, ...BLOCK.slice(0, 3), 'ReadWritePaths=-/usr/share/ollama', 'ProtectHome=yes', ...BLOCK.slice(4), 'CapabilityBoundingSet=', 'RemoveIPC=yes'];
    const fixed = assertFixWorks(text, RULE, /^Add a hardening block/, text + block.map((l) => l + '\r\n').join(''), { file: '/etc/systemd/system/ollama.service' });
    assert.equal(score(fixed, '/etc/systemd/system/ollama.service'), 20);
  });

  it('does not duplicate keys the unit sets, and reads home-directory paths as a reason for ProtectHome=read-only', () => {
    const text = lines('[Service]', 'ExecStart=/home/me/app/run', 'User=me', 'Environment="APP_DATA=/home/me/app/data" "CONFIG=/etc/app/app.conf"', 'NoNewPrivileges=yes', 'ProtectSystem=full', 'SystemCallFilter=@system-service @resources');
    const expected = lines(
      '[Service]', 'ExecStart=/home/me/app/run', 'User=me', 'Environment="APP_DATA=/home/me/app/data" "CONFIG=/etc/app/app.conf"', 'NoNewPrivileges=yes', 'ProtectSystem=full', 'SystemCallFilter=@system-service @resources',
      COMMENT, 'PrivateTmp=yes', 'ProtectHome=read-only', ...BLOCK.slice(4, 17), 'CapabilityBoundingSet=', 'RemoveIPC=yes',
    );
    assertFixWorks(text, RULE, /^Add a hardening block/, expected, { file: UNIT });
  });
});
