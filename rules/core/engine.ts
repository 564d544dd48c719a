import { ServiceKnowledge } from '../knowledge/services';
import { DEFAULT_CONFIG, type Config } from './config';
import { detectFormat } from './detect';
import { scanSuppressions, type Suppressions } from './suppress';
import { isInside } from './paths';
import { LineIndex, compareRanges } from './text';
import type { FileFacts } from '../deployment/facts';
import type { Finding, Format, ProjectView, Range, Report, Rule, RuleContext, SecretCandidate, WorkspaceView } from './types';

/** A format: how to parse it (never throws; syntax errors live in the model) and its rules. */
export interface FormatModule<M = unknown> {
  format: Format;
  parse(text: string, file: string): M;
  rules: readonly Rule<M>[];
  /**
   * The literal values of this document that may be secrets (env values, header values, URL
   * passwords, arguments…), read from the model. A format that has it gets the cross-format
   * rules (`secrets/hardcoded-secret`) for free.
   */
  secretCandidates?(model: M, ctx: RuleContext): SecretCandidate[];
  /**
   * The other files this document pulls in (nginx `include`, Caddy `import` of files), as absolute
   * patterns (glob(3) syntax); `ctx.project` answers where relative paths are anchored.
   */
  references?(model: M, ctx: RuleContext): string[];
  /** What the document says about the deployment (services, listeners, proxies), for the deployment rules. */
  facts?(model: M, ctx: RuleContext): Omit<FileFacts, 'file' | 'format'>;
}

/** What the deployment rules read: the facts of every file of the workspace (or of a CLI run). */
export interface DeploymentInput {
  files: readonly FileFacts[];
}

/** What a cross-format rule reads: one document's secret candidates, whatever its format. */
export interface CrossFormatModel {
  format: Format;
  file: string;
  text: string;
  candidates: readonly SecretCandidate[];
}

/** The result of the one parse of one document version; rules only read it. */
export interface ParsedDocument<M = unknown> {
  file: string;
  text: string;
  format: Format;
  model: M;
  lines: LineIndex;
  suppressions: Suppressions;
}

export interface RuleFailure {
  rule: string;
  error: unknown;
}

export interface LintOptions {
  config?: Config;
  /** Read-only access to other files (`.env`, `.gitignore`), provided by the adapter. */
  workspace?: WorkspaceView;
  /** The other config files, parsed, and who references whom (nginx `include`, Caddy `import`). */
  project?: ProjectView;
  /**
   * The project's edge (absolute, normalized folders): nothing outside is read, no fix writes
   * outside (`rules/core/paths.ts` `isInside`). Absent: no edge is known (one file linted in a test).
   */
  roots?: readonly string[];
  /** Called once per rule that throws; the other rules' findings are still returned. */
  onRuleError?: (failure: RuleFailure) => void;
}

const modules = new Map<Format, FormatModule<any>>();

/** Registers a format's parser and rules; returns a function that puts back what was there. */
export function registerFormat<M>(module: FormatModule<M>): () => void {
  const previous = modules.get(module.format);
  modules.set(module.format, module);
  return () => (previous ? modules.set(module.format, previous) : modules.delete(module.format));
}

export function formatModule(format: Format): FormatModule | undefined {
  return modules.get(format);
}

const crossRules: Rule<CrossFormatModel>[] = [];

/** Registers a rule that runs on every format whose module has a `secretCandidates` extractor. */
export function registerCrossFormatRule(rule: Rule<CrossFormatModel>): () => void {
  crossRules.push(rule);
  return () => {
    const i = crossRules.indexOf(rule);
    if (i >= 0) crossRules.splice(i, 1);
  };
}

const deploymentRules: Rule<DeploymentInput>[] = [];

/** Registers a rule that reads the whole deployment (every file's facts) rather than one document. */
export function registerDeploymentRule(rule: Rule<DeploymentInput>): () => void {
  deploymentRules.push(rule);
  return () => {
    const i = deploymentRules.indexOf(rule);
    if (i >= 0) deploymentRules.splice(i, 1);
  };
}

