import { ServiceKnowledge } from '../knowledge/services';
import { DEFAULT_CONFIG, type Config } from './config';
import { detectFormat } from './detect';
import { scanSuppressions, type Suppressions } from './suppress';
import { LineIndex, compareRanges } from './text';
import type { Finding, Format, Rule, RuleContext } from './types';

/** A format: how to parse it (never throws; syntax errors live in the model) and its rules. */
export interface FormatModule<M = unknown> {
  format: Format;
  parse(text: string, file: string): M;
  rules: readonly Rule<M>[];
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

export function allRules(): Rule[] {
  return [...modules.values()].flatMap((m) => m.rules as Rule[]);
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

export function runRules(doc: ParsedDocument, options: LintOptions = {}): Finding[] {
  const config = options.config ?? DEFAULT_CONFIG;
  if (!config.enable) return [];
  const module = modules.get(doc.format);
  if (!module) return [];
  const ctx: RuleContext = {
    file: doc.file,
    text: doc.text,
    range: (start, end) => doc.lines.range(start, end),
    services: knowledgeFor(config),
  };
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of module.rules) {
    const setting = config.rules[rule.id];
    if (setting === 'off') continue;
    let reports;
    try {
      reports = rule.check(doc.model, ctx);
    } catch (error) {
      options.onRuleError?.({ rule: rule.id, error });
      continue;
    }
    for (const r of reports) {
      // A node reached through an anchor is reported once, where the user edits it.
      const key = `${rule.id}@${r.range.start.line}:${r.range.start.character}-${r.range.end.line}:${r.range.end.character}`;
      if (seen.has(key) || doc.suppressions.isSuppressed(rule.id, r.range.start.line)) continue;
      seen.add(key);
      findings.push({
        rule: rule.id,
        severity: setting ?? r.severity ?? rule.severity,
        file: doc.file,
        range: r.range,
        message: r.message,
        fixes: (r.fixes ?? []).map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, file: e.file ?? doc.file })) })),
        ...(r.related?.length ? { related: r.related } : {}),
      });
    }
  }
  return findings.sort((a, b) => compareRanges(a.range, b.range) || a.rule.localeCompare(b.rule));
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

/** Detect, parse and check one file: the whole pipeline for callers that keep no cache. */
export function lintText(file: string, text: string, options: LintOptions & { format?: Format; languageId?: string } = {}): LintResult {
  const format = options.format ?? detectFormat(file, text, { languageId: options.languageId });
  if (!format) return { format: undefined, findings: [] };
  const doc = parseDocument(file, text, format, (error) => options.onRuleError?.({ rule: `${format}/parser`, error }));
  return { format, findings: doc ? runRules(doc, options) : [] };
}
