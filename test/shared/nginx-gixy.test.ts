/**
 * gixy's own fixture suite (../shared/external/gixy-fixtures, see its README) as the acceptance
 * test of our gixy-parity rules: a fixture not ending in `_fp.conf` must yield exactly one finding
 * of the mapped rule, a `*_fp.conf` none. The pass rate per check is printed; the test fails when
 * a check passes fewer fixtures than recorded below (so a regression is caught).
 * Known miss: allow_without_deny_dump.conf is an `nginx -T` dump of two files concatenated; we lint
 * one file at a time, and there the stray top-level `allow` is a directive-not-allowed-here error.
 * A fixture's first line `# Options: {json}` sets the check's options; they are passed (keys in
 * camelCase: `https_only` → `httpsOnly`) to the rules that take the same options (`options: true`).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lintText } from '../../rules';
import { mergeConfig, normalizeConfig } from '../../rules/core/config';

const suite = path.resolve(__dirname, '../../../shared', 'external', 'gixy-fixtures');

/** gixy check → our rule, and how many of its fixtures we pass today. */
const CHECKS: Record<string, { rule: string; passing: number; options?: boolean }> = {
  host_spoofing: { rule: 'nginx/host-header-spoofing', passing: 4 },
  alias_traversal: { rule: 'nginx/alias-traversal', passing: 18 },
  add_header_multiline: { rule: 'nginx/add-header-multiline', passing: 9 },
  allow_without_deny: { rule: 'nginx/allow-without-deny', passing: 4 },
  valid_referers: { rule: 'nginx/valid-referers-none', passing: 4 },
  return_bypasses_allow_deny: { rule: 'nginx/return-bypasses-allow-deny', passing: 4 },
  version_disclosure: { rule: 'nginx/server-tokens-on', passing: 2 },
  add_header_redefinition: { rule: 'nginx/add-header-redefinition', passing: 10 },
  ssrf: { rule: 'nginx/ssrf-proxy-pass', passing: 12 },
  http_splitting: { rule: 'nginx/http-splitting', passing: 25 },
  // origins: gixy's options `domains` and `https_only` are the rule's `domains` and `httpsOnly`.
  origins: { rule: 'nginx/weak-origin-check', passing: 42, options: true },
  if_is_evil: { rule: 'nginx/if-is-evil', passing: 6 },
  proxy_pass_normalized: { rule: 'nginx/proxy-pass-normalized', passing: 20 },
  resolver_external: { rule: 'nginx/resolver-external', passing: 8 },
};

describe('nginx: gixy fixture suite', { skip: !existsSync(suite) && 'no gixy fixtures' }, () => {
  it('passes the recorded share of each mapped check', () => {
    const regressions: string[] = [];
    for (const [check, { rule, passing, options }] of Object.entries(CHECKS)) {
      const dir = path.join(suite, check);
      const files = readdirSync(dir).filter((f) => f.endsWith('.conf')).sort();
      const failed: string[] = [];
      for (const f of files) {
        const text = readFileSync(path.join(dir, f), 'utf8');
        const opts = options ? fixtureOptions(text) : undefined;
        const config = opts ? mergeConfig(normalizeConfig({ rules: { [rule]: ['warning', opts] } })) : undefined;
        const found = lintText(path.join('/work/project/nginx/conf.d', f), text, { format: 'nginx', config }).findings.filter((x) => x.rule === rule);
        const expected = f.endsWith('_fp.conf') ? 0 : 1;
        if (found.length !== expected) failed.push(`${f} (${found.length} found)`);
      }
      const passed = files.length - failed.length;
      console.log(`gixy ${check} → ${rule}: ${passed}/${files.length}${failed.length ? ` — failing: ${failed.join(', ')}` : ''}`);
      if (passed < passing) regressions.push(`${check}: ${passed} < ${passing}`);
    }
    assert.deepEqual(regressions, []);
  });
});

/** The options of a fixture's first line `# Options: {json}`, keys in camelCase. */
function fixtureOptions(text: string): Record<string, unknown> | undefined {
  const m = /^# Options: (\{.*\})\s*$/m.exec(text.split('\n', 1)[0]);
  if (!m) return undefined;
  const raw = JSON.parse(m[1]) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
}