export function allRules(): Rule[] {
  return [...[...modules.values()].flatMap((m) => m.rules as Rule[]), ...(crossRules as Rule[]), ...(deploymentRules as Rule[])];
}

/** The one parse of a document version; undefined for a format with no parser (or a parser bug). */
export function parseDocument(file: string, text: string, format: Format, onError?: (error: unknown) => void): ParsedDocument | undefined {
  const module = modules.get(format);
  if (!module) return undefined;
  let model;
  try {
    model = module.parse(text, file);
  } catch (error) {
    onError?.(error);
    return undefined;
  }
  return { file, text, format, model, lines: new LineIndex(text), suppressions: scanSuppressions(text) };
}

function contextFor(doc: ParsedDocument, config: Config, options: LintOptions): RuleContext {
  return {
    file: doc.file,
    text: doc.text,
    range: (start, end) => doc.lines.range(start, end),
    services: knowledgeFor(config),
    ...(options.workspace ? { workspace: options.workspace } : {}),
    ...(options.project ? { project: options.project } : {}),
    ...(options.roots ? { roots: options.roots } : {}),
  };
}

// The candidates depend only on the document (extractors read its model and text), so the
// synchronous and the asynchronous pass share one extraction per parse.
const crossModels = new WeakMap<ParsedDocument, CrossFormatModel>();

/** The rules that apply to a document: its format's own, then the cross-format ones when it has an extractor. */
function applicableRules(module: FormatModule, doc: ParsedDocument, ctx: RuleContext, options: LintOptions): { rule: Rule<any>; model: () => unknown }[] {
  const own = module.rules.map((rule) => ({ rule: rule as Rule<any>, model: () => doc.model }));
  const extract = module.secretCandidates;
  if (!extract || !crossRules.length) return own;
  const model = () => {
    let cross = crossModels.get(doc);
    if (!cross) {
      let candidates: SecretCandidate[] = [];
      try {
        candidates = extract.call(module, doc.model, ctx);
      } catch (error) {
        options.onRuleError?.({ rule: `${doc.format}/secret-candidates`, error });
      }
      cross = { format: doc.format, file: doc.file, text: doc.text, candidates };
      crossModels.set(doc, cross);
    }
    return cross;
  };
  return [...own, ...crossRules.map((rule) => ({ rule: rule as Rule<any>, model }))];
}

