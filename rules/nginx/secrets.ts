import type { RuleContext, SecretCandidate } from '../core/types';
import { named, type NginxModel, type Word } from './model';
import { hasUrlCredentials } from '../core/scan';

/**
 * nginx's secret candidates for secrets/hardcoded-secret: header values (`proxy_set_header`,
 * `add_header`, `more_set_headers`…), `if` comparisons (`if ($http_authorization != "Bearer …")`, named
 * by the variable: `$http_x_api_key` is secret-named), `map` entries (the source values of a map over a
 * header, the results of a map into a secret-named variable), `set $token …`, FastCGI/uwsgi/SCGI
 * params, `env NAME=value` and passwords in `proxy_pass` URLs. nginx reads no environment, so no
 * fix moves the value: the doc explains keeping it in a root-only file that the config includes.
 */
export function nginxSecretCandidates(model: NginxModel, _ctx: RuleContext): SecretCandidate[] {
  const out: SecretCandidate[] = [];
  const text = model.text;
  const add = (name: string | undefined, w: Word | undefined, where: SecretCandidate['where'], from = 0) => {
    if (w && w.value.length > from) out.push(candidate(text, name, w, where, from));
  };
  for (const d of named(model, 'proxy_set_header', 'add_header', 'grpc_set_header', 'add_trailer')) add(d.args[0]?.value, d.args[1], 'header');
  for (const d of named(model, 'fastcgi_param', 'uwsgi_param', 'scgi_param')) add(d.args[0]?.value, d.args[1], 'env');
  for (const d of named(model, 'set')) add(d.args[0]?.value, d.args[1], 'other');
  for (const d of named(model, 'more_set_headers', 'more_set_input_headers')) {
    for (const a of d.args) {
      // `-s 200`/`-t text/html` options, then `'Name: value'` arguments.
      const m = /^([\w-]+):\s*/.exec(a.value);
      if (m && !a.value.startsWith('-')) add(m[1], a, 'header', m[0].length);
    }
  }
  for (const d of named(model, 'env')) {
    const a = d.args[0];
    const eq = a?.value.indexOf('=') ?? -1;
    if (a && eq > 0) add(a.value.slice(0, eq), a, 'env', eq + 1);
  }
  for (const d of named(model, 'if')) {
    // `($http_x_api_key`, `!=`, `"secret")` or `secret)`: the variable names the setting.
    const [subject, op, value] = d.args;
    if (!subject || !value || !/^!?=$/.test(op?.value ?? '')) continue;
    const v = /^\(?(\$\w+)$/.exec(subject.value);
    if (v && !value.value.includes('$')) add(v[1], value, 'comparison');
  }
  for (const d of named(model, 'map')) {
    // `map $http_x_api_key $client { default ""; "<key>" alice; }`: the keys are what the header is
    // compared with; `map $host $upstream_token { example.com <token>; }`: the results are the secrets.
    const source = d.args[0]?.value;
    const result = d.args[1]?.value;
    for (const e of d.block?.children ?? []) {
      if (/^(default|hostnames|volatile|include)$/.test(e.name)) {
        if (e.name === 'default') add(result, e.args[0], 'other');
        continue;
      }
      if (!e.name.startsWith('~') && !e.name.includes('$')) add(source, e.nameWord, 'comparison');
      if (!e.args[0]?.value.includes('$')) add(result, e.args[0], 'other');
    }
  }
  for (const d of named(model, 'proxy_pass')) if (d.args[0] && hasUrlCredentials(d.args[0].value)) add(undefined, d.args[0], 'url');
  return out;
}

/**
 * The candidate for `w.value` from index `from`, with an `Authorization`-style scheme (`Bearer `,
 * `Basic `) left out: the token is the secret. Exact when the text there is the value as nginx
 * reads it (no escapes); an unquoted word's `)` (closing an `if`) is not part of it.
 */
function candidate(text: string, name: string | undefined, w: Word, where: SecretCandidate['where'], from: number): SecretCandidate {
  const value = w.value;
  const scheme = /^(?:Bearer|Basic|Token|Bot)\s+(?=\S)/i.exec(value.slice(from));
  const at = from + (scheme ? scheme[0].length : 0);
  const open = w.quote ? w.start + 1 : w.start;
  const literal = text.startsWith(value, open) && (!w.quote || text[open + value.length] === w.quote);
  let v = value.slice(at);
  if (!w.quote && where === 'comparison' && v.endsWith(')')) v = v.slice(0, -1);
  if (!literal) return { name, value: v, valueSpan: [w.start, w.end], where, inexact: true };
  return { name, value: v, valueSpan: [open + at, open + at + v.length], where };
}
