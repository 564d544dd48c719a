/**
 * What Caddy's Caddyfile knows, written from Caddy's documentation (caddyserver.com/docs/caddyfile):
 * the standard HTTP directives, the global options, the request matchers and the subdirectives of
 * the directives whose blocks Caddy checks, plus the directives of common plugins.
 */

/** Standard directives of Caddy 2.6–2.11 (`basicauth` is the pre-2.8 name of `basic_auth`). */
const STANDARD = [
  'abort', 'acme_server', 'basic_auth', 'basicauth', 'bind', 'encode', 'error', 'file_server', 'forward_auth', 'fs',
  'handle', 'handle_errors', 'handle_path', 'header', 'import', 'intercept', 'invoke', 'log', 'log_append', 'log_name',
  'log_skip', 'skip_log', 'map', 'method', 'metrics', 'php_fastcgi', 'push', 'redir', 'request_body', 'request_header',
  'respond', 'reverse_proxy', 'rewrite', 'root', 'route', 'templates', 'tls', 'tracing', 'try_files', 'uri', 'vars',
  'copy_response', 'copy_response_headers', 'acme_server',
];

/** Directives of widely used plugins (xcaddy builds): a Caddy without them refuses them, we do not. */
const PLUGINS = [
  'rate_limit', 'crowdsec', 'appsec', 'cache', 'souin', 'authenticate', 'authorize', 'jwtauth', 'jwt', 'cors', 'replace',
  'exec', 'webdav', 'cgi', 'geoip', 'realip', 'mercure', 'vulcain', 'php', 'php_server', 'php_cli', 'frankenphp',
  'coraza_waf', 'waf', 'ipfilter', 'trace', 'git', 'hugo', 'image_processor', 'cloudflare', 'dynamic_dns',
  'tailscale_auth', 'caddy_oidc', 'oauth', 'auth_portal', 'transform', 'ratelimit', 'defender', 'brotli', 'teapot',
  'supervisor', 'l4', 'sablier', 'redir_dns', 'umami', 'plausible',
];

export const DIRECTIVES: ReadonlySet<string> = new Set([...STANDARD, ...PLUGINS]);

/** Global options (and those of common plugins). */
export const GLOBAL_OPTIONS: ReadonlySet<string> = new Set([
  'debug', 'http_port', 'https_port', 'default_bind', 'order', 'storage', 'storage_check', 'storage_clean_interval',
  'renew_interval', 'ocsp_interval', 'admin', 'persist_config', 'log', 'grace_period', 'shutdown_delay', 'metrics',
  'auto_https', 'email', 'default_sni', 'fallback_sni', 'local_certs', 'skip_install_trust', 'acme_ca', 'acme_ca_root',
  'acme_eab', 'acme_dns', 'dns', 'ech', 'cert_issuer', 'key_type', 'cert_lifetime', 'ocsp_stapling', 'preferred_chains',
  'renewal_window_ratio', 'on_demand_tls', 'servers', 'tls_resolvers', 'auto_https_prefer_wildcard', 'pki', 'events', 'filesystem', 'tracing', 'import',
  // plugins
  'layer4', 'security', 'crowdsec', 'cache', 'frankenphp', 'dynamic_dns', 'rate_limit', 'email_ca', 'cloudflare',
  'tailscale', 'supervisor', 'sablier', 'souin', 'appsec', 'order',
]);

/** Request matchers, for `@name { … }` definitions. */
export const MATCHERS: ReadonlySet<string> = new Set([
  'client_ip', 'expression', 'file', 'header', 'header_regexp', 'host', 'method', 'not', 'path', 'path_regexp',
  'protocol', 'query', 'remote_ip', 'vars', 'vars_regexp', 'tls', 'url_pattern',
  // plugins
  'maxmind_geolocation', 'geoip', 'crowdsec', 'remote_host', 'dynamic_client_ip',
]);

/** Response matchers, for `@name` definitions inside reverse_proxy and friends (handle_response). */
export const RESPONSE_MATCHERS: ReadonlySet<string> = new Set(['status', 'header']);

