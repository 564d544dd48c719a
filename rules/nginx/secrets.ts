import type { RuleContext, SecretCandidate } from '../core/types';
import { named, type NginxModel, type Word } from './model';

/**
 * nginx's secret candidates for secrets/hardcoded-secret: header values (`proxy_set_header`,
 * `add_header`, `more_set_headers`), `if` comparisons of request headers, cookies and arguments
 * (`if ($http_x_api_key != "…")`), `set $token …`, FastCGI/uwsgi/SCGI params, `env NAME=value` and
 * passwords in upstream URLs. nginx has no environment interpolation, so no fix moves the value.
 */
export function nginxSecretCandidates(model: NginxModel, _ctx: RuleContext): SecretCandidate[] {
  const out: SecretCandidate[] = [];
  const add = (name: string | undefined, w: Word | undefined, where: SecretCandidate['where'], value = w?.value) => {
    if (!w || value === undefined || value === '') return;
    out.push(candidate(model.text, name, w, where, value));
  };
  for (const d of named(model, 'proxy_set_header', 'add_header', 'grpc_set_header', 'add_trailer')) add(d.args[0]?.value, d.args[1], 'header');
  for (const d of named(model, 'fastcgi_param', 'uwsgi_param', 'scgi_param')) add(d.args[0]?.value, d.args[1], 'env');
  for (const d of named(model, 'set')) add(d.args[0]?.value.replace(/^\$/, ''), d.args[1], 'other');
  for (const d of named(model, 'more_set_headers', 'more_set_input_headers')) {
    for (const a of d.args) {
      const m = /^([\w-]+):\s*(.+)$/s.exec(a.value);
      if (m && !a.value.startsWith('-')) out.push({ ...candidate(model.text, m[1], a, 'header', m[2]), inexact: true });
    }
  }
  for (const d of named(model, 'env')) {
    const a = d.args[0];
    const eq = a?.value.indexOf('=') ?? -1;
    if (a && eq > 0) out.push({ ...candidate(model.text, a.value.slice(0, eq), a, 'env', a.value.slice(eq + 1)), inexact: true });
  }
  for (const d of named(model, 'if')) {
    // `($http_x_api_key`, `!=`, `"secret")` or `secret)` — the variable names the setting.
    const [subject, op, value] = d.args;
    if (!subject || !value || !/^!?=$/.test(op?.value ?? '')) continue;
    const v = /^\(?\$(?:http_|cookie_|arg_)?(\w+)$/.exec(subject.value);
    const literal = value.value.replace(/\)$/, '');
    if (v && !literal.includes('$')) add(v[1], value, 'comparison', literal);
  }
  for (const d of named(model, 'proxy_pass')) if (d.args[0] && /:\/\/[^/@\s]+:[^/@\s]+@/.test(d.args[0].value)) add(undefined, d.args[0], 'url');
  return out;
}

function candidate(text: string, name: string | undefined, w: Word, where: SecretCandidate['where'], value: string): SecretCandidate {
  const inner: [number, number] = w.quote ? [w.start + 1, w.end - (text[w.end - 1] === w.quote ? 1 : 0)] : [w.start, w.end];
  // The span is exact only when the text there is the value as nginx reads it (no escapes, no ")").
  const exact = text.slice(inner[0], inner[1]) === value;
  return { name, value, valueSpan: inner, where, ...(exact ? {} : { inexact: true }) };
}
