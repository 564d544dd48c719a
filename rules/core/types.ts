/** Core vocabulary shared by every format, rule and adapter. Positions are 0-based, columns in UTF-16 units (as LSP). */

export type Format = 'compose' | 'nginx' | 'caddy' | 'systemd';
export const FORMATS: readonly Format[] = ['compose', 'nginx', 'caddy', 'systemd'];

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A replacement of `range` in `file` (an absolute path; omitted in a rule's report = the linted file). */
export interface TextEdit {
  file?: string;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The obvious fix: offered first, applied by `--fix` and fix-all. */
  preferred?: boolean;
}

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

/** What a rule reports; the engine adds the rule id and the effective severity. */
export interface Report {
  range: Range;
  message: string;
  /** Overrides the rule's default for this one finding (e.g. error for a service with no auth). */
  severity?: Severity;
  fixes?: Fix[];
  related?: RelatedLocation[];
}

export interface Finding {
  rule: string;
  severity: Severity;
  /** Absolute path (or the editor's name for an unsaved document). */
  file: string;
  range: Range;
  message: string;
  fixes: Fix[];
  related?: RelatedLocation[];
}

export interface RuleContext {
  /** The linted file's path. */
  readonly file: string;
  readonly text: string;
  /** Range of the text between two offsets of this document. */
  range(start: number, end: number): Range;
  /** The service knowledge table, with the user's additions. */
  readonly services: import('../knowledge/services').ServiceKnowledge;
}

export interface Rule<M = unknown> {
  /** `<format>/<kebab-name>`: stable forever once released. */
  id: string;
  format: Format | 'secrets' | 'deployment';
  severity: Severity;
  summary: string;
  check(model: M, ctx: RuleContext): Report[];
}
