import type { Report, Rule } from '../core/types';
import { named, type NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/add-header-multiline',
  format: 'nginx',
  severity: 'warning',
  summary: 'A response header value that spans several lines',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const d of named(model, 'add_header', 'add_trailer', 'more_set_headers', 'more_set_input_headers')) {
      let values = d.name === 'add_header' || d.name === 'add_trailer' ? d.args.slice(1, 2) : [];
      if (d.name === 'more_set_headers' || d.name === 'more_set_input_headers') {
        // -t and -s take a value of their own (content types, statuses); the rest are headers.
        values = d.args.filter((a, i) => !a.value.startsWith('-') && !(i > 0 && (d.args[i - 1].value === '-t' || d.args[i - 1].value === '-s')));
      }
      // One finding per directive, at its first multi-line value.
      const v = values.find((x) => /[\r\n]/.test(x.value));
      if (v) {
        reports.push({
          range: ctx.range(v.start, v.end),
          message: 'This header value spans several lines: nginx sends the line breaks as written, an obsolete header folding that browsers and proxies reject or read differently. Put it on one line.',
        });
      }
    }
    return reports;
  },
};
