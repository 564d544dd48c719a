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
  /** newText as outputs (CLI JSON/SARIF, logs) may show it, when newText carries a secret. */
  redacted?: string;
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
  /** The file the finding is in, for a rule that looks across files (deployment rules); default: the linted file. */
  file?: string;
  range: Range;
  message: string;
  /** Overrides the rule's default for this one finding (e.g. error for a service with no auth). */
  severity?: Severity;
  fixes?: Fix[];
  related?: RelatedLocation[];
  /** The secret this report is about, exactly (secrets rules): what every output masks. Never serialized. */
  secret?: string;
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
  /** From `Report.secret`: the adapters' redactor (rules/secrets/redact.ts) masks it and drops the field. */
  secret?: string;
}

export interface RuleContext {
  /** The linted file's path. */
  readonly file: string;
  readonly text: string;
  /** Range of the text between two offsets of this document. */
  range(start: number, end: number): Range;
  /** The service knowledge table, with the user's additions. */
  readonly services: import('../knowledge/services').ServiceKnowledge;
  /**
   * A read-only view of other files (`.env`, `.gitignore`) that the adapter provides: the CLI reads
   * the disk, the server its open documents and the disk, tests an in-memory map. Absent: unknown.
   */
  readonly workspace?: WorkspaceView;
  /**
   * The other config files of the workspace, parsed (nginx `include`, Caddy `import`), and who
   * references this one. Absent: the file is linted alone, and rules stay quiet where another file
   * could change the answer.
   */
  readonly project?: ProjectView;
  /** The project's edge (absolute folders): a fix that would write outside it is not offered. Absent: unknown. */
  readonly roots?: readonly string[];
  /** The user's options for the running rule (`"rule": ["warning", { … }]`); absent when none are set. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/**
 * The rest of the workspace as rules may see it, provided by the adapter (`rules/core/project.ts`
 * over the disk and the open editors). Reads go through the adapter's cache: one parse per version.
 */
export interface ProjectView {
  /**
   * The one parse of another file as `format` (what an `include`/`import` of it means), at its
   * current version (the editor's buffer, else the disk); undefined when missing or unreadable.
   */
  document(absPath: string, format: Format): import('./engine').ParsedDocument | undefined;
  /** The files an absolute pattern names (`*`, `?`, `[…]` within a path segment, as glob(3)), sorted. */
  glob(absPattern: string): string[];
  /** The workspace files whose references (`include`, `import`) name `absPath`, sorted. */
  referrers(absPath: string): string[];
}

export interface WorkspaceView {
  /** The text of the file at this absolute path, or undefined when it does not exist. */
  read(absPath: string): string | undefined;
}

/**
 * A literal value that may be a secret, found by a format's extractor (`FormatModule.secretCandidates`).
 * Offsets are into the linted text; `valueSpan` covers exactly `value` as written.
 */
export interface SecretCandidate {
  /** The setting's name as written (`OPENAI_API_KEY`, `X-Api-Key`, `--token`, a label key); undefined for a bare value. */
  name?: string;
  value: string;
  valueSpan: readonly [start: number, end: number];
  where: 'env' | 'header' | 'url' | 'arg' | 'label' | 'comparison' | 'other';
  /**
   * True when the text at `valueSpan` is not `value` character for character (escapes were
   * decoded): findings then cover the whole span and no fix is offered.
   */
  inexact?: boolean;
  /** How the value moves out of the file; absent when the format offers no automatic fix here. */
  move?: SecretMove;
}

/** What the secrets rule needs to build a fix; the format says how its files reference a variable. */
export interface SecretMove {
  /** The variable the value moves to (a valid environment variable name). */
  variable: string;
  /** The text that replaces `valueSpan`, given the variable name finally chosen (`${NAME}`, `{$NAME}`). */
  reference(variable: string): string;
  /** Absolute path of the env file that receives `NAME=value` (created if missing); absent: none. */
  envFile?: string;
  /** Add the env file to the nearest `.gitignore` (created beside it if none). */
  gitignore?: boolean;
  /** The value the program receives for the text as written (compose: `$$` is `$`); default: as written. */
  runtimeValue?(written: string): string;
  /** Fix title; default "Move the value to <envFile> as NAME". */
  title?(variable: string): string;
  /**
   * When the whole `NAME=value` moves instead of the value being replaced (systemd `Environment=`):
   * this span of the linted file is replaced by `reference(variable)` (usually ''), and the env
   * file receives the candidate's whole `value` under exactly `variable` — no fix when the env
   * file already gives that variable another value.
   */
  replaceSpan?: readonly [start: number, end: number];
  /** Further edits of the linted file the move needs (systemd: the `EnvironmentFile=` line). */
  extraEdits?: readonly TextEdit[];
}

export interface Rule<M = unknown> {
  /** `<format>/<kebab-name>`: stable forever once released. */
  id: string;
  format: Format | 'secrets' | 'deployment';
  severity: Severity;
  summary: string;
  check(model: M, ctx: RuleContext): Report[];
  /**
   * An asynchronous second pass (library detectors that are async); its findings are merged with
   * check's, deduped by rule and range. Run by `runAsyncRules`, never on the keystroke's path.
   */
  checkAsync?(model: M, ctx: RuleContext): Promise<Report[]>;
}
