import type { Fix, Format, Range } from '../core/types';

/**
 * What one file says about the deployment, extracted from its model by its format
 * (`FormatModule.facts`): small, plain data, kept for every workspace file by the adapters (no
 * text, no model), from which `buildDeployment` makes the whole picture.
 */

export interface Place {
  /** Absolute path. */
  file: string;
  range: Range;
}

/** Where a process accepts connections. */
export interface Listener {
  /** The address as written; '' for every interface (no address, `0.0.0.0`, `::`, `*`). */
  address: string;
  /** The first port; `portEnd` the last of a range. */
  port: number;
  portEnd?: number;
  /** Reachable from other machines: every interface or a public address (`classifyAddress` says 'exposed'). */
  exposed: boolean;
  /** The text that opens it (the port entry, the `Environment=` or `ExecStart=` line, the `listen`). */
  place: Place;
  /** The edit that keeps it on 127.0.0.1 (the port kept), when the format can write one. */
  bindLoopback?: Fix;
}

/** A compose service. */
export interface ComposeServiceFacts {
  name: string;
  /** The compose file's folder: services of one project share its networks. */
  project: string;
  image?: string;
  /** The service knowledge entry it is (`Ollama`), from its image or name. */
  known?: string;
  /** Published ports, with the container port each one reaches. */
  ports: (Listener & { containerPort: number; protocol: 'tcp' | 'udp' })[];
  /** The networks it joins (`default` when none is named). */
  networks: string[];
  /** Other names Docker's DNS answers for it on those networks: `container_name`, network `aliases`. */
  aliases?: string[];
  /** Where the service's own login is turned off (Open WebUI's `WEBUI_AUTH=False`), if it is. */
  authOff?: Place;
  /** `network_mode: host`: it listens on the host directly, on the ports of its image. */
  hostNetwork: boolean;
  place: Place;
}

/** A systemd unit (drop-ins of one unit are merged under its name). */
export interface UnitFacts {
  /** The unit's name: `ollama.service` for `ollama.service` and `ollama.service.d/override.conf`. */
  name: string;
  known?: string;
  /** Bind addresses from `Environment=` (`OLLAMA_HOST=…`, `*_HOST`/`*_BIND`/`*_LISTEN`) and `ExecStart=` flags. */
  listeners: Listener[];
  place: Place;
}

export interface TargetFacts {
  /** As written (`http://127.0.0.1:11434`, `ollama:11434`, `http://ollama_backend`). */
  url: string;
  scheme: 'http' | 'https' | 'other';
  /** After `upstream` blocks are resolved; a host with no port has the scheme's default. */
  endpoints: { host: string; port?: number }[];
  /** The nginx `upstream` block it names. */
  upstream?: string;
  /** The service knowledge entry it is, from a name or a distinctive port. */
  known?: string;
}

/** One path of a proxy that forwards somewhere. */
export interface RouteFacts {
  /** The location or matcher (`/`, `/api/`, `~ ^/v1`, `*`). */
  path: string;
  target: TargetFacts;
  /** Where the authentication in effect for this path is written; absent: none. */
  auth?: Place;
  /** Where the rate limit in effect is written; absent: none. */
  rateLimit?: Place;
  /** The `proxy_pass` / `reverse_proxy`. */
  place: Place;
}

/** An nginx `server` or a Caddy site. */
export interface ProxyFacts {
  server: 'nginx' | 'caddy';
  /** `server_name`s or the site's host names ('' none). */
  names: string[];
  /** What it listens on; `tls` when the listener speaks TLS (nginx `ssl`/`quic`, Caddy's automatic HTTPS). */
  listeners: (Listener & { tls: boolean })[];
  routes: RouteFacts[];
  place: Place;
}

export interface FileFacts {
  file: string;
  format: Format;
  services?: ComposeServiceFacts[];
  units?: UnitFacts[];
  proxies?: ProxyFacts[];
}
