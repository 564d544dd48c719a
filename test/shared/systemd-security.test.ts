/**
 * Differential test of systemd/missing-hardening's score: on every service of the corpus, of the
 * systemd fixtures, of test/fixtures/systemd-security and of the edge cases below, our exposure equals the overall exposure of
 * the real `systemd-analyze security --offline=yes` (systemd 252), and so does the badness of each of
 * its checks. A drop-in is scored as the tool sees it: merged over the stand-in base unit.
 * Files the tool gives no score for are listed below with the reason; any other disagreement fails.
 *
 * Then every hardening fix: applied, the tool's score is lower, `systemd-analyze verify` has no new
 * complaint, the finding is gone and the fix is not offered again.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits, lintText } from '../../rules';
import { parseSystemd, type SystemdModel } from '../../rules/systemd/model';
import { formatTenths, securityExposure } from '../../rules/systemd/security-score';
import { BASE_UNIT, toolScore } from './systemd-security-tool';
import { ENVIRONMENTAL, hasSystemdAnalyze, inputs, verify, type Input, type Verdict } from './systemd-tool';

const RULE = 'systemd/missing-hardening';
const OWN_FIXTURES = path.resolve(__dirname, '../fixtures/systemd-security');

/** Files `systemd-analyze security` refuses to score, and why; ours is not compared there. */
const NO_TOOL_SCORE: Record<string, string> = {
  'barstoolbluz__wsl2-ollama__ollama.service': 'its ExecStart= is outside of any section: systemd refuses a service with no ExecStart=',
  'spandanx__caddy-rev-proxy-ollama-server__ollama.service': 'no ExecStart= at all: systemd refuses the service',
  'growlf__ai-stack__systemd__ai-stack.service': 'WorkingDirectory=${INSTALL_DIR} is not absolute: a fatal setting error, the unit is not loaded',
  'fixtures/header-comment.service': "an invalid section header ('[Service] # main section'): the unit fails to load",
  'fixtures/header.service': "an invalid section header ('[Service'): the unit fails to load",
  'fixtures/ollama.service.d/override.conf': 'the drop-in adds a second ExecStart= without clearing it: systemd refuses the merged unit',
  'fixtures/specifiers.service': 'an unknown specifier in an Exec line: a fatal setting error, the unit is not loaded',
  'fixtures/two-execstart.service': 'two ExecStart= in a Type=simple service: systemd refuses it',
};

/** Settings whose parsing is easy to get wrong, each in a unit of its own (`[Service]`, `ExecStart=`, then these). */
const EDGE_CASES: string[][] = [
  ['SystemCallArchitectures=x86-64'], ['SystemCallArchitectures=native', 'SystemCallArchitectures=native'], ['ProtectSystem=true', 'ProtectHome=True'],
  ['RestrictAddressFamilies=none', 'RestrictAddressFamilies=AF_UNIX'], ['RestrictAddressFamilies=none'], ['RestrictAddressFamilies=~AF_INET', 'RestrictAddressFamilies=AF_INET'],
  ['CapabilityBoundingSet=cap_net_raw', 'User=x'], ['CapabilityBoundingSet=~', 'User=x'], ['CapabilityBoundingSet=~CAP_SYS_ADMIN', 'CapabilityBoundingSet=CAP_SYS_ADMIN'],
  ['IPAddressDeny=any', 'IPAddressAllow=::1'], ['IPAddressDeny=any', 'IPAddressAllow=127.0.0.1/8 link-local'], ['RestrictNamespaces=~'], ['RestrictNamespaces=~foo'],
  ['DynamicUser=yes', 'User='], ['DynamicUser=yes', 'User=root'], ['Delegate=cpu io'], ['Delegate='], ['PrivateTmp=yes', 'PrivateTmp='], ['KeyringMode=inherit'],
  ['SystemCallFilter=~@known'], ['SystemCallFilter=@default'], ['SystemCallFilter=@system-service', 'SystemCallFilter=~@resources @privileged @obsolete'],
  ['SystemCallFilter=~@foo bar'], ['SystemCallFilter=~'], ['UMask=0770'], ['UMask=abc'], ['User=0'], ['SupplementaryGroups=a', 'SupplementaryGroups=', 'User=x'],
  ['ProtectClock=yes', 'DeviceAllow=/dev/sda r'], ['PrivateDevices=yes', 'ProtectClock=yes'], ['RootImage=/x.raw', 'DevicePolicy=closed'], ['RootDirectory=/'],
  ['NotifyAccess=main'], ['ProtectProc=ptraceable'], ['AmbientCapabilities=~CAP_SYS_ADMIN'], ['AmbientCapabilities=CAP_NET_RAW', 'AmbientCapabilities='],
  ['IPEgressFilterPath=/sys/fs/bpf/x', 'IPEgressFilterPath='], ['ProtectKernelModules=yes', 'CapabilityBoundingSet=CAP_SYS_MODULE'], ['PrivateUsers=1', 'MemoryDenyWriteExecute=Y'],
];

