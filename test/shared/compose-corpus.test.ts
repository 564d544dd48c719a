/**
 * The real-world compose corpus: every file is linted with no rule throwing, and our syntax verdict
 * is compared with `docker-compose config -q` (Debian's 1.29). Each file runs in a temp directory
 * laid out like its repository would be for the old tool: the env files and build folders it names
 * exist, and every variable it uses with no default is set in `.env`, so that 1.29 judges the YAML
 * and the schema rather than a missing checkout. Its verdict is then accepted as it is: a file it
 * accepts must get no `compose/syntax-error`; a file it rejects for YAML syntax must get one; every
 * other rejection must be one of the known reasons (newer Compose features, fragments of a stack).
 * PyYAML, which 1.29 loads files with, also judges the pure YAML of each file and of truncated copies.
 * Last, every fix of every compose finding is applied to the corpus and re-checked.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { applyEdits, lintText, type Finding, type Fix, type TextEdit } from '../../rules';

const shared = path.resolve(__dirname, '../../../shared');
const corpus = path.join(shared, 'corpus/compose');
const files = readdirSync(corpus).sort();
const work = mkdtempSync(path.join(tmpdir(), 'portcullis-compose-corpus-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Why 1.29 refuses a file that is not broken YAML: features newer than it, or a file that is part of a stack. */
const KNOWN_REJECTIONS: { reason: string; output: RegExp }[] = [
  { reason: 'top-level name: (Compose Specification, Compose v2)', output: /'name' does not match any of the regexes: '\^x-'/ },
  { reason: 'top-level include: and depends_on required: (Compose 2.20+)', output: /'include' does not match any of the regexes: '\^x-'/ },
  { reason: '!reset / !override tags (Compose 2.24+)', output: /could not determine a constructor for the tag '!(reset|override)'/ },
  { reason: 'a service in an override file, defined in the base file (neither image nor build)', output: /has neither an image nor a build context specified/ },
  { reason: 'env_file: with path/required (Compose 2.24+)', output: /env_file contains \{"path"/ },
  { reason: 'named port (ports: name:, Compose 2.x)', output: /ports contains unsupported option: 'name'/ },
  { reason: 'inline file content in volumes (content:, a Coolify extension)', output: /volumes contains unsupported option: 'content'/ },
  { reason: 'a boolean environment value (1.x accepts only strings, numbers and null; Compose v2 converts it)', output: /environment\.\S+ contains (true|false), which is an invalid type/ },
  { reason: '${VAR:+…} interpolation (Compose v2 only)', output: /Invalid interpolation format .*:\+/ },
  { reason: 'named volume declared by the hosting platform (Coolify templates)', output: /Named volume ".*" is used in service ".*" but no declaration was found/ },
];

const YAML_SYNTAX = /yaml\.(scanner|parser)\.|while (scanning|parsing)|mapping values are not allowed|found duplicate key/;

/** Lays out the file's directory as its repository would have it, for the old tool. */
function prepare(name: string, text: string): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  // Variables used with no default (`${NAME}`, `${NAME:?err}`, `$NAME`) get a value; those with a
  // default keep it. A path position (followed by `/` or `:/`) gets a path, anything else a distinct
  // number (valid as a port, and two paths never collapse into one mount).
  const vars = new Map<string, string>();
  for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)((:?[?])[^}]*)?\}|\$\{([A-Za-z_][A-Za-z0-9_]*):?-[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const name = m[1] ?? m[5];
    if (!name) continue;
    const next = text.slice(m.index! + m[0].length, m.index! + m[0].length + 2);
    const value = next.startsWith('/') || next === ':/' ? `./var-${vars.size}` : String(20000 + vars.size);
    if (!vars.has(name)) vars.set(name, value);
  }
  let doc: any;
  try {
    doc = parse(text, { merge: true, uniqueKeys: false, logLevel: 'silent' });
  } catch {
    doc = undefined;
  }
  const envFiles = new Set<string>(['.env']);
  for (const svc of Object.values<any>(doc?.services ?? {})) {
    if (!svc || typeof svc !== 'object') continue;
    const env = svc.env_file;
    for (const e of Array.isArray(env) ? env : env ? [env] : []) {
      const p = typeof e === 'string' ? e : e?.path;
      if (typeof p === 'string' && !p.includes('$') && !path.isAbsolute(p)) envFiles.add(p);
    }
    const build = typeof svc.build === 'string' ? svc.build : svc.build?.context;
    if (typeof build === 'string' && !build.includes('$') && !build.includes('://') && !path.isAbsolute(build)) {
      mkdirSync(path.join(dir, build), { recursive: true });
      writeFileSync(path.join(dir, build, 'Dockerfile'), 'FROM scratch\n');
    }
  }
  const dotenv = [...vars].map(([name, value]) => `${name}=${value}`).join('\n') + '\n';
  for (const f of envFiles) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), dotenv);
  }
  writeFileSync(path.join(dir, 'docker-compose.yml'), text);
  return dir;
}

