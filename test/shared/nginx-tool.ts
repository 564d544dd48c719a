/**
 * Runs the real `nginx -t` on a config or a fragment, with a temp prefix, a wrapper that includes
 * a fragment where it belongs (http, server, location, stream…), and stand-ins for what `nginx -t`
 * checks besides syntax: certificate files, included files, log paths, the `user`, and upstream
 * host names (nginx resolves them). Every stand-in keeps the line count, so lines compare.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Ctx } from '../../rules/nginx/directives';
import { parseNginx } from '../../rules/nginx/model';

export const nginxAvailable = spawnSync('nginx', ['-v']).status === 0 && spawnSync('openssl', ['version']).status === 0;

const MODULES = ['/usr/lib/nginx/modules/ngx_stream_module.so', '/usr/lib/nginx/modules/ngx_mail_module.so'];

let workDir: string | undefined;

/** A temp prefix with a self-signed certificate, DH parameters and an empty include stand-in, made once. */
export function nginxWorkDir(): string {
  if (workDir) return workDir;
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-nginx-'));
  mkdirSync(join(dir, 'logs'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=portcullis.test', '-days', '2', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  execFileSync('openssl', ['dhparam', '-dsaparam', '-out', join(dir, 'dhparam.pem'), '2048'], { stdio: 'ignore' });
  writeFileSync(join(dir, 'empty.conf'), '');
  // An included TLS snippet (certbot's, linuxserver's ssl.conf) is where the certificate usually is.
  writeFileSync(join(dir, 'ssl-standin.conf'), `ssl_certificate ${join(dir, 'cert.pem')};\nssl_certificate_key ${join(dir, 'key.pem')};\n`);
  workDir = dir;
  return dir;
}

/** Replaces what nginx -t would check on this machine (files, users, DNS) with local stand-ins. */
export function withStandIns(text: string, dir: string): string {
  const upstreams = new Set([...text.matchAll(/\bupstream\s+([^\s{;]+)\s*\{/g)].map((m) => m[1]));
  return text
    .replace(/\b(ssl_certificate_key|proxy_ssl_certificate_key|grpc_ssl_certificate_key)([ \t]+)("[^"]*"|'[^']*'|[^;\s]+)/g, (_, d, sp) => `${d}${sp}${join(dir, 'key.pem')}`)
    .replace(/\b(ssl_certificate|ssl_trusted_certificate|ssl_client_certificate|proxy_ssl_trusted_certificate|proxy_ssl_certificate|grpc_ssl_certificate|grpc_ssl_trusted_certificate)([ \t]+)("[^"]*"|'[^']*'|[^;\s]+)/g, (_, d, sp) => `${d}${sp}${join(dir, 'cert.pem')}`)
    .replace(/\b(ssl_dhparam)([ \t]+)("[^"]*"|'[^']*'|[^;\s]+)/g, (_, d, sp) => `${d}${sp}${join(dir, 'dhparam.pem')}`)
    .replace(/\b(include)([ \t]+)("[^"]*"|'[^']*'|[^;\s]+)(?=\s*;)/g, (_, d, sp, p: string) => {
      const name = basename(p.replace(/["']/g, ''));
      return `${d}${sp}${name === 'mime.types' ? '/etc/nginx/mime.types' : /ssl/i.test(name) && !name.includes('*') ? join(dir, 'ssl-standin.conf') : join(dir, 'empty.conf')}`;
    })
    .replace(/\b(access_log|error_log)([ \t]+)([^;\s]+)/g, (m, d, sp, p: string) => (/^(off|stderr|syslog:|memory:|\$)/.test(p) ? m : `${d}${sp}${join(dir, 'logs', 'x.log')}`))
    .replace(/^([ \t]*)(pid|lock_file)([ \t]+)[^;\s]+/gm, (_, ind, d, sp) => `${ind}${d}${sp}${join(dir, 'nginx.pid')}`)
    .replace(/^([ \t]*)user([ \t]+)[^;]+;/gm, (_, ind, sp) => `${ind}user${sp}root;`)
    .replace(/\b(proxy_pass|grpc_pass|uwsgi_pass|scgi_pass|fastcgi_pass|memcached_pass)([ \t]+)([^;\s]+)/g, (m, d, sp, arg: string) => {
      const u = /^((?:[a-z]+:\/\/)?)([^:/]*)(.*)$/.exec(arg)!;
      if (!/^[A-Za-z_][\w.-]*$/.test(u[2]) || upstreams.has(u[2]) || u[2] === 'localhost' || u[2] === 'unix') return m;
      return `${d}${sp}${u[1]}127.0.0.1${u[3]}`;
    })
    .replace(/^([ \t]*)server([ \t]+)([A-Za-z_][\w.-]*)(?=[:\s;])/gm, (m, ind, sp, host: string) => (host === 'localhost' || host === 'unix' ? m : `${ind}server${sp}127.0.0.1`));
}

const WRAPPERS: Record<number, (inc: string) => string> = {
  [Ctx.http]: (inc) => `events {}\nhttp {\n${inc}\n}\n`,
  [Ctx.server]: (inc) => `events {}\nhttp {\nserver {\n${inc}\n}\n}\n`,
  [Ctx.location]: (inc) => `events {}\nhttp {\nserver {\nlocation / {\n${inc}\n}\n}\n}\n`,
  [Ctx.stream]: (inc) => `events {}\nstream {\n${inc}\n}\n`,
  [Ctx['s.server']]: (inc) => `events {}\nstream {\nserver {\n${inc}\n}\n}\n`,
  [Ctx.mail]: (inc) => `events {}\nmail {\n${inc}\n}\n`,
};

export interface NginxVerdict {
  ok: boolean;
  /** 1-based line of the first error in the tested file, if nginx named one there. */
  line?: number;
  message?: string;
}

/** `nginx -t` on `text`, checked in the context our parser infers for it (main, http, server, …). */
export function nginxTest(text: string, name = 'test.conf'): NginxVerdict {
  const dir = nginxWorkDir();
  const rootCtx = parseNginx(text).rootCtx;
  const file = join(dir, name.replace(/[^\w.-]/g, '_'));
  const loads = MODULES.filter(existsSync).map((m) => `load_module ${m}; `).join('');
  const body = withStandIns(text, dir);
  let conf: string;
  if (rootCtx === Ctx.main) {
    // Modules go on the first line, so the file's own line numbers stay.
    writeFileSync(file, (/\bload_module\b/.test(text) ? '' : loads) + body);
    conf = file;
  } else {
    writeFileSync(file, body);
    conf = join(dir, 'wrapper.conf');
    // Zones a fragment uses are defined in the main config: give the wrapper stand-ins.
    const zones = (re: RegExp) => new Set([...text.matchAll(re)].map((m) => m[1]));
    const defined = zones(/zone=([\w-]+):/g);
    let http = '';
    for (const z of zones(/\blimit_req\s+zone=([\w-]+)/g)) if (!defined.has(z)) http += `limit_req_zone $binary_remote_addr zone=${z}:1m rate=1r/s; `;
    for (const z of zones(/\blimit_conn\s+([\w-]+)/g)) if (!defined.has(z)) http += `limit_conn_zone $binary_remote_addr zone=${z}:1m; `;
    writeFileSync(conf, loads + WRAPPERS[rootCtx](`include ${file};`).replace('http {\n', `http {${http}\n`));
  }
  const r = spawnSync('nginx', ['-t', '-q', '-p', dir + '/', '-c', conf, '-e', join(dir, 'logs', 'error.log')], { encoding: 'utf8' });
  if (r.status === 0) return { ok: true };
  const err = (r.stderr || '').split('\n').find((l) => /\[emerg\]/.test(l)) ?? r.stderr;
  const at = new RegExp(`in ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)`).exec(err);
  return { ok: false, line: at ? Number(at[1]) : undefined, message: err.replace(/^nginx: \[emerg\] /, '') };
}
