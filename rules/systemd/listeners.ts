import type { Fix, RuleContext } from '../core/types';
import { edit, envAssignments, literalRange } from './edit';
import { parseListen, type ListenAddress } from './address';
import type { Assignment, SystemdModel, Word } from './model';
import { append } from '../core/arrays';

/**
 * The settings of a unit that say where its process listens — read once here for
 * `systemd/binds-all-interfaces` and the unit's deployment facts.
 */

/** Variables that hold an address to listen on: `OLLAMA_HOST`, `HOST`, `*_HOST`, `*_BIND*`, `*_LISTEN*`. */
const LISTEN_VAR = /^(HOST|[A-Z0-9_]*_HOST|(?:[A-Z0-9_]*_)?(BIND|LISTEN)(?:_[A-Z0-9_]*)?)$/i;
/** Variables that can only be a listen address, so a public IP in them is one too. */
const BIND_VAR = /^(OLLAMA_HOST|(?:[A-Z0-9_]*_)?(BIND|LISTEN)(?:_[A-Z0-9_]*)?)$/i;
/** Socket units listen where these say; a bare port number means every interface. */
const SOCKET_LISTEN = /^Listen(Stream|Datagram|SequentialPacket)$/;
/** Command-line flags that take the address to listen on. */
const LISTEN_FLAGS = new Set(['--host', '--bind', '--listen', '-H', '--listen-address', '--bind-address', '--address', '--addr']);
/** Command-line flags that take the port to listen on. */
const PORT_FLAGS = new Set(['--port', '--listen-port']);

export interface ListenSetting {
  /** The variable, flag or socket setting: `OLLAMA_HOST`, `--host`, `ListenStream`. */
  what: string;
  kind: 'env' | 'flag' | 'socket';
  assignment: Assignment;
  /** The value is characters [from, to) of `word.value`. */
  word: Word;
  from: number;
  to: number;
  /** It can only be a listen address (not a client's target), so any address in it is one. */
  bindOnly: boolean;
  /** `ListenStream=11434`: a bare port, every interface. */
  barePort?: number;
  /** For a flag: the port a `--port` flag of the same command gives. */
  portFlag?: number;
}

/** Every listen setting of the accepted sections, in file order. */
export function listenSettings(model: SystemdModel): ListenSetting[] {
  const out: ListenSetting[] = [];
  for (const a of model.assignments) {
    if (!a.section?.accepted) continue;
    if (a.key === 'Environment') {
      for (const env of envAssignments(a)) {
        if (!LISTEN_VAR.test(env.name)) continue;
        out.push({ what: env.name, kind: 'env', assignment: a, word: env.word, from: env.valueIndex, to: env.word.value.length, bindOnly: BIND_VAR.test(env.name) });
      }
    } else if (a.key === 'ExecStart') {
      append(out, flags(a));
    } else if (a.section.name === 'Socket' && SOCKET_LISTEN.test(a.key) && a.words.length === 1) {
      const word = a.words[0];
      const bare = /^\d+$/.test(word.value) ? Number(word.value) : undefined;
      out.push({ what: a.key, kind: 'socket', assignment: a, word, from: 0, to: word.value.length, bindOnly: true, ...(bare !== undefined ? { barePort: bare } : {}) });
    }
  }
  return out;
}

interface Token {
  word: Word;
  from: number;
  to: number;
}

/** `--host 0.0.0.0`, `--host=0.0.0.0`, also inside a `sh -c "…"` word. */
function flags(a: Assignment): ListenSetting[] {
  const tokens: Token[] = [];
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
  const text = (t: Token) => t.word.value.slice(t.from, t.to);
  const valueOf = (i: number): Token | undefined => {
    const t = tokens[i];
    const eq = text(t).indexOf('=');
    return eq > 0 ? { word: t.word, from: t.from + eq + 1, to: t.to } : tokens[i + 1];
  };
  const flagOf = (t: Token) => {
    const s = text(t);
    const eq = s.indexOf('=');
    return eq > 0 ? s.slice(0, eq) : s;
  };
  let portFlag: number | undefined;
  for (let i = 0; i < tokens.length; i++) {
    if (!PORT_FLAGS.has(flagOf(tokens[i]))) continue;
    const v = valueOf(i);
    if (v && /^\d+$/.test(text(v))) portFlag = Number(text(v));
  }
  const out: ListenSetting[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const flag = flagOf(tokens[i]);
    if (!LISTEN_FLAGS.has(flag)) continue;
    const value = valueOf(i);
    if (!value) continue;
    out.push({ what: flag, kind: 'flag', assignment: a, ...value, bindOnly: true, ...(portFlag !== undefined ? { portFlag } : {}) });
  }
  return out;
}

/** The address a setting gives, parsed; undefined for a bare port or what is no network address. */
export function addressOf(s: ListenSetting): ListenAddress | undefined {
  return s.barePort === undefined ? parseListen(s.word.value.slice(s.from, s.to)) : undefined;
}

/** The text of the setting's value, when written literally; else the whole word. */
export function valueSpan(s: ListenSetting): [number, number] {
  return literalRange(s.word, s.from, s.to) ?? [s.word.start, s.word.end];
}

const TITLE = 'Listen on 127.0.0.1 (this host only), port kept';

/** The fix that keeps the setting on 127.0.0.1, port kept; undefined when the value is not written literally. */
export function loopbackFix(s: ListenSetting, ctx: RuleContext): Fix | undefined {
  if (s.barePort !== undefined) {
    const at = literalRange(s.word, 0, 0);
    return at && { title: TITLE, edits: [edit(ctx, at[0], at[0], '127.0.0.1:')], preferred: true };
  }
  const address = addressOf(s);
  if (!address) return undefined;
  const host = literalRange(s.word, s.from + address.hostStart, s.from + address.hostEnd);
  return host && { title: TITLE, edits: [edit(ctx, host[0], host[1], '127.0.0.1')], preferred: true };
}
