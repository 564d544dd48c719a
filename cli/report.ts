import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Range, Rule, Severity } from '../rules';

/** Paths in every output are relative to the working directory, with `/` separators. */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return (rel.startsWith('..') ? file : rel).split('\\').join('/');
}

function oneBased(r: Range) {
  return { line: r.start.line + 1, column: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

// ---- text ----

const COLORS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', hint: '\x1b[2m' };

export function formatText(findings: Finding[], cwd: string, color: boolean, filesChecked: number): string {
  const paint = (code: string, s: string) => (color ? `${code}${s}\x1b[0m` : s);
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!byFile.has(f.file)) byFile.set(f.file, []);
    byFile.get(f.file)!.push(f);
  }
  for (const [file, list] of byFile) {
    out.push(paint('\x1b[4m', displayPath(file, cwd)));
    for (const f of list) {
      const pos = `${f.range.start.line + 1}:${f.range.start.character + 1}`.padEnd(8);
      const sev = paint(COLORS[f.severity], f.severity.padEnd(8));
      out.push(`  ${pos}${sev}${f.message}  ${paint('\x1b[2m', f.rule)}`);
    }
    out.push('');
  }
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const fixable = findings.filter((f) => f.fixes.some((x) => x.preferred)).length;
  if (findings.length) {
    const parts = (['error', 'warning', 'info', 'hint'] as Severity[]).filter((s) => count(s)).map((s) => `${count(s)} ${s}${count(s) === 1 || s === 'info' ? '' : 's'}`);
    out.push(paint(count('error') ? COLORS.error : COLORS.warning, `✖ ${findings.length} problem${findings.length === 1 ? '' : 's'} (${parts.join(', ')}) in ${byFile.size} of ${filesChecked} file${filesChecked === 1 ? '' : 's'}`));
    if (fixable) out.push(`  ${fixable} can be fixed with --fix`);
  } else out.push(`✔ no problems in ${filesChecked} file${filesChecked === 1 ? '' : 's'}`);
  return out.join('\n') + '\n';
}

// ---- json (the contract in DESIGN.md) ----

export function formatJson(findings: Finding[], cwd: string, filesChecked: number): string {
  return (
    JSON.stringify({
      version: 1,
      files: filesChecked,
      findings: findings.map((f) => ({
        file: displayPath(f.file, cwd),
        rule: f.rule,
        severity: f.severity,
        message: f.message,
        ...oneBased(f.range),
        fixes: f.fixes.map((x) => ({
          title: x.title,
          edits: x.edits.map((e) => ({ file: displayPath(e.file ?? f.file, cwd), ...oneBased(e.range), newText: e.newText })),
        })),
      })),
    }) + '\n'
  );
}

// ---- SARIF 2.1.0 ----

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** The rule's page shipped beside the CLI (`docs/rules/<id>.md`), if present. */
export function ruleDocFile(id: string): string | undefined {
  for (const base of [join(__dirname, '..', 'docs', 'rules'), join(__dirname, '..', '..', 'docs', 'rules')]) {
    const p = join(base, `${id}.md`);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function sarifRegion(r: Range) {
  const o = oneBased(r);
  return { startLine: o.line, startColumn: o.column, endLine: o.endLine, endColumn: o.endColumn };
}

export function formatSarif(findings: Finding[], rules: readonly Rule[], cwd: string, version: string): string {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const artifact = (file: string) => ({ uri: encodeURI(displayPath(file, cwd)), uriBaseId: '%SRCROOT%' });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Portcullis',
            version,
            semanticVersion: version,
            rules: rules.map((r) => {
              const doc = ruleDocFile(r.id);
              return {
                id: r.id,
                name: r.id.split('/')[1].replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
                shortDescription: { text: r.summary },
                ...(doc ? { helpUri: pathToFileURL(doc).href, help: { text: r.summary, markdown: readFileSync(doc, 'utf8') } } : { help: { text: r.summary } }),
                defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
                properties: { tags: ['security', r.format] },
              };
            }),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd.endsWith('/') ? cwd : cwd + '/').href } },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.rule,
          ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [{ physicalLocation: { artifactLocation: artifact(f.file), region: sarifRegion(f.range) } }],
          ...(f.related?.length
            ? { relatedLocations: f.related.map((r, id) => ({ id, message: { text: r.message }, physicalLocation: { artifactLocation: artifact(r.file), region: sarifRegion(r.range) } })) }
            : {}),
          ...(f.fixes.length
            ? {
                fixes: f.fixes.map((x) => {
                  const byFile = new Map<string, typeof x.edits>();
                  for (const e of x.edits) {
                    const file = e.file ?? f.file;
                    if (!byFile.has(file)) byFile.set(file, []);
                    byFile.get(file)!.push(e);
                  }
                  return {
                    description: { text: x.title },
                    artifactChanges: [...byFile].map(([file, edits]) => ({
                      artifactLocation: artifact(file),
                      replacements: edits.map((e) => ({ deletedRegion: sarifRegion(e.range), insertedContent: { text: e.newText } })),
                    })),
                  };
                }),
              }
            : {}),
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