function allInputs(): Input[] {
  const own: Input[] = [];
  const walk = (dir: string) => {
    for (const n of readdirSync(dir).sort()) {
      const p = path.join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else own.push({ name: 'systemd-security/' + path.relative(OWN_FIXTURES, p), file: '/work/project/' + path.relative(OWN_FIXTURES, p), text: readFileSync(p, 'utf8') });
    }
  };
  walk(OWN_FIXTURES);
  const edges = EDGE_CASES.map((settings, i) => ({ name: `edge ${i}: ${settings.join(' | ')}`, file: `/work/project/edge${i}.service`, text: ['[Service]', 'ExecStart=/bin/true', ...settings].join('\n') + '\n' }));
  return [...inputs(), ...own, ...edges];
}

/** What `systemd-analyze security` assesses: services, and drop-ins of services. */
function isServiceFile(model: SystemdModel): boolean {
  return model.unitType ? model.unitType === 'service' : model.dropIn && model.sections.some((s) => s.name === 'Service');
}

const ourExposure = (model: SystemdModel, text: string) => securityExposure(model.dropIn ? parseSystemd(BASE_UNIT + text, '/stand-in/base.service') : model);

const complaints = (v: Verdict) =>
  [...v.lines.map(([, m]) => m), ...v.unit].map((m) => m.replace(/pcx\d+-?/g, '')).filter((m) => !ENVIRONMENTAL.test(m));

describe('systemd-analyze security differential', { skip: !hasSystemdAnalyze && 'systemd-analyze is not installed' }, () => {
  it('our exposure score and every check equal the tool on every service file', () => {
    let exact = 0;
    let services = 0;
    const unexpected: string[] = [];
    const stale: string[] = [];
    for (const input of allInputs()) {
      const model = parseSystemd(input.text, input.file);
      if (!isServiceFile(model)) continue;
      services++;
      const theirs = toolScore(input.file, input.text);
      const ours = ourExposure(model, input.text);
      if (theirs.score === undefined) {
        if (!NO_TOOL_SCORE[input.name]) unexpected.push(`${input.name}: the tool gave no score: ${theirs.output.slice(0, 300)}`);
        continue;
      }
      if (NO_TOOL_SCORE[input.name]) stale.push(`${input.name} is scored by the tool now`);
      const checks = ours.checks.filter((c) => theirs.badness.get(c.id) !== c.badness).map((c) => `${c.id}: ours ${c.badness}, theirs ${theirs.badness.get(c.id)}`);
      if (theirs.badness.size !== ours.checks.length) checks.push(`the tool has ${theirs.badness.size} checks, we have ${ours.checks.length}`);
      if (ours.score !== theirs.score || checks.length) unexpected.push(`${input.name}: ours ${formatTenths(ours.score)}, theirs ${formatTenths(theirs.score)}; ${checks.join('; ')}`);
      else exact++;
    }
    console.log(`systemd security: ${exact}/${services - Object.keys(NO_TOOL_SCORE).length} scored service files agree exactly (score and all 81 checks); ${Object.keys(NO_TOOL_SCORE).length} the tool refuses to score`);
    assert.deepEqual(unexpected, [], 'unlisted disagreements');
    assert.deepEqual(stale, [], 'stale allowlist entries');
    assert.ok(exact >= 80, 'enough files compared');
  });

  it('the hardening fix lowers the tool score, keeps verify happy and is not offered again', () => {
    let fixed = 0;
    const failures: string[] = [];
    for (const input of allInputs()) {
      const finding = lintText(input.file, input.text, { format: 'systemd', onRuleError: ({ error }) => { throw error; } }).findings.find((f) => f.rule === RULE);
      if (!finding) continue;
      for (const fix of finding.fixes) {
        const what = `${input.name}: "${fix.title}"`;
        const { text, skipped } = applyEdits(input.text, fix.edits);
        assert.equal(skipped.length, 0, `${what} has overlapping edits`);
        const before = toolScore(input.file, input.text).score;
        const after = toolScore(input.file, text).score;
        if (before !== undefined && !(after !== undefined && after < before)) failures.push(`${what}: the tool scored ${before} before and ${after} after`);
        const was = complaints(verify(input.file, input.text));
        for (const c of complaints(verify(input.file, text))) {
          const i = was.indexOf(c);
          if (i >= 0) was.splice(i, 1);
          else failures.push(`${what} made systemd-analyze verify say: ${c}`);
        }
        const again = lintText(input.file, text, { format: 'systemd' }).findings.filter((f) => f.rule === RULE);
        if (again.length) failures.push(`${what}: still reported after the fix: ${again[0].message}`);
        fixed++;
      }
    }
    console.log(`systemd security: ${fixed} hardening fixes applied, each lowering the tool's score and accepted by verify`);
    assert.deepEqual(failures, []);
    assert.ok(fixed >= 30, 'fixes were exercised');
  });
});
