/** Listen addresses as services read them from environment variables and command-line flags. */

export interface ListenAddress {
  scheme: string | undefined;
  host: string;
  /** Where the host is in the parsed string: [start, end) (empty for `:11434`). */
  hostStart: number;
  hostEnd: number;
  port: string | undefined;
}

/**
 * `0.0.0.0`, `0.0.0.0:11434`, `:11434`, `[::]:8080`, `::`, `http://0.0.0.0`, `tcp://0.0.0.0:2375`.
 * Undefined for what is no network address (`unix:///run/x.sock`, a path, an empty string).
 */
export function parseListen(s: string): ListenAddress | undefined {
  let scheme: string | undefined;
  let at = 0;
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(s);
  if (m) {
    scheme = m[1].toLowerCase();
    if (scheme === 'unix' || scheme === 'fd' || scheme === 'file') return undefined;
    at = m[0].length;
  }
  let end = s.indexOf('/', at);
  if (end < 0) end = s.length;
  const hostport = s.slice(at, end);
  if (!hostport || hostport.startsWith('/')) return undefined;
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close < 0) return undefined;
    const rest = hostport.slice(close + 1);
    if (rest && !/^:\d*$/.test(rest)) return undefined;
    return { scheme, host: hostport.slice(1, close), hostStart: at, hostEnd: at + close + 1, port: rest ? rest.slice(1) : undefined };
  }
  const colons = hostport.split(':').length - 1;
  // More than one colon and no brackets: a bare IPv6 address, no port.
  if (colons > 1) return { scheme, host: hostport, hostStart: at, hostEnd: at + hostport.length, port: undefined };
  if (colons === 1) {
    const c = hostport.indexOf(':');
    const port = hostport.slice(c + 1);
    if (!/^\d+$/.test(port)) return undefined;
    return { scheme, host: hostport.slice(0, c), hostStart: at, hostEnd: at + c, port };
  }
  return { scheme, host: hostport, hostStart: at, hostEnd: at + hostport.length, port: undefined };
}

/** An address that means "every interface": `0.0.0.0`, `::`, `*`, or no host before the port. */
export function isWildcard(host: string): boolean {
  return host === '' || host === '*' || host === '0.0.0.0' || host === '::' || host === '0:0:0:0:0:0:0:0';
}
