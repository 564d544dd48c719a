import * as fs from 'node:fs';
import * as path from 'node:path';
import { GlobSet, mergeConfig, normalizeConfig, type Config, type ConfigProblem } from '../rules';

export const CONFIG_FILE = '.portcullis.json';

/** The configuration in effect for one document, and whether its `exclude` globs leave it out. */
export interface DocumentConfig {
  config: Config;
  excluded: boolean;
}

export interface SettingsSource {
  /** The `portcullis` settings section for a document (undefined when the client has none). */
  settings(uri: string): Promise<unknown>;
  /** Where problems with a setting or a config file are reported (once per distinct message). */
  warn(message: string): void;
}

interface ConfigFile {
  dir: string;
  config: Partial<Config>;
}

/**
 * Settings merged over the nearest `.portcullis.json` (config file first, then settings win).
 * Cached until `invalidate()` (settings changed, a watched file changed) or until a config file on
 * the document's way up is created, changed or deleted: its modification time is checked on every
 * use, so that clients without file watching (Neovim 0.7) see the change at the next edit.
 */
export class ConfigStore {
  private workspaceFolders: string[] = [];
  private readonly perDocument = new Map<string, { stamp: string; config: Promise<DocumentConfig> }>();
  private readonly files = new Map<string, { stamp: string; found: ConfigFile | null }>();
  /** Problems already logged since the last change, so each is told once, not on every lint. */
  private readonly warned = new Set<string>();
  /** Settings of files no editor shows, read once per scope (their workspace folder) rather than per file. */
  private readonly scoped = new Map<string, Promise<unknown>>();
  /** Bumped by every invalidation, so that a lint started before it can tell it is out of date. */
  generation = 0;

  constructor(private readonly source: SettingsSource) {}

  setWorkspaceFolders(folders: string[]): void {
    // Longest first: the innermost folder holding a document is its root.
    this.workspaceFolders = [...new Set(folders.map((f) => path.resolve(f)))].sort((a, b) => b.length - a.length);
    this.invalidate();
  }

  invalidate(): void {
    this.perDocument.clear();
    this.files.clear();
    this.warned.clear();
    this.scoped.clear();
    this.generation++;
  }

  /** A closed document's settings are read afresh when it opens again. */
  forget(uri: string): void {
    this.perDocument.delete(uri);
  }

  forDocument(uri: string, file: string | undefined): Promise<DocumentConfig> {
    const absolute = this.absolute(file);
    const stamp = absolute ? this.candidates(absolute).map(fileStamp).join('|') : '';
    let cached = this.perDocument.get(uri);
    if (!cached || cached.stamp !== stamp) {
      cached = { stamp, config: this.load(uri, file) };
      this.perDocument.set(uri, cached);
    }
    return cached.config;
  }

  private absolute(file: string | undefined): string | undefined {
    return file !== undefined && path.isAbsolute(file) ? path.resolve(file) : undefined;
  }

  private rootOf(absolute: string): string | undefined {
    return this.workspaceFolders.find((f) => isInside(absolute, f));
  }

  /** The config files that may apply, nearest first: up to the workspace folder (the file system's root outside any). */
  private candidates(absolute: string): string[] {
    const root = this.rootOf(absolute);
    const out: string[] = [];
    for (let d = path.dirname(absolute); ; d = path.dirname(d)) {
      out.push(path.join(d, CONFIG_FILE));
      if ((root !== undefined && d === root) || path.dirname(d) === d) return out;
    }
  }

  /**
   * The configuration of a file on disk that no editor shows (the workspace scan): the settings of
   * `scopeUri` (its workspace folder), asked for once, over the nearest config file.
   */
  async forFile(file: string, scopeUri: string): Promise<DocumentConfig> {
    return this.resolve(file, await this.settingsOf(scopeUri));
  }

  /** The raw settings of a scope, cached until `invalidate()`. */
  settingsOf(scopeUri: string): Promise<unknown> {
    let settings = this.scoped.get(scopeUri);
    if (!settings) this.scoped.set(scopeUri, (settings = this.read(scopeUri)));
    return settings;
  }

  private async read(uri: string): Promise<unknown> {
    try {
      return await this.source.settings(uri);
    } catch (error) {
      this.warnOnce(`could not read the portcullis settings: ${(error as Error)?.message ?? error}`);
      return undefined;
    }
  }

  private async load(uri: string, file: string | undefined): Promise<DocumentConfig> {
    return this.resolve(file, await this.read(uri));
  }

  private resolve(file: string | undefined, raw: unknown): DocumentConfig {
    const problems: ConfigProblem[] = [];
    const settings = normalizeConfig(raw, problems);
    for (const p of problems) this.warnOnce(`settings: ${p.message}`);

    const absolute = this.absolute(file);
    const root = absolute ? this.rootOf(absolute) : undefined;
    let configFile: ConfigFile | undefined;
    for (const candidate of absolute ? this.candidates(absolute) : []) if ((configFile = this.readConfigFile(candidate))) break;
    const config = mergeConfig(configFile?.config ?? {}, settings);
    // A config file's globs are relative to its folder, the settings' to the workspace folder.
    const excluded =
      absolute !== undefined &&
      (matchesGlobs(absolute, configFile?.config.exclude ?? [], configFile?.dir) || matchesGlobs(absolute, settings.exclude ?? [], root));
    return { config, excluded };
  }

  private readConfigFile(file: string): ConfigFile | undefined {
    const stamp = fileStamp(file);
    const cached = this.files.get(file);
    if (cached && cached.stamp === stamp) return cached.found ?? undefined;
    let found: ConfigFile | null = null;
    try {
      const text = fs.readFileSync(file, 'utf8');
      const problems: ConfigProblem[] = [];
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        problems.push({ message: `not valid JSON (${(error as Error).message})` });
      }
      found = { dir: path.dirname(file), config: normalizeConfig(json, problems) };
      for (const p of problems) this.warnOnce(`${file}: ${p.message}`);
    } catch {
      // No config file in this folder (or one we may not read): keep walking up.
    }
    this.files.set(file, { stamp, found });
    return found ?? undefined;
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.source.warn(message);
  }
}

/** Changes when the file is created, deleted or written. */
function fileStamp(file: string): string {
  try {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    return st ? `${st.mtimeMs}:${st.size}` : '-';
  } catch {
    return '?';
  }
}

/** Whether `file` matches one of `globs`, read (as the CLI reads them) relative to `base`; never outside it. */
export function matchesGlobs(file: string, globs: readonly string[], base: string | undefined): boolean {
  if (!globs.length || base === undefined || !isInside(file, base)) return false;
  try {
    return new GlobSet(globs).matches(path.relative(base, file).split(path.sep).join('/'));
  } catch {
    return false; // a glob that is not a valid pattern excludes nothing
  }
}

function isInside(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
