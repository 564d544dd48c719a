import { quotedName } from '../secrets/redact';
import type { Fix, Report, Rule } from '../core/types';
import { didYouMean } from './directives';
import type { NginxModel } from './model';

export const rule: Rule<NginxModel> = {
  id: 'nginx/unknown-directive',
  format: 'nginx',
  severity: 'error',
  summary: 'A directive nginx does not know',
  check(model, ctx) {
    const reports: Report[] = [];
    const loaded = loadedModulePrefixes(model);
    const guesses = new Map<string, string | undefined>();
    for (const d of model.all) {
      if (d.problem?.kind !== 'unknown') continue;
      // Template placeholders ({{ var }}, ${VAR}) are not directives anyone misspelt.
      if (/[{}$]/.test(d.name)) continue;
      // `load_module modules/ngx_http_f5_metrics_module.so;` brings the f5_metrics* directives.
      if (loaded.some((p) => d.name.startsWith(p))) continue;
      const key = `${d.name}@${d.ctx}`;
      if (!guesses.has(key)) guesses.set(key, didYouMean(d.name, d.ctx));
      const guess = guesses.get(key);
      const fixes: Fix[] = guess ? [{ title: `Change to "${guess}"`, edits: [{ range: ctx.range(d.nameWord.start, d.nameWord.end), newText: guess }], preferred: true }] : [];
      reports.push({
        range: ctx.range(d.nameWord.start, d.nameWord.end),
        // A word of the file only, cut, escaped, masked: an included file may be anything.
        message: `Unknown directive "${quotedName(d.name)}"${guess ? `: did you mean "${guess}"?` : ''}`,
        fixes,
      });
    }
    return reports;
  },
};

/** Directive-name prefixes of the dynamic modules the file loads. */
function loadedModulePrefixes(model: NginxModel): string[] {
  const out: string[] = [];
  for (const d of model.root) {
    if (d.name !== 'load_module' || !d.args[0]) continue;
    const m = /(?:^|\/)ngx_(?:http_|stream_|mail_)?(\w+?)(?:_filter)?_module\.so$/.exec(d.args[0].value);
    if (m) out.push(m[1]);
  }
  return out;
}
