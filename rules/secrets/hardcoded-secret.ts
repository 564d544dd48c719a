import type { CrossFormatModel } from '../core/engine';
import type { Fix, Report, Rule, RuleContext, SecretCandidate, TextEdit } from '../core/types';
import { splitPath } from '../core/paths';
import { appendLine, ignoreEdit, isIgnored } from '../deployment/gitignore';
import { urlPasswordSpan } from '../core/scan';
import { findKeys, isPlaceholder, isReference, isSecretName, looksLikeSecret, mask } from './detect';
import { describeHit, scanWithSecretlint } from './secretlint';

/**
 * Hardcoded secrets in every format that extracts its candidates: known key formats (ours
 * synchronously, secretlint's in the asynchronous pass) as errors, literal values of secret-named
 * settings and passwords in URLs as warnings. Messages show the value masked.
 */
export const rule: Rule<CrossFormatModel> = {
  id: 'secrets/hardcoded-secret',
  format: 'secrets',
  severity: 'warning',
  summary: 'API key, token or password written in the file instead of referenced from the environment',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const c of model.candidates) {
      if (!c.value || isFileSetting(c)) continue;
      const keys = findKeys(c.value);
      for (const k of keys) {
        const [start, end] = c.inexact ? c.valueSpan : [c.valueSpan[0] + k.start, c.valueSpan[0] + k.end];
        reports.push(report(model.format, ctx, c, start, end, `${k.provider} API key`, 'error', [start, end], '', c.value.slice(k.start, k.end)));
      }
      if (keys.length) continue;
      const password = urlPassword(c.value);
      if (password) {
        const [start, end] = c.inexact ? c.valueSpan : [c.valueSpan[0] + password.start, c.valueSpan[0] + password.end];
        reports.push(report(model.format, ctx, c, start, end, 'password in a URL', undefined, [start, end], '_PASSWORD', c.value.slice(password.start, password.end)));
        continue;
      }
      if (isSecretName(c.name) && !isReference(c.value) && looksLikeSecret(c.value)) {
        reports.push(report(model.format, ctx, c, c.valueSpan[0], c.valueSpan[1], 'secret', undefined, [c.valueSpan[0], c.valueSpan[1]], '', c.value));
      }
    }
    return reports;
  },
  async checkAsync(model, ctx) {
    const reports: Report[] = [];
    // Our own formats anywhere else in the text (a comment, a healthcheck): found, without a fix.
    const inCandidate = (start: number) => model.candidates.some((x) => x.valueSpan[0] <= start && start < x.valueSpan[1]);
    for (const k of findKeys(ctx.text)) {
      if (!inCandidate(k.start)) reports.push(report(model.format, ctx, undefined, k.start, k.end, `${k.provider} API key`, 'error'));
    }
    for (const hit of await scanWithSecretlint(ctx.text, ctx.file)) {
      const c = model.candidates.find((x) => x.valueSpan[0] <= hit.start && hit.end <= x.valueSpan[1]);
      if (c && isFileSetting(c)) continue;
      let [start, end] = [hit.start, hit.end];
      // A connection string moves only its password, so the rest stays readable.
      const password = c && !c.inexact ? urlPassword(ctx.text.slice(start, end)) : undefined;
      const fixSpan: [number, number] = password ? [start + password.start, start + password.end] : [start, end];
      if (c?.inexact) [start, end] = [c.valueSpan[0], c.valueSpan[1]];
      reports.push(report(model.format, ctx, c, start, end, describeHit(hit), 'error', fixSpan, password ? '_PASSWORD' : ''));
    }
    return reports;
  },
};

/** Where the value leaks and what to do instead, by format (nginx reads no environment). */
const ADVICE: Record<CrossFormatModel['format'], string> = {
  compose: 'it ends up in git, in backups and in `docker inspect`. Reference it from the environment instead.',
  caddy: 'it ends up in git and in backups. Reference it from the environment instead.',
  systemd: 'it ends up in git, in backups and in `systemctl show`. Move it to an EnvironmentFile= or a credential (LoadCredential=).',
  nginx: 'it ends up in git and in backups. Keep it in a root-only file that the config includes.',
};

/** `*_FILE` settings hold the path of a secret (the Docker secrets convention), never the secret. */
function isFileSetting(c: SecretCandidate): boolean {
  // The cheap test first: most names do not end in "file".
  return !!c.name && /file$/i.test(c.name) && /_FILE$/i.test(c.name.replace(/[^A-Za-z0-9]+/g, '_'));
}