const rangeKey = (rule: string, r: Range) => `${rule}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

/** Turns a rule's reports into findings: suppression comments, severity overrides, one per rule+range. */
/** Where findings go by default, and whether a comment silences a rule on a line of a file. */
interface Sink {
  file: string;
  suppressed(rule: string, file: string, line: number): boolean;
}

const documentSink = (doc: ParsedDocument): Sink => ({ file: doc.file, suppressed: (rule, file, line) => file === doc.file && doc.suppressions.isSuppressed(rule, line) });

function collect(doc: Sink, rule: Rule<any>, setting: Config['rules'][string] | undefined, reports: Report[], seen: Set<string>, findings: Finding[], roots?: readonly string[]): void {
  for (const r of reports) {
    // A node reached through an anchor is reported once, where the user edits it.
    const file = r.file ?? doc.file;
    const key = file + '\0' + rangeKey(rule.id, r.range);
    if (seen.has(key) || doc.suppressed(rule.id, file, r.range.start.line)) continue;
    seen.add(key);
    findings.push({
      rule: rule.id,
      severity: (setting && setting !== 'off' ? setting : undefined) ?? r.severity ?? rule.severity,
      file,
      range: r.range,
      message: r.message,
      // A fix that would edit a file outside the project is not offered (roots known).
      fixes: (r.fixes ?? []).map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, file: e.file ?? file })) })).filter((f) => f.edits.every((e) => isInside(roots, e.file))),
      ...(r.related?.length ? { related: r.related } : {}),
      ...(r.secret ? { secret: r.secret } : {}),
    });
  }
}

/** Findings in file, then place, then rule order: how every adapter lists them. */
export const byPlace = (a: Finding, b: Finding) => (a.file === b.file ? 0 : a.file < b.file ? -1 : 1) || compareRanges(a.range, b.range) || a.rule.localeCompare(b.rule);

/** The context a rule runs in: the document's, with the user's options for that rule when there are any. */
function withOptions(ctx: RuleContext, options: Readonly<Record<string, unknown>> | undefined): RuleContext {
  return options ? { ...ctx, options } : ctx;
}

/** The rules to run on a document under these options, each with its setting and model; none when disabled. */
function plan(doc: ParsedDocument, options: LintOptions) {
  const config = options.config ?? DEFAULT_CONFIG;
  const module = modules.get(doc.format);
  if (!config.enable || !module) return undefined;
  const ctx = contextFor(doc, config, options);
  const rules = applicableRules(module, doc, ctx, options)
    .map((r) => ({ ...r, setting: config.rules[r.rule.id], ctx: withOptions(ctx, config.ruleOptions[r.rule.id]) }))
    .filter((r) => r.setting !== 'off');
  return { ctx, rules };
}

export function runRules(doc: ParsedDocument, options: LintOptions = {}): Finding[] {
  const p = plan(doc, options);
  if (!p) return [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const { rule, model, setting, ctx } of p.rules) {
    let reports;
    try {
      reports = rule.check(model(), ctx);
    } catch (error) {
      options.onRuleError?.({ rule: rule.id, error });
      continue;
    }
    collect(documentSink(doc), rule, setting, reports, seen, findings, options.roots);
  }
  return findings.sort(byPlace);
}

/**
 * The asynchronous pass (rules with `checkAsync`, e.g. secretlint's detectors): only its own
 * findings, for `mergeFindings` with the synchronous ones. Never throws; a failing rule is reported
 * through `onRuleError`.
 */
export async function runAsyncRules(doc: ParsedDocument, options: LintOptions = {}): Promise<Finding[]> {
  const p = plan(doc, options);
  if (!p) return [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const { rule, model, setting, ctx } of p.rules) {
    if (!rule.checkAsync) continue;
    let reports;
    try {
      reports = await rule.checkAsync(model(), ctx);
    } catch (error) {
      options.onRuleError?.({ rule: rule.id, error });
      continue;
    }
    collect(documentSink(doc), rule, setting, reports, seen, findings, options.roots);
  }
  return findings.sort(byPlace);
}

function overlaps(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

/**
 * The synchronous findings with the asynchronous pass's merged in: one finding per rule+range, and
 * a synchronous finding of a rule is superseded by an asynchronous one of the same rule on an
 * overlapping range (the library knows the key's provider and exact extent).
 */
export function mergeFindings(sync: readonly Finding[], later: readonly Finding[]): Finding[] {
  const laterKeys = new Set(later.map((f) => rangeKey(f.rule, f.range)));
  const kept = sync.filter((s) => !laterKeys.has(rangeKey(s.rule, s.range)) && !later.some((a) => a.rule === s.rule && a.file === s.file && overlaps(a.range, s.range)));
  return [...kept, ...later].sort(byPlace);
}

/**
 * For the language server: after publishing `syncFindings` (from `runRules`) for a document
 * version, call this and publish its result for the same version when it resolves — the complete,
 * merged list. Resolves to `syncFindings` unchanged when there is no asynchronous rule to run.
 */
export async function lintAsyncFindings(doc: ParsedDocument, syncFindings: readonly Finding[], options: LintOptions = {}): Promise<Finding[]> {
  const later = await runAsyncRules(doc, options);
  return later.length ? mergeFindings(syncFindings, later) : [...syncFindings];
}

let knowledgeCache: { services: Config['services']; knowledge: ServiceKnowledge } | undefined;

function knowledgeFor(config: Config): ServiceKnowledge {
  if (knowledgeCache?.services !== config.services) knowledgeCache = { services: config.services, knowledge: new ServiceKnowledge(config.services) };
  return knowledgeCache.knowledge;
}

export interface LintResult {
  format: Format | undefined;
  findings: Finding[];
}

type LintTextOptions = LintOptions & { format?: Format; languageId?: string };

/** Detects the format and parses: the start of the pipeline for callers that keep no cache. */
function detectAndParse(file: string, text: string, options: LintTextOptions): { format: Format | undefined; doc?: ParsedDocument } {
  const format = options.format ?? detectFormat(file, text, { languageId: options.languageId });
  if (!format) return { format };
  return { format, doc: parseDocument(file, text, format, (error) => options.onRuleError?.({ rule: `${format}/parser`, error })) };
}

/** Detect, parse and check one file: the whole synchronous pipeline. */
export function lintText(file: string, text: string, options: LintTextOptions = {}): LintResult {
  const { format, doc } = detectAndParse(file, text, options);
  return { format, findings: doc ? runRules(doc, options) : [] };
}

/** `lintText` with the asynchronous pass awaited and merged: what the CLI uses. */
export async function lintTextAsync(file: string, text: string, options: LintTextOptions = {}): Promise<LintResult> {
  const { format, doc } = detectAndParse(file, text, options);
  return { format, findings: doc ? await lintAsyncFindings(doc, runRules(doc, options), options) : [] };
}

/** One file's deployment facts, and its suppression comments (a deployment finding in it obeys them). */
export interface DocumentFacts {
  facts: FileFacts;
  references: string[];
  suppressions: Suppressions;
}

/**
 * What a parsed document contributes to the workspace's picture: its facts (services, listeners,
 * proxies) and the files it references. Never throws; a failing extractor is reported through
 * `onRuleError` and contributes nothing.
 */
export function documentFacts(doc: ParsedDocument, options: LintOptions = {}): DocumentFacts {
  const module = modules.get(doc.format);
  const ctx = contextFor(doc, options.config ?? DEFAULT_CONFIG, options);
  const guarded = <T>(what: string, f: (() => T) | undefined, fallback: T): T => {
    if (!f) return fallback;
    try {
      return f();
    } catch (error) {
      options.onRuleError?.({ rule: `${doc.format}/${what}`, error });
      return fallback;
    }
  };
  const facts = guarded('facts', module?.facts && (() => module.facts!(doc.model, ctx)), {});
  const references = guarded('references', module?.references && (() => module.references!(doc.model, ctx)), []);
  return { facts: { ...facts, file: doc.file, format: doc.format }, references, suppressions: doc.suppressions };
}

/**
 * The deployment rules over every file's facts: findings in whichever files they concern, each
 * file's suppression comments obeyed. Never throws.
 */
export function runDeploymentRules(files: readonly DocumentFacts[], options: LintOptions = {}): Finding[] {
  const config = options.config ?? DEFAULT_CONFIG;
  if (!config.enable || !deploymentRules.length) return [];
  const byFile = new Map(files.map((f) => [f.facts.file, f]));
  const input: DeploymentInput = { files: files.map((f) => f.facts) };
  const ctx: RuleContext = {
    file: '',
    text: '',
    range: () => {
      throw new Error('a deployment rule reports the ranges of its facts');
    },
    services: knowledgeFor(config),
    ...(options.workspace ? { workspace: options.workspace } : {}),
    ...(options.project ? { project: options.project } : {}),
    ...(options.roots ? { roots: options.roots } : {}),
  };
  const sink: Sink = { file: '', suppressed: (rule, file, line) => byFile.get(file)?.suppressions.isSuppressed(rule, line) ?? false };
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of deploymentRules) {
    const setting = config.rules[rule.id];
    if (setting === 'off') continue;
    let reports;
    try {
      reports = rule.check(input, withOptions(ctx, config.ruleOptions[rule.id]));
    } catch (error) {
      options.onRuleError?.({ rule: rule.id, error });
      continue;
    }
    collect(sink, rule, setting, reports, seen, findings, options.roots);
  }
  return findings.sort(byPlace);
}
