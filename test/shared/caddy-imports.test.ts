/**
 * Imports across files against the real tool: each configuration below is written to a temporary
 * folder and given to `caddy adapt` (Debian's 2.6, which follows the imports itself), and linted
 * by us as a workspace (every file, imports resolved among them). Our verdict (a caddy/syntax-error,
 * caddy/unknown-directive or caddy/undefined-snippet finding in any file) must match Caddy's, or
 * the disagreement is listed with its reason. Version note as in caddy-differential.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { applyWorkspaceFix, lines, lintWorkspace } from '../helpers';
import { caddyAdaptFiles, caddyAvailable, TEST_HASH } from './caddy-tool';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus/caddy');
const VALIDATION = new Set(['caddy/syntax-error', 'caddy/unknown-directive', 'caddy/undefined-snippet']);

interface Case {
  files: Record<string, string>;
  /** Why our verdict differs from Caddy 2.6's, when it does. */
  disagreement?: string;
}

const site = (name: string, ...body: string[]) => [`${name} {`, ...body.map((l) => `\t${l}`), '}'];

const CASES: Record<string, Case> = {
  'snippet files and site files by glob': {
    files: {
      Caddyfile: lines('import snippets/*.caddy', 'import sites/*.caddy'),
      'snippets/auth.caddy': lines('(auth) {', '\tbasic_auth {', `\t\talice ${TEST_HASH}`, '\t}', '}'),
      'snippets/headers.caddy': lines('(headers) {', '\theader -Server', '}'),
      'sites/ai.caddy': lines(...site('ai.example.com', 'import auth', 'import headers', 'reverse_proxy localhost:11434 {', '\theader_up Host localhost:11434', '}')),
      'sites/www.caddy': lines(...site('www.example.com', 'import headers', 'respond "hi"')),
    },
  },
  'a fragment of header_up lines imported into a reverse_proxy block': {
    files: {
      Caddyfile: lines(...site('ai.example.com', 'reverse_proxy localhost:11434 {', '\timport ollama-headers', '}')),
      'ollama-headers': lines('header_up Host localhost:11434', 'header_up X-Real-IP {remote_host}'),
    },
  },
  'a file imported with arguments': {
    files: { Caddyfile: lines(...site('ai.example.com', 'import proxy.caddy localhost:11434')), 'proxy.caddy': lines('reverse_proxy {args[0]}') },
  },
  'a diamond of fragments': {
    files: {
      Caddyfile: lines(...site('a.example.com', 'import a.caddy', 'import b.caddy', 'respond ok')),
      'a.caddy': lines('encode gzip', 'import common.caddy'),
      'b.caddy': lines('header -Server', 'import common.caddy'),
      'common.caddy': lines('log'),
    },
  },
  'a glob that matches nothing': { files: { Caddyfile: lines('import conf.d/*.caddy', ...site('a.example.com', 'respond ok')) } },
  'a site file named as a Caddyfile, using its importer\'s snippet': {
    files: { Caddyfile: lines('(common) {', '\tencode gzip', '}', 'import sites/*'), 'sites/Caddyfile.a': lines(...site('a.example.com', 'import common', 'respond ok')) },
  },
  'a cycle of two files': {
    files: { Caddyfile: lines('import more.caddy', ...site('a.example.com', 'respond ok')), 'more.caddy': lines('import Caddyfile') },
  },
  'a cycle of fragments further down': {
    files: { Caddyfile: lines(...site('a.example.com', 'import a.caddy', 'respond ok')), 'a.caddy': lines('encode gzip', 'import b.caddy'), 'b.caddy': lines('header -Server', 'import a.caddy') },
  },
  'an unknown directive in an imported fragment': {
    files: { Caddyfile: lines(...site('a.example.com', 'import common.caddy', 'respond ok')), 'common.caddy': lines('encode gzip', 'heder -Server') },
  },
  'a syntax error in an imported site file': {
    files: { Caddyfile: lines('import sites/*.caddy'), 'sites/a.caddy': lines(...site('a.example.com:99999', 'respond ok')) },
  },
  'a brace an imported fragment leaves open (Caddy reads on into the importer)': {
    files: { Caddyfile: lines(...site('a.example.com', 'import headers.caddy')), 'headers.caddy': lines('header {', '\tX-Frame-Options DENY') },
  },
  'a snippet only defined in a file that is not imported': {
    files: { Caddyfile: lines(...site('a.example.com', 'import common', 'respond ok')), 'other.caddy': lines('(common) {', '\tencode gzip', '}') },
  },
  'a snippet of an imported file used before the import': {
    files: { Caddyfile: lines(...site('a.example.com', 'import common', 'respond ok'), 'import snippets.caddy'), 'snippets.caddy': lines('(common) {', '\tencode gzip', '}') },
  },
  'fixes across files: a proxy to Ollama in a fragment, a plain-HTTP site file': {
    files: {
      Caddyfile: lines('import sites/*.caddy'),
      'sites/ai.caddy': lines(...site('http://ai.example.com', 'import ../ollama.caddy')),
      'ollama.caddy': lines('reverse_proxy 127.0.0.1:11434'),
    },
  },
  'an import of a file that does not exist': {
    files: { Caddyfile: lines(...site('a.example.com', 'import missing.caddy', 'respond ok')) },
    disagreement: 'Caddy refuses a missing file (not a glob); a file missing from the workspace is unknown to us, as for every include (it may exist on the server)',
  },
};

