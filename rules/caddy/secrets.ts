import type { RuleContext, SecretCandidate } from '../core/types';
import { variableName } from '../secrets/detect';
import type { Token } from './lexer';
import { walk, type CaddyModel, type Directive } from './model';

/**
 * The literal values of a Caddyfile that may be secrets, for secrets/hardcoded-secret: header
 * values set with `header`, `request_header`, `header_up`/`header_down`; header and query values a
 * matcher compares against (`@key header Authorization "Bearer …"`); `env` values of php_fastcgi.
 * A value moves out of the file as a `{$NAME}` placeholder, which Caddy fills from its environment
 * (no env file: Caddy's environment is set by its unit or container).
 */
export function caddySecretCandidates(model: CaddyModel, _ctx: RuleContext): SecretCandidate[] {
  const out: SecretCandidate[] = [];
  const add = (name: string | undefined, value: Token | undefined, where: SecretCandidate['where']) => {
    if (!value || value.quote === '<') return;
    out.push(candidate(model.text, name, value, where));
  };
  const headerLine = (args: readonly Token[], where: SecretCandidate['where']) => {
    // `Name value [replacement]`; `-Name` deletes, `?Name` sets a default, `+Name` adds.
    const field = args[0]?.text.replace(/^[-+?>]/, '');
    if (field && args[1]) add(field, args[args.length >= 3 && where === 'header' ? 2 : 1], where);
  };
  for (const block of model.blocks) {
    walk(block.directives, (d) => {
      const name = d.name.text;
      if (name === 'header' || name === 'request_header') {
        const args = d.args[0] && /^[@/*]/.test(d.args[0].text) ? d.args.slice(1) : d.args;
        if (args.length) headerLine(args, 'header');
        else for (const line of d.block?.directives ?? []) headerLine([line.name, ...line.args], 'header');
      } else if ((name === 'header_up' || name === 'header_down') && d.parent) {
        headerLine(d.args, 'header');
      } else if (name === 'env' && d.parent?.name.text === 'php_fastcgi') {
        add(d.args[0]?.text, d.args[1], 'env');
      } else if (name.startsWith('@')) {
        for (const m of matcherLines(d)) {
          if (m.name === 'header' && m.args[1]) add(m.args[0].text, m.args[1], 'comparison');
          if (m.name === 'query') for (const q of m.args) queryCandidate(model.text, q, out);
        }
      }
    });
  }
  return out;
}

function matcherLines(d: Directive): { name: string; args: Token[] }[] {
  if (d.args.length) return [{ name: d.args[0].text, args: d.args.slice(1) }];
  return (d.block?.directives ?? []).map((m) => ({ name: m.name.text, args: m.args }));
}

function candidate(text: string, name: string | undefined, t: Token, where: SecretCandidate['where']): SecretCandidate {
  const inner: [number, number] = t.quote === '' ? [t.start, t.end] : [t.start + 1, t.end - 1];
  let value = t.text;
  let span = inner;
  const exact = text.slice(inner[0], inner[1]) === value;
  // `Bearer <token>`: the token is the secret, the scheme stays in the file.
  const scheme = /^(Bearer|Basic|Token|Bot)\s+/i.exec(value);
  if (exact && scheme) {
    value = value.slice(scheme[0].length);
    span = [inner[0] + scheme[0].length, inner[1]];
  }
  if (!exact) return { name, value, valueSpan: [t.start, t.end], where, inexact: true };
  return {
    name,
    value,
    valueSpan: span,
    where,
    move: {
      variable: variableName(name),
      reference: (v) => `{$${v}}`,
      title: (v) => `Replace with {$${v}} (set ${v} in Caddy's environment)`,
    },
  };
}

/** `query key=value` compares a query parameter: the value may be an API key. */
function queryCandidate(text: string, t: Token, out: SecretCandidate[]) {
  const eq = t.text.indexOf('=');
  if (eq <= 0 || t.quote !== '' || text.slice(t.start, t.end) !== t.text) return;
  const key = t.text.slice(0, eq);
  out.push({
    name: key,
    value: t.text.slice(eq + 1),
    valueSpan: [t.start + eq + 1, t.end],
    where: 'comparison',
    move: { variable: variableName(key), reference: (v) => `{$${v}}`, title: (v) => `Replace with {$${v}} (set ${v} in Caddy's environment)` },
  });
}
