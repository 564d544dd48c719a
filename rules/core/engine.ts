import { ServiceKnowledge } from '../knowledge/services';
import { DEFAULT_CONFIG, type Config } from './config';
import { detectFormat } from './detect';
import { scanSuppressions, type Suppressions } from './suppress';
import { LineIndex, compareRanges } from './text';
import type { Finding, Format, Range, Report, Rule, RuleContext, SecretCandidate, WorkspaceView } from './types';

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

export function allRules(): Rule[] {
  return [...[...modules.values()].flatMap((m) => m.rules as Rule[]), ...(crossRules as Rule[])];
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
function collect(doc: ParsedDocument, rule: Rule<any>, setting: Config['rules'][string] | undefined, reports: Report[], seen: Set<string>, findings: Finding[]): void {
  for (const r of reports) {
    // A node reached through an anchor is reported once, where the user edits it.
    const key = rangeKey(rule.id, r.range);
    if (seen.has(key) || doc.suppressions.isSuppressed(rule.id, r.range.start.line)) continue;
    seen.add(key);
    findings.push({
      rule: rule.id,
      severity: (setting && setting !== 'off' ? setting : undefined) ?? r.severity ?? rule.severity,
      file: doc.file,
      range: r.range,
      message: r.message,
      fixes: (r.fixes ?? []).map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, file: e.file ?? doc.file })) })),
      ...(r.related?.length ? { related: r.related } : {}),
    });
  }
}

const byPlace = (a: Finding, b: Finding) => compareRanges(a.range, b.range) || a.rule.localeCompare(b.rule);

/** The rules to run on a document under these options, each with its setting and model; none when disabled. */
function plan(doc: ParsedDocument, options: LintOptions) {
  const config = options.config ?? DEFAULT_CONFIG;
  const module = modules.get(doc.format);
  if (!config.enable || !module) return undefined;
  const ctx = contextFor(doc, config, options);
  const rules = applicableRules(module, doc, ctx, options)
    .map((r) => ({ ...r, setting: config.rules[r.rule.id] }))
    .filter((r) => r.setting !== 'off');
  return { ctx, rules };
}

export function runRules(doc: ParsedDocument, options: LintOptions = {}): Finding[] {
  const p = plan(doc, options);
  if (!p) return [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const { rule, model, setting } of p.rules) {
    let reports;
    try {
      reports = rule.check(model(), p.ctx);
    } catch (error) {
      options.onRuleError?.({ rule: rule.id, error });
      continue;
    }
    collect(doc, rule, setting, reports, seen, findings);
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
  for (const { rule, model, setting } of p.rules) {
    if (!rule.checkAsync) continue;
    let reports;
    try {
      reports = await rule.checkAsync(model(), p.ctx);
    } catch (error) {
      options.onRuleError?.({ rule: rule.id, error });
      continue;
    }
    collect(doc, rule, setting, reports, seen, findings);
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
