import type { Format } from './types';

/**
 * Which format a file is, from its path and, where the name says too little, its content.
 * Says no (undefined) to look-alikes: GitHub workflows, Kubernetes manifests, supervisord or
 * fail2ban `.conf` files.
 */

const LANGUAGE_IDS: Record<string, Format> = {
  dockercompose: 'compose',
  nginx: 'nginx',
  caddyfile: 'caddy',
  caddy: 'caddy',
  'systemd-unit-file': 'systemd',
  systemd: 'systemd',
};

const UNIT_SUFFIX = /\.(service|socket|timer|mount|automount|path|swap|target|slice|scope|device)$/;
const NGINX_DIRS = new Set(['nginx', 'conf.d', 'sites-available', 'sites-enabled', 'snippets', 'http.d', 'stream.d']);

export function splitPath(p: string): string[] {
  return p.split(/[\\/]+/).filter(Boolean);
}

export interface DetectOptions {
  languageId?: string;
}

export function detectFormat(path: string, text: string | undefined, opts: DetectOptions = {}): Format | undefined {
  const byPath = detectByPath(path);
  if (byPath === 'compose-name') return 'compose';
  if (byPath) return byPath === 'nginx-dir' ? (text === undefined || !looksLikeIni(text) ? 'nginx' : undefined) : byPath;
  const byLanguage = opts.languageId ? LANGUAGE_IDS[opts.languageId] : undefined;
  if (byLanguage) return byLanguage;
  if (text === undefined) return undefined;
  return detectByContent(path, text);
}

type PathVerdict = Format | 'compose-name' | 'nginx-dir' | undefined;

/** The verdict of the name alone; undefined where the content must decide. */
export function detectByPath(path: string): PathVerdict {
  const parts = splitPath(path);
  const base = parts[parts.length - 1] ?? '';
  const lower = base.toLowerCase();
  const dirs = parts.slice(0, -1).map((d) => d.toLowerCase());
  const parent = dirs[dirs.length - 1] ?? '';

  if (/^(docker-)?compose(\.[^/\\]+)?\.ya?ml$/i.test(base)) return 'compose-name';
  if (lower === 'caddyfile' || lower.startsWith('caddyfile.') || lower.endsWith('.caddyfile')) return 'caddy';
  if (UNIT_SUFFIX.test(lower)) return 'systemd';
  if (lower.endsWith('.conf') && (lower === 'override.conf' || (parent.endsWith('.d') && UNIT_SUFFIX.test(parent.slice(0, -2))))) return 'systemd';
  if (lower === 'nginx.conf') return 'nginx';
  if (dirs.some((d) => NGINX_DIRS.has(d)) && (lower.endsWith('.conf') || !base.includes('.'))) return 'nginx-dir';
  return undefined;
}

function detectByContent(path: string, text: string): Format | undefined {
  const lower = (splitPath(path).pop() ?? '').toLowerCase();
  const ext = lower.includes('.') ? lower.slice(lower.lastIndexOf('.')) : '';
  if (text.length > 4_000_000 || text.includes('\u0000')) return undefined;
  if (ext === '.yml' || ext === '.yaml') return looksLikeCompose(text) ? 'compose' : undefined;
  if (ext === '.conf' || ext === '' || ext === '.template' || ext === '.tmpl') {
    if (looksLikeSystemd(text)) return 'systemd';
    if (looksLikeNginx(text)) return 'nginx';
    if (ext !== '.conf' && looksLikeCaddy(text)) return 'caddy';
  }
  return undefined;
}

const COMPOSE_SERVICE_KEYS = /^[ \t]+(image|build|ports|volumes|environment|command|container_name|restart|depends_on|networks|network_mode|deploy|healthcheck|env_file|labels):/m;

export function looksLikeCompose(text: string): boolean {
  if (!/^services:[ \t]*(#.*)?$/m.test(text)) return false;
  // GitHub workflows, Kubernetes manifests and GitLab CI also have top-level keys we can rule out.
  if (/^(jobs|on|apiVersion|kind|stages|steps|pipeline|spec):/m.test(text)) return false;
  return COMPOSE_SERVICE_KEYS.test(text);
}

const SYSTEMD_SECTIONS = /^\[(Unit|Service|Install|Socket|Timer|Mount|Automount|Path|Swap|Slice|Scope)\][ \t]*$/m;

export function looksLikeSystemd(text: string): boolean {
  if (!SYSTEMD_SECTIONS.test(text)) return false;
  // Every section header must be one systemd knows (supervisord's [program:x] is not).
  const headers = text.match(/^\[[^\]\n]*\][ \t]*$/gm) ?? [];
  return headers.every((h) => /^\[(Unit|Service|Install|Socket|Timer|Mount|Automount|Path|Swap|Slice|Scope|X-[^\]]+)\]/.test(h));
}

function looksLikeIni(text: string): boolean {
  return /^\[[^\]\n]+\][ \t]*$/m.test(text) && !/[{};][ \t]*(#.*)?$/m.test(text);
}

export function looksLikeNginx(text: string): boolean {
  if (looksLikeIni(text)) return false;
  const code = text.replace(/#.*$/gm, '');
  const block = /^[ \t]*(http|server|events|upstream|location|map|stream|geo|types|mail|if)\b[^;{}\n]*\{/m.test(code);
  const directive = /^[ \t]*(proxy_pass|listen|server_name|root|include|worker_processes|error_log|access_log|add_header|return|rewrite|proxy_set_header|ssl_certificate|client_max_body_size|try_files|index|fastcgi_pass|upstream)\b[^;{}\n]*;/m.test(code);
  return block || directive;
}

const CADDY_DIRECTIVES = /^[ \t]+(reverse_proxy|respond|file_server|root|encode|tls|basic_auth|basicauth|forward_auth|handle|handle_path|route|redir|import|header|log|rewrite|php_fastcgi|rate_limit)\b/m;

export function looksLikeCaddy(text: string): boolean {
  if (/;[ \t]*$/m.test(text.replace(/#.*$/gm, ''))) return false;
  // Addresses are separated by spaces or a comma: one separator is required between two, so the
  // pattern cannot backtrack over the ways to split one long word.
  const site = /^(\{|\(|[a-z0-9*.:\-\/{}$]+(?:(?:[ \t]*,[ \t]*|[ \t]+)[a-z0-9*.:\-\/{}$]+)*[ \t]*\{)[ \t]*$/im.test(text);
  return site && CADDY_DIRECTIVES.test(text);
}
