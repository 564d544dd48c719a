import type { ServiceInfo } from '../knowledge/services';
import { SEVERITIES, type Severity } from './types';
import { append } from './arrays';

export type RuleSetting = Severity | 'off';

/** The keys of `.portcullis.json`, the same as the `portcullis.*` settings. */
export interface Config {
  enable: boolean;
  /** Per-rule severity overrides, `off` to disable. */
  rules: Record<string, RuleSetting>;
  /** Per-rule options, written `"rule": ["warning", { … }]` (as ESLint does); the rule's doc lists them. */
  ruleOptions: Record<string, Readonly<Record<string, unknown>>>;
  /** Additions to the service knowledge table. */
  services: ServiceInfo[];
  /** Globs (relative to the workspace or the config file) of files never linted. */
  exclude: string[];
}

export const DEFAULT_CONFIG: Config = { enable: true, rules: {}, ruleOptions: {}, services: [], exclude: [] };

export interface ConfigProblem {
  message: string;
}

/**
 * Reads a config object from JSON or settings, keeping what is valid and listing what is not,
 * so that one bad key never throws away the rest.
 */
export function normalizeConfig(raw: unknown, problems: ConfigProblem[] = []): Partial<Config> {
  const out: Partial<Config> = {};
  if (raw === undefined || raw === null) return out;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ message: 'the configuration must be a JSON object' });
    return out;
  }
  const r = raw as Record<string, unknown>;
  if (r.enable !== undefined) {
    if (typeof r.enable === 'boolean') out.enable = r.enable;
    else problems.push({ message: '"enable" must be true or false' });
  }
  if (r.rules !== undefined) {
    if (r.rules && typeof r.rules === 'object' && !Array.isArray(r.rules)) {
      out.rules = {};
      const isSetting = (v: unknown): v is RuleSetting => v === 'off' || (typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v));
      for (const [id, v] of Object.entries(r.rules as Record<string, unknown>)) {
        if (isSetting(v)) out.rules[id] = v;
        else if (Array.isArray(v) && v.length === 2 && isSetting(v[0]) && v[1] && typeof v[1] === 'object' && !Array.isArray(v[1])) {
          out.rules[id] = v[0];
          (out.ruleOptions ??= {})[id] = v[1] as Record<string, unknown>;
        } else problems.push({ message: `rule "${id}": expected one of off, ${SEVERITIES.join(', ')}, or [severity, {options}]` });
      }
    } else problems.push({ message: '"rules" must be an object of rule id to severity' });
  }
  if (r.services !== undefined) {
    if (Array.isArray(r.services)) {
      out.services = [];
      for (const s of r.services) {
        if (s && typeof s === 'object' && typeof (s as ServiceInfo).name === 'string') out.services.push(sanitizeService(s as Record<string, unknown>));
        else problems.push({ message: 'each entry of "services" needs a "name"' });
      }
    } else problems.push({ message: '"services" must be an array' });
  }
  if (r.exclude !== undefined) {
    if (Array.isArray(r.exclude) && r.exclude.every((e) => typeof e === 'string')) out.exclude = r.exclude as string[];
    else problems.push({ message: '"exclude" must be an array of globs' });
  }
  return out;
}

function sanitizeService(s: Record<string, unknown>): ServiceInfo {
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
  const numbers = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : undefined);
  return {
    name: String(s.name),
    images: strings(s.images),
    ports: numbers(s.ports),
    hostnames: strings(s.hostnames),
    noAuth: s.noAuth === true,
    streaming: s.streaming === true,
    websocket: s.websocket === true,
    reverseProxy: s.reverseProxy === true,
  };
}

/** Later layers win; rule overrides and service lists are merged key by key. */
export function mergeConfig(...layers: Partial<Config>[]): Config {
  const out: Config = { ...DEFAULT_CONFIG, rules: {}, ruleOptions: {}, services: [], exclude: [] };
  for (const l of layers) {
    if (l.enable !== undefined) out.enable = l.enable;
    if (l.rules) Object.assign(out.rules, l.rules);
    if (l.ruleOptions) Object.assign(out.ruleOptions, l.ruleOptions);
    if (l.services) append(out.services, l.services);
    if (l.exclude) append(out.exclude, l.exclude);
  }
  return out;
}
