import type { Fix, Report, Rule } from '../core/types';
import { effective, foreignAtLevel, holder, knownTargets, parseTime } from './analysis';
import { insertAfter, replaceArgs } from './edit';
import type { NginxModel } from './model';

const MIN_SECONDS = 120;

export const rule: Rule<NginxModel> = {
  id: 'nginx/proxy-read-timeout-short',
  format: 'nginx',
  severity: 'warning',
  summary: 'A streaming service proxied with a read timeout under 120 s',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const t of knownTargets(model, ctx.services, (s) => s.streaming, ctx)) {
      const [setting] = effective(model, t.directive, 'proxy_read_timeout', ctx);
      const value = setting?.args[0]?.value;
      const seconds = value === undefined ? 60 : parseTime(value);
      if (seconds === undefined || seconds >= MIN_SECONDS) continue;
      const { location, anchor } = holder(t);
      const local = setting && setting.parent === location;
      const fixes: Fix[] = [];
      if (local) fixes.push({ title: 'Set proxy_read_timeout 300s', edits: [replaceArgs(ctx, setting, '300s')], preferred: true });
      // Set at this level by an included snippet: a second one here would be a duplicate; the snippet is shared.
      else if (location && !foreignAtLevel(model, location, setting, ctx)) fixes.push({ title: 'Add proxy_read_timeout 300s;', edits: [insertAfter(ctx, anchor, ['proxy_read_timeout 300s;'])], preferred: true });
      const at = local ? setting : t.directive;
      reports.push({
        range: ctx.range(at.start, at.end),
        message: `${t.service!.name} can take minutes before and between tokens (model loading, long generations), but nginx gives up after ${value === undefined ? 'its default 60s' : value} without data and returns 504.`,
        fixes,
      });
    }
    return reports;
  },
};
