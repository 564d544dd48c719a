/** Runs Debian's Caddy (2.6) on a Caddyfile text, for the caddy shared tests. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A real bcrypt hash (of "portcullis"), for the `{$AUTH_HASH}` placeholder the fixes insert. */
export const TEST_HASH = '$2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG';

/**
 * Caddy 2.6 predates the `basic_auth` name (2.8): the text given to it has `basic_auth` renamed to
 * `basicauth`, as a directive name and in `order`. Nothing else is changed.
 */
export function forCaddy26(text: string): string {
  return text.replace(/^([ \t]*)basic_auth(?=[ \t\r\n{])/gm, '$1basicauth').replace(/^([ \t]*order[ \t]+\S+[ \t]+(?:before|after)[ \t]+)basic_auth\b/gm, '$1basicauth');
}

/** Values for the `{$VAR}` placeholders of a text (Caddy 2.6 substitutes them before parsing). */
export function envFor(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of text.matchAll(/\{\$([A-Za-z0-9_]+)(:[^}]*)?\}/g)) {
    const name = m[1];
    env[name] = /PORT/i.test(name) ? '8080' : /HASH/i.test(name) ? TEST_HASH : /USER/i.test(name) ? 'admin' : /MAIL/i.test(name) ? 'ops@example.com' : /URL|ENDPOINT|UPSTREAM/i.test(name) ? 'http://127.0.0.1:8080' : `${name.toLowerCase().replace(/_/g, '-')}.example.com`;
  }
  return env;
}

export interface AdaptResult {
  ok: boolean;
  message: string;
}

export function caddyAvailable(): boolean {
  return spawnSync('caddy', ['version'], { encoding: 'utf8' }).status === 0;
}

/** `caddy adapt` in a temporary folder (it may look for imported files there), with the env set. */
export function caddyAdapt(text: string): AdaptResult {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-caddy-'));
  try {
    writeFileSync(join(dir, 'Caddyfile'), forCaddy26(text));
    const r = spawnSync('caddy', ['adapt', '--config', 'Caddyfile', '--adapter', 'caddyfile'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...envFor(text) },
    });
    const lines = (r.stderr ?? '').split('\n').filter((l) => l.trim() && !/^\{"level":"(info|warn|debug)"/.test(l));
    return { ok: r.status === 0, message: lines.join(' ').slice(0, 400) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `caddy adapt` on a configuration of several files (relative path -> text), written to a temporary
 * folder; `main` is the file given to Caddy, which follows its imports from there.
 */
export function caddyAdaptFiles(files: Record<string, string>, main = 'Caddyfile'): AdaptResult {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-caddy-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), forCaddy26(text));
    }
    const r = spawnSync('caddy', ['adapt', '--config', main, '--adapter', 'caddyfile'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...envFor(Object.values(files).join('\n')) },
    });
    const lines = (r.stderr ?? '').split('\n').filter((l) => l.trim() && !/^\{"level":"(info|warn|debug)"/.test(l));
    return { ok: r.status === 0, message: lines.join(' ').replaceAll(dir, '<dir>').slice(0, 400) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
