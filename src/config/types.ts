import type { SourceLocation } from '../errors.js';
import type { SensitiveText } from '../redact.js';
import type { ConfigFs } from './config-fs.js';
import type { DocumentSpan } from './fleet-issues.js';
import type { MergeInput } from './merge.js';
import type { ReferenceForms } from './reference-forms.js';

export type SectionMode = 'enforce' | 'observe';

/** A path inside a section's value, e.g. `['providers', 0, 'domains']`. */
export type ValuePath = ReadonlyArray<string | number>;

/**
 * One section (`auth`, `postgres`, ...) of one project, merged from every document that
 * addresses it. Values are interpolated (`${VAR}`, `${file:...}` resolved) but otherwise exactly as
 * written: friendly forms (lists for comma strings, aliases) are normalised by the provider.
 */
export interface DesiredSection {
  name: string;
  mode: SectionMode;
  /** Keys of the section other than `mode`. Absent key = unmanaged. */
  values: Record<string, unknown>;
  /**
   * Paths (joined with `/`, e.g. `smtp_pass` or `providers/0/metadata_xml`) whose value was read
   * from a `${file:...}` reference; such values are treated as sensitive wherever they appear.
   */
  fromFile: ReadonlySet<string>;
  /** Where a value stands in its file; `[]` is the section key itself. Falls back to the nearest parent. */
  locate(path: ValuePath): SourceLocation;
  /**
   * Where the key at `path[0]` got its value (position of the nearest key at or above `path`, and the
   * template chain); undefined when no layer set that key. `[]`: where the section was first declared.
   */
  origin?(path: ValuePath): ValueOrigin | undefined;
}

/** Where a value of the effective desired state came from. */
export interface ValueOrigin {
  location: SourceLocation;
  /** The template that set it; absent when the project's own documents did. */
  template?: string;
  /** The templates it was inherited through, from the one the project extends on; absent when none. */
  via?: readonly string[];
}

/** One of a project's variables, as written, for `explain`. */
export interface VariableInfo {
  /** The value as written: references not resolved. */
  written: unknown;
  origin: ValueOrigin;
  /** Where the project's values use it (paths, section first). */
  usedAt: readonly ValuePath[];
  /** (Part of) its value is read from a file. */
  fromFile: boolean;
}

export interface AllowRiskyEntry {
  /** `section.key`, e.g. `auth.password_min_length`, or `section` for every key of it. */
  key: string;
  location: SourceLocation;
  /** For an entry inherited from a template: which, and through which others. */
  origin?: ValueOrigin;
}

export interface DesiredProject {
  ref: string;
  /** Sections by name, only those present in some document. */
  sections: Map<string, DesiredSection>;
  allowRisky: AllowRiskyEntry[];
  /** Where the project was first declared (for messages that concern the whole project). */
  location: SourceLocation;
  /** The templates it extends, in layer order (each after the ones it builds on); absent when none. */
  templates?: readonly string[];
  /** Its variables by name, when it extends templates. */
  variables?: ReadonlyMap<string, VariableInfo>;
}

export interface DesiredState {
  /** Sorted by ref. */
  projects: DesiredProject[];
  /** Every configuration file read, sorted. */
  files: string[];
  /** Non-fatal findings (e.g. a private CIDR range), already located. */
  warnings: string[];
  /**
   * The configuration's secret values and `${file:}` contents, to redact from everything printed:
   * plans, logs, errors and the API's error text.
   */
  sensitive: SensitiveText;
  /**
   * With `referenceForms`: each project's effective desired state with every `${VAR}` and
   * `${file:...}` reference as written (never a resolved value) — what `plan --changed-since` compares.
   */
  references?: ReferenceForms;
}

export interface LoadOptions {
  /** Directories below which `${file:...}` may read (symlinks resolved). Empty = no file reads allowed. */
  secretsDirs: string[];
  /** Environment for `${VAR}`; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Where the files are read from: the file system (default) or, e.g., a git revision. */
  fs?: ConfigFs;
  /** Also provide `DesiredState.references`. */
  referenceForms?: boolean;
  /**
   * Parsed documents by file text: a load fills it with its valid files, and a reference-form load
   * (e.g. of a base revision) reuses them for files whose text is the same, instead of parsing again.
   */
  documentCache?: DocumentCache;
}

export type DocumentCache = Map<string, { documents: MergeInput[]; spans: DocumentSpan[] }>;
