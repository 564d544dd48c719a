import { classifyAddress } from '../knowledge/services';
import type { Report, Rule, RuleContext } from '../core/types';
import { edit, envAssignments, literalRange } from './edit';
import { isWildcard, parseListen } from './address';
import type { Assignment, SystemdModel, Word } from './model';

/** Variables that hold an address to listen on: `OLLAMA_HOST`, `HOST`, `*_HOST`, `*_BIND*`, `*_LISTEN*`. */
const LISTEN_VAR = /^(HOST|[A-Z0-9_]*_HOST|(?:[A-Z0-9_]*_)?(BIND|LISTEN)(?:_[A-Z0-9_]*)?)$/i;
/** Variables that can only be a listen address, so a public IP in them is one too. */
const BIND_VAR = /^(OLLAMA_HOST|(?:[A-Z0-9_]*_)?(BIND|LISTEN)(?:_[A-Z0-9_]*)?)$/i;
/** Socket units listen where these say; a bare port number means every interface. */
const SOCKET_LISTEN = /^Listen(Stream|Datagram|SequentialPacket)$/;
/** Command-line flags that take the address to listen on. */
const LISTEN_FLAGS = new Set(['--host', '--bind', '--listen', '-H', '--listen-address', '--bind-address', '--address', '--addr']);

export const rule: Rule<SystemdModel> = {
  id: 'systemd/binds-all-interfaces',
  format: 'systemd',
  severity: 'warning',
  summary: 'A service told to listen on every interface (OLLAMA_HOST=0.0.0.0, --host 0.0.0.0)',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const a of model.assignments) {
      if (!a.section?.accepted) continue;
      if (a.key === 'Environment') {
        for (const env of envAssignments(a)) {
          if (!LISTEN_VAR.test(env.name)) continue;
          const r = check(env.word, env.valueIndex, env.word.value.length, BIND_VAR.test(env.name), env.name, ctx);
          if (r) reports.push(r);
        }
      } else if (a.key === 'ExecStart') {
        reports.push(...flags(a, ctx));
      } else if (a.section.name === 'Socket' && SOCKET_LISTEN.test(a.key) && a.words.length === 1) {
        const r = socket(a.words[0], a.key, ctx);
        if (r) reports.push(r);
      }
    }
    return reports;
  },
};

/** `--host 0.0.0.0`, `--host=0.0.0.0`, also inside a `sh -c "…"` word. */
function flags(a: Assignment, ctx: RuleContext): Report[] {
  const tokens: { word: Word; from: number; to: number }[] = [];
  for (const word of a.words) {
    const re = /\S+/g;
    for (let m; (m = re.exec(word.value)); ) {
      let from = m.index;
      let to = from + m[0].length;
      // A shell word inside `sh -c '…'` may be quoted again.
      while (to - from >= 2 && /^["']/.test(word.value[from]) && word.value[to - 1] === word.value[from]) {
        from++;
        to--;
      }
      tokens.push({ word, from, to });
    }
  }
  const reports: Report[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const text = t.word.value.slice(t.from, t.to);
    const eq = text.indexOf('=');
    const flag = eq > 0 ? text.slice(0, eq) : text;
    if (!LISTEN_FLAGS.has(flag)) continue;
    const value = eq > 0 ? { word: t.word, from: t.from + eq + 1, to: t.to } : tokens[i + 1];
    if (!value) continue;
    const r = check(value.word, value.from, value.to, true, flag, ctx);
    if (r) reports.push(r);
  }
  return reports;
}

/** `ListenStream=11434` listens on every interface (IPv6 and IPv4); `0.0.0.0:11434` and `[::]:11434` too. */
function socket(word: Word, key: string, ctx: RuleContext): Report | undefined {
  if (!/^\d+$/.test(word.value)) return check(word, 0, word.value.length, true, key, ctx);
  const at = literalRange(word, 0, 0);
  const whole = literalRange(word, 0, word.value.length);
  return {
    range: ctx.range(...(whole ?? [word.start, word.end])),
    message: `${key}=${word.value} is a bare port: systemd listens on it on every interface (IPv6 and IPv4), reachable from any network this host is on.`,
    fixes: at ? [{ title: 'Listen on 127.0.0.1 (this host only), port kept', edits: [edit(ctx, at[0], at[0], '127.0.0.1:')], preferred: true }] : [],
  };
}

function check(word: Word, from: number, to: number, bindOnly: boolean, what: string, ctx: RuleContext): Report | undefined {
  const address = parseListen(word.value.slice(from, to));
  if (!address) return undefined;
  const wildcard = isWildcard(address.host);
  if (!wildcard && !(bindOnly && classifyAddress(address.host) === 'exposed')) return undefined;
  const valueRange = literalRange(word, from, to);
  const range = valueRange ? ctx.range(valueRange[0], valueRange[1]) : ctx.range(word.start, word.end);
  const ollama = what === 'OLLAMA_HOST';
  const on = address.host ? `on ${address.host}` : 'with no host address';
  let message = `${what} listens ${on}: every interface, reachable from any network this host is on (UFW does not stop what you open here by mistake).`;
  if (ollama) message = `OLLAMA_HOST ${on} makes Ollama, which has no authentication, listen on every interface: anyone who reaches this host can run, pull and delete models.`;
  if (ollama && address.scheme === 'http' && !address.port) message += ' With http:// and no port it also listens on port 80, not 11434.';
  const hostRange = literalRange(word, from + address.hostStart, from + address.hostEnd);
  const fixes = hostRange ? [{ title: 'Listen on 127.0.0.1 (this host only), port kept', edits: [edit(ctx, hostRange[0], hostRange[1], '127.0.0.1')], preferred: true }] : [];
  return { range, message, fixes };
}