/** The literal password of `scheme://user:password@host`, by offsets into the value. */
function urlPassword(value: string): { start: number; end: number } | undefined {
  // A scanner, not a RegExp: `[a-z]+://` tried at every position of `aaaa…a://` is quadratic.
  const span = urlPasswordSpan(value);
  if (!span) return undefined;
  const pw = value.slice(span.start, span.end);
  if (pw.length < 4 || isReference(pw) || isPlaceholder(pw)) return undefined;
  return span;
}

function report(format: CrossFormatModel['format'], ctx: RuleContext, c: SecretCandidate | undefined, start: number, end: number, what: string, severity?: 'error', fixSpan: [number, number] = [start, end], suffix = '', secret = ctx.text.slice(start, end)): Report {
  const where = c?.name ? ` in ${c.name}` : '';
  const fix = c ? moveFix(ctx, c, fixSpan[0], fixSpan[1], suffix) : undefined;
  return {
    range: ctx.range(start, end),
    severity,
    // The value is masked here and everywhere: a message travels to logs, CI output and screenshots.
    message: `Hardcoded ${what}${where} (${mask(secret)}): ${ADVICE[format]}`,
    fixes: fix ? [fix] : [],
    // What the adapters mask in every output (the value moved into `.env`, a copied header).
    secret,
  };
}

/** `${NAME}` in place, `NAME=value` appended to the env file, the env file in `.gitignore`: one fix, three files. */
function moveFix(ctx: RuleContext, c: SecretCandidate, start: number, end: number, suffix: string): Fix | undefined {
  const m = c.move;
  if (!m || c.inexact) return undefined;
  // A whole assignment moves under its own name (the program reads that name); else the value found.
  if (m.replaceSpan) [start, end] = m.replaceSpan;
  const written = m.replaceSpan ? c.value : ctx.text.slice(start, end);
  const value = m.runtimeValue ? m.runtimeValue(written) : written;
  let variable = suffix && !m.variable.endsWith(suffix) && !m.replaceSpan ? m.variable + suffix : m.variable;
  const edits: TextEdit[] = [];
  if (m.envFile) {
    const envText = ctx.workspace?.read(m.envFile);
    const existing = parseDotenv(envText ?? '');
    if (m.replaceSpan && existing.has(variable) && existing.get(variable) !== value) return undefined;
    variable = chooseVariable(variable, value, existing);
    const line = `${variable}=${dotenvValue(value)}`;
    if (existing.get(variable) !== value) {
      const add = envText === undefined ? { file: m.envFile, range: zero(), newText: line + '\n' } : appendLine(m.envFile, envText, line);
      edits.push({ ...add, redacted: add.newText.replace(line, `${variable}=${mask(value)}`) });
    }
    if (m.gitignore) {
      const ws = ctx.workspace ?? { read: () => undefined };
      if (!isIgnored(m.envFile, ws, undefined, ctx.roots)) {
        const ignore = ignoreEdit(m.envFile, ws, splitPath(m.envFile).dir, undefined, ctx.roots);
        // No .gitignore inside the project can take it: the value stays where it is.
        if (!ignore) return undefined;
        edits.push(ignore);
      }
    }
  }
  edits.unshift({ range: ctx.range(start, end), newText: m.reference(variable) }, ...(m.extraEdits ?? []));
  return { title: m.title?.(variable) ?? `Move the value to ${m.envFile ?? 'the environment'} as ${variable}`, edits, preferred: true };
}

function zero() {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

/** The variable to use: the setting's own name unless the env file already gives it another value. */
function chooseVariable(base: string, value: string, existing: Map<string, string>): string {
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}_${i}`;
    if (!existing.has(name) || existing.get(name) === value) return name;
  }
}

/** `NAME=value` lines of a dotenv file (quotes removed); enough to tell what it already holds. */
export function parseDotenv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    // The name by an anchored RegExp, the value by trim(): `\s*(.*?)\s*$` is quadratic on long runs of spaces.
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=/.exec(line);
    if (!m) continue;
    let v = line.slice(m[0].length).trim();
    // `.` stopped at these: such a line was no assignment.
    if (/[\r\u2028\u2029]/.test(v)) continue;
    if (/^'.*'$/.test(v)) v = v.slice(1, -1);
    else if (/^".*"$/.test(v)) v = v.slice(1, -1).replace(/\\(["\\$])/g, '$1');
    out.set(m[1], v);
  }
  return out;
}

/** A value as a dotenv line writes it: bare when safe, else single-quoted (no interpolation inside). */
function dotenvValue(value: string): string {
  if (/^[A-Za-z0-9_\-.:/+=@,~%^]*$/.test(value)) return value;
  if (!value.includes("'") && !/[\r\n]/.test(value)) return `'${value}'`;
  return JSON.stringify(value).replace(/\$/g, '\\$');
}