/** Subdirectives that Caddy checks, for the directives whose block holds settings (not directives). */
export const SUBDIRECTIVES: Readonly<Record<string, ReadonlySet<string>>> = {
  reverse_proxy: new Set([
    'to', 'lb_policy', 'lb_retries', 'lb_try_duration', 'lb_try_interval', 'lb_retry_match', 'health_uri', 'health_path',
    'health_upstream', 'health_port', 'health_interval', 'health_passes', 'health_fails', 'health_timeout',
    'health_method', 'health_request_body', 'health_status', 'health_body', 'health_follow_redirects', 'health_headers',
    'unhealthy_request_count', 'unhealthy_status', 'unhealthy_latency', 'fail_duration', 'max_fails', 'max_conns',
    'flush_interval', 'request_buffers', 'response_buffers', 'buffer_requests', 'buffer_responses', 'stream_timeout',
    'stream_close_delay', 'stream_buffer_size', 'trusted_proxies', 'header_up', 'header_down', 'method', 'rewrite',
    'transport', 'handle_response', 'replace_status', 'dynamic', 'verbose_logs', 'request_body',
  ]),
  forward_auth: new Set([
    'uri', 'copy_headers', 'header_up', 'header_down', 'trusted_proxies', 'transport', 'lb_policy', 'lb_retries',
    'lb_try_duration', 'lb_try_interval', 'health_uri', 'health_interval', 'health_timeout', 'flush_interval',
    'handle_response', 'method', 'rewrite', 'to', 'dynamic', 'max_fails', 'fail_duration', 'request_buffers',
  ]),
  file_server: new Set(['fs', 'root', 'hide', 'index', 'browse', 'precompressed', 'status', 'disable_canonical_uris', 'pass_thru', 'etag_file_extensions', 'file_limit']),
  encode: new Set(['gzip', 'zstd', 'br', 'minimum_length', 'match']),
  php_fastcgi: new Set([
    'root', 'split', 'index', 'try_files', 'env', 'resolve_root_symlink', 'dial_timeout', 'read_timeout', 'write_timeout',
    'capture_stderr', 'to', 'lb_policy', 'lb_retries', 'lb_try_duration', 'lb_try_interval', 'health_uri', 'health_interval',
    'health_timeout', 'header_up', 'header_down', 'trusted_proxies', 'transport', 'handle_response', 'max_fails', 'fail_duration',
  ]),
  tls: new Set([
    'protocols', 'ciphers', 'curves', 'alpn', 'load', 'ca', 'ca_root', 'key_type', 'dns', 'propagation_delay',
    'propagation_timeout', 'resolvers', 'dns_ttl', 'dns_challenge_override_domain', 'on_demand', 'reuse_private_keys',
    'eab', 'issuer', 'get_certificate', 'insecure_secrets_log', 'client_auth', 'renewal_window_ratio', 'ech', 'must_staple',
  ]),
};

/** The options of global options whose blocks Caddy checks (`servers { … }`), by option then sub-block. */
export const GLOBAL_SUBOPTIONS: Readonly<Record<string, ReadonlySet<string>>> = {
  servers: new Set([
    'name', 'listener_wrappers', 'timeouts', 'keepalive_interval', 'keepalive_idle', 'keepalive_count', 'max_header_size',
    'enable_full_duplex', 'log_credentials', 'protocols', 'strict_sni_host', 'trusted_proxies', 'trusted_proxies_strict',
    'trusted_proxies_unix', 'client_ip_headers', 'metrics', 'trace', 'experimental_http3', 'allow_h2c', '0rtt', 'listen_protocols',
  ]),
  'servers timeouts': new Set(['read_body', 'read_header', 'write', 'idle']),
};

export function isDirective(name: string): boolean {
  return DIRECTIVES.has(name);
}

export function isGlobalOption(name: string): boolean {
  return GLOBAL_OPTIONS.has(name);
}

/** Blocks whose contents are directives again (a site's own body being the first). */
export const DIRECTIVE_BLOCKS: ReadonlySet<string> = new Set(['handle', 'handle_path', 'handle_errors', 'route', 'handle_response']);

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      // A transposition (`revese` / `reverse`) counts as one edit.
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The closest known name, if it is close enough to be a typo. */
export function didYouMean(name: string, known: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = lower === k ? 0.5 : distance(lower, k) - (lower.replace(/[-_]/g, '') === k.replace(/[-_]/g, '') ? 1.5 : 0);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  const limit = name.length <= 4 ? 1 : name.length <= 8 ? 2 : 3;
  return best !== undefined && bestD <= limit ? best : undefined;
}
