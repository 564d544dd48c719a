import type { Severity } from '../core/types';
import type { Place } from './facts';

/**
 * The deployment's entry points as people look at them: every listener reachable from outside,
 * and what sits behind it. The CLI's `portcullis exposure` prints it, the server's
 * `portcullis/exposure` request returns it to the VS Code view. Plain JSON.
 */

export interface Exposure {
  entries: EntryPoint[];
}

/** One hop's protections: TLS on the way in, authentication and a rate limit in effect. */
export interface Protections {
  tls: boolean;
  /** 'unknown' for a service reached directly that the knowledge table does not know. */
  auth: boolean | 'unknown';
  rateLimit: boolean;
}

/** The most severe finding on an entry point or one of its hops. */
export interface WorstFinding {
  rule: string;
  severity: Severity;
  message: string;
  place: Place;
}

export interface EntryPoint {
  /** `0.0.0.0:443`, `*:11434`, `203.0.113.4:80`. */
  address: string;
  port: number;
  portEnd?: number;
  /** What listens: an nginx server, a Caddy site, a compose service's published port, a unit. */
  kind: 'nginx' | 'caddy' | 'compose' | 'systemd';
  /** `nginx ollama.example.com`, `compose service ollama`, `ollama.service`. */
  name: string;
  /** The service it is when it is one directly (a published port, a unit): `Ollama`. */
  service?: string;
  protections: Protections;
  /** Where it is opened (the listen, the port entry, the Environment= line). */
  place: Place;
  /** For a proxy: each path and where it goes. */
  hops: Hop[];
  worst?: WorstFinding;
}

export interface Hop {
  /** The location or matcher. */
  path: string;
  /** The target as written. */
  target: string;
  /** What it resolves to: `compose service ollama (Ollama)`, `ollama.service`, or the target when unresolved. */
  reaches: string;
  /** The service knowledge entry behind it. */
  service?: string;
  protections: Protections;
  place: Place;
  worst?: WorstFinding;
}