/** The corpus' two nextcloud files, put back side by side under their names: acme.Caddyfile imports headers.Caddyfile. */
function corpusPair(): Case {
  const prefix = 'nextcloud__all-in-one__Containers__mastercontainer__';
  const read = (name: string) => readFileSync(path.join(CORPUS, prefix + name), 'utf8');
  return {
    files: { 'acme.Caddyfile': read('acme.Caddyfile'), 'headers.Caddyfile': read('headers.Caddyfile') },
    disagreement: "headers.Caddyfile uses the remote_host matcher, which Caddy 2.6 does not have (2.7+); with it, the import is followed and both files parse",
  };
}

describe('caddy imports: our verdict vs caddy adapt (2.6) on configurations of several files', { skip: !caddyAvailable() && 'caddy is not installed' }, () => {
  it('agrees on every configuration, or the disagreement is listed with its reason', async () => {
    const cases: [string, Case, string][] = [...Object.entries(CASES).map(([n, c]) => [n, c, 'Caddyfile'] as [string, Case, string]), ['corpus: nextcloud acme.Caddyfile + headers.Caddyfile', corpusPair(), 'acme.Caddyfile']];
    const unlisted: string[] = [];
    const stale: string[] = [];
    let agree = 0;
    for (const [name, c, main] of cases) {
      const theirs = caddyAdaptFiles(c.files, main);
      const findings = (await lintWorkspace(Object.fromEntries(Object.entries(c.files).map(([f, t]) => [`/w/${f}`, t])))).filter((f) => VALIDATION.has(f.rule));
      const ours = findings.length > 0;
      if (ours === !theirs.ok) {
        agree++;
        if (c.disagreement) stale.push(name);
      } else if (!c.disagreement) {
        unlisted.push(`${name}: ours=${ours ? findings.map((f) => `${f.file}:${f.range.start.line + 1}: ${f.message}`).join('; ') : 'valid'} caddy=${theirs.ok ? 'valid' : theirs.message}`);
      }
    }
    console.log(`caddy imports: ${agree}/${cases.length} configurations agree with caddy adapt 2.6 (${cases.length - agree} listed disagreements)`);
    assert.deepEqual(unlisted, [], 'unlisted disagreements');
    assert.deepEqual(stale, [], 'listed disagreements that now agree: remove them from the list');
  });

  it('every fix of every finding, in whichever file it edits, keeps the configuration valid for caddy adapt', async () => {
    const broken: string[] = [];
    let checked = 0;
    for (const [name, c] of Object.entries(CASES)) {
      const abs = Object.fromEntries(Object.entries(c.files).map(([f, t]) => [`/w/${f}`, t]));
      if (!caddyAdaptFiles(c.files).ok) continue;
      for (const finding of await lintWorkspace(abs)) {
        for (const fix of finding.fixes) {
          const fixed = applyWorkspaceFix(abs, fix);
          const rel = Object.fromEntries(Object.entries(fixed).map(([f, t]) => [f.slice('/w/'.length), t]));
          const r = caddyAdaptFiles(rel);
          checked++;
          if (!r.ok) broken.push(`${name}: ${finding.rule} "${fix.title}": ${r.message}`);
        }
      }
    }
    console.log(`caddy imports: ${checked} fixes applied across files, each adapted by caddy 2.6`);
    assert.ok(checked >= 5, `only ${checked} fixes were checked`);
    assert.deepEqual(broken, []);
  });
});