/** Runs with a clean environment: only `.env` sets variables, and `${HOME}` is not root's home (two mounts would collide there). */
function oldTool(name: string, text: string): Promise<{ ok: boolean; output: string }> {
  const dir = prepare(name, text);
  return new Promise((resolve) => {
    execFile('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH, HOME: dir, COMPOSE_PROJECT_NAME: 'corpus' } }, (error, stdout, stderr) =>
      resolve({ ok: !error, output: `${stdout}${stderr}`.trim() }),
    );
  });
}

/** Runs jobs a few at a time: each docker-compose run is a second of Python start-up. */
async function pool<T, R>(items: T[], run: (item: T) => Promise<R>, width = 2): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await run(items[i]);
    }
  }));
  return out;
}

/** PyYAML (what docker-compose 1.29 loads files with) composing each file: its pure YAML verdict, tags not constructed. */
function pyyamlVerdicts(paths: string[]): Record<string, string | null> {
  const script = [
    'import json, sys, yaml',
    'out = {}',
    'for p in json.load(sys.stdin):',
    '    try:',
    '        with open(p, encoding="utf-8") as f: list(yaml.compose_all(f, Loader=yaml.SafeLoader))',
    '        out[p] = None',
    '    except yaml.YAMLError as e:',
    '        out[p] = str(e).splitlines()[0]',
    'print(json.dumps(out))',
  ].join('\n');
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(paths), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const schema = JSON.parse(readFileSync(path.join(shared, 'schemas/compose-spec.json'), 'utf8'));
delete schema.$schema; // an https URL for draft-07 that ajv does not know; draft-07 is its default
const ajv = new Ajv({ strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);
function schemaValid(text: string): boolean {
  return validate(parse(text, { merge: true, logLevel: 'silent' })) as boolean;
}

/** The compose rules' findings (secrets and other cross-format rules have their own fix checks). */
function compose(findings: Finding[] | undefined): Finding[] {
  return (findings ?? []).filter((f) => f.rule.startsWith('compose/'));
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** Whether two edits overlap or meet at one point (closed ranges). */
function touches(a: TextEdit, b: TextEdit): boolean {
  return before(a.range.start, b.range.end) && before(b.range.start, a.range.end);
}

/** The file's text after one fix (its edits to this file only). */
function applied(file: string, text: string, fix: Fix): string {
  const { text: out, skipped } = applyEdits(text, fix.edits.filter((e) => (e.file ?? file) === file));
  assert.deepEqual(skipped, [], `"${fix.title}" has overlapping edits`);
  return out;
}

describe('compose corpus', () => {
  const results = new Map<string, Finding[]>();
  const acceptedByOldTool = new Set<string>();

  it('lints every file with no rule throwing', () => {
    assert.ok(files.length > 0, `no files in ${corpus}`);
    for (const f of files) {
      const text = readFileSync(path.join(corpus, f), 'utf8');
      const { format, findings } = lintText(path.join(corpus, f), text, {
        format: 'compose',
        onRuleError: ({ rule, error }) => assert.fail(`${rule} threw on ${f}: ${(error as Error)?.stack ?? error}`),
      });
      assert.equal(format, 'compose');
      results.set(f, findings);
    }
    const perRule = new Map<string, number>();
    for (const list of results.values()) for (const x of list) perRule.set(x.rule, (perRule.get(x.rule) ?? 0) + 1);
    const summary = [...perRule].sort(([a], [b]) => a.localeCompare(b)).map(([r, c]) => `${r}=${c}`).join(' ');
    console.log(`compose corpus: ${files.length} files, ${[...results.values()].reduce((s, l) => s + l.length, 0)} findings: ${summary}`);
  });

  it("agrees with PyYAML's own YAML verdict on every file", () => {
    const verdicts = pyyamlVerdicts(files.map((f) => path.join(corpus, f)));
    const disagreements: string[] = [];
    for (const f of files) {
      const text = readFileSync(path.join(corpus, f), 'utf8');
      const ours = lintText(f, text, { format: 'compose' }).findings.some((x) => x.rule === 'compose/syntax-error');
      const theirs = verdicts[path.join(corpus, f)];
      if (ours !== (theirs !== null)) disagreements.push(`${f}: ours ${ours ? 'error' : 'ok'}, PyYAML ${theirs ?? 'ok'}`);
    }
    console.log(`compose corpus vs PyYAML: ${files.length - disagreements.length}/${files.length} agree`);
    assert.deepEqual(disagreements, []);
  });

  it('agrees with PyYAML on truncated copies of every file (cut at 20, 35, 50, 65 and 80 %)', () => {
    const cuts: { file: string; ours: boolean }[] = [];
    const dir = path.join(work, 'truncated');
    mkdirSync(dir, { recursive: true });
    for (const f of files) {
      const text = readFileSync(path.join(corpus, f), 'utf8');
      for (const frac of [0.2, 0.35, 0.5, 0.65, 0.8]) {
        const cut = text.slice(0, Math.floor(text.length * frac));
        const file = path.join(dir, `${f}.${frac}`);
        writeFileSync(file, cut);
        cuts.push({ file, ours: lintText(file, cut, { format: 'compose' }).findings.some((x) => x.rule === 'compose/syntax-error') });
      }
    }
    const verdicts = pyyamlVerdicts(cuts.map((c) => c.file));
    const disagreements = cuts.filter((c) => c.ours !== (verdicts[c.file] !== null)).map((c) => `${path.basename(c.file)}: ours ${c.ours ? 'error' : 'ok'}, PyYAML ${verdicts[c.file] ?? 'ok'}`);
    const errors = cuts.filter((c) => c.ours).length;
    console.log(`compose corpus, truncated copies vs PyYAML: ${cuts.length - disagreements.length}/${cuts.length} agree (${errors} syntax errors)`);
    assert.deepEqual(disagreements, []);
  });

  it('agrees with docker-compose 1.29 on YAML syntax for every file', async () => {
    const verdicts = await pool(files, (f) => oldTool(f, readFileSync(path.join(corpus, f), 'utf8')));
    let accepted = 0;
    let agree = 0;
    const rejections = new Map<string, string[]>();
    const unknown: string[] = [];
    for (const f of files) {
      const text = readFileSync(path.join(corpus, f), 'utf8');
      const ours = (results.get(f) ?? lintText(f, text, { format: 'compose' }).findings).filter((x) => x.rule === 'compose/syntax-error');
      const verdict = verdicts[files.indexOf(f)];
      if (verdict.ok) {
        accepted++;
        acceptedByOldTool.add(f);
        assert.deepEqual(ours.map((x) => x.message), [], `${f}: docker-compose accepts it, we report a syntax error`);
        agree++;
        continue;
      }
      if (YAML_SYNTAX.test(verdict.output)) {
        assert.ok(ours.length > 0, `${f}: docker-compose finds a YAML error we miss: ${verdict.output}`);
        agree++;
        continue;
      }
      const known = KNOWN_REJECTIONS.find((k) => k.output.test(verdict.output));
      if (!known) {
        unknown.push(`${f}: ${verdict.output}`);
        continue;
      }
      // Not a YAML error: the file parses, so we must not call it a syntax error either.
      assert.deepEqual(ours.map((x) => x.message), [], `${f}: rejected by 1.29 only because ${known.reason}, yet we report a syntax error`);
      agree++;
      rejections.set(known.reason, [...(rejections.get(known.reason) ?? []), f]);
    }
    assert.deepEqual(unknown, [], 'docker-compose rejects these for reasons not classified here');
    console.log(`compose corpus vs docker-compose 1.29: ${agree}/${files.length} agree on syntax; 1.29 accepts ${accepted}, rejects ${files.length - accepted} for non-syntax reasons:`);
    for (const [reason, list] of rejections) console.log(`  ${list.length} × ${reason}: ${list.join(', ')}`);
  });

  it('every fix of every finding keeps the file parsing and schema-valid, and removes its finding', () => {
    const problems: string[] = [];
    let count = 0;
    for (const f of files) {
      const file = path.join(corpus, f);
      const text = readFileSync(file, 'utf8');
      const wasValid = schemaValid(text);
      for (const finding of compose(results.get(f))) {
        for (const fix of finding.fixes) {
          count++;
          const out = applied(file, text, fix);
          const after = lintText(file, out, { format: 'compose' }).findings;
          const where = `${f}:${finding.range.start.line + 1} ${finding.rule} "${fix.title}"`;
          if (after.some((x) => x.rule === 'compose/syntax-error')) problems.push(`${where}: leaves a syntax error`);
          if (after.some((x) => x.rule === finding.rule && JSON.stringify(x.range) === JSON.stringify(finding.range) && x.message === finding.message)) problems.push(`${where}: the finding stays`);
          if (wasValid && !schemaValid(out)) problems.push(`${where}: no longer valid for the schema`);
        }
      }
    }
    console.log(`compose corpus: ${count} fixes applied one by one, ${problems.length} problems`);
    assert.deepEqual(problems, []);
  });

  it('docker-compose 1.29 still accepts each file it accepted, with one fix of each kind applied', async () => {
    const jobs: { name: string; what: string; text: string }[] = [];
    for (const f of [...acceptedByOldTool].sort()) {
      const file = path.join(corpus, f);
      const text = readFileSync(file, 'utf8');
      // One fix per rule and kind of title, applied together where their edits do not overlap: one
      // run per file (each run is a Python start-up). Long-syntax host_ip, which 1.29 predates, is
      // left to the schema check above and to compose-fixes.test.ts.
      const kinds = new Map<string, Fix>();
      for (const finding of compose(results.get(f))) {
        for (const fix of finding.fixes) {
          const kind = `${finding.rule} ${fix.title.split(' ')[0]}`;
          if (!kinds.has(kind) && !fix.edits.some((e) => e.newText.includes('host_ip'))) kinds.set(kind, fix);
        }
      }
      const edits: TextEdit[] = [];
      const taken: string[] = [];
      for (const [kind, fix] of kinds) {
        const own = fix.edits.filter((e) => (e.file ?? file) === file);
        // Two fixes inserting at one place would interleave their lines: only fixes that touch nothing taken.
        if (own.some((e) => edits.some((t) => touches(e, t)))) continue;
        edits.push(...own);
        taken.push(kind);
      }
      if (taken.length) jobs.push({ name: `${f}.fixed`, what: `${f} after ${taken.join('; ')}`, text: applyEdits(text, edits).text });
    }
    const verdicts = await pool(jobs, (j) => oldTool(j.name, j.text));
    const rejected = jobs.map((j, i) => (verdicts[i].ok ? '' : `${j.what}: ${verdicts[i].output}`)).filter(Boolean);
    console.log(`compose corpus: ${jobs.length} fixed files (${jobs.reduce((n, j) => n + j.what.split('; ').length, 0)} fixes) checked with docker-compose 1.29, ${rejected.length} rejected`);
    assert.deepEqual(rejected, []);
  });
});
