import type { Fix, Report, Rule } from '../core/types';
import { effective, foreignAtLevel, holder, knownTargets } from './analysis';
import { insertAfter, replaceArgs } from './edit';
import type { NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/proxy-buffering-enabled',
  format: 'nginx',
  severity: 'warning',
  summary: 'A streaming service proxied with response buffering on',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const t of knownTargets(model, ctx.services, (s) => s.streaming, ctx)) {
      const [setting] = effective(model, t.directive, 'proxy_buffering', ctx);
      if (setting?.args[0]?.value === 'off') continue;
      const { location, anchor } = holder(t);
      const fixes: Fix[] = [];
      // Turning it off where it is set would change other locations too: set it here unless it is here.
      if (setting && setting.parent === location) fixes.push({ title: 'Set proxy_buffering off', edits: [replaceArgs(ctx, setting, 'off')], preferred: true });
      // Set at this level by an included snippet: a second one here would be a duplicate; the snippet is shared.
      else if (location && !foreignAtLevel(model, location, setting, ctx)) fixes.push({ title: 'Add proxy_buffering off;', edits: [insertAfter(ctx, anchor, ['proxy_buffering off;'])], preferred: true });
      const at = setting && setting.parent === location ? setting : t.directive;
      reports.push({
        range: ctx.range(at.start, at.end),
        message: `${t.service!.name} streams its responses, but proxy buffering is ${setting ? 'on' : 'on by default'}: nginx holds the tokens back until its buffers fill, so replies arrive in bursts or time out.`,
        fixes,
      });
    }
    return reports;
  },
};
