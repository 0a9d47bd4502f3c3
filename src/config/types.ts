import type { SourceLocation } from '../errors.js';
import type { SensitiveText } from '../redact.js';

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
}

export interface AllowRiskyEntry {
  /** `section.key`, e.g. `auth.password_min_length`, or `section` for every key of it. */
  key: string;
  location: SourceLocation;
}

export interface DesiredProject {
  ref: string;
  /** Sections by name, only those present in some document. */
  sections: Map<string, DesiredSection>;
  allowRisky: AllowRiskyEntry[];
  /** Where the project was first declared (for messages that concern the whole project). */
  location: SourceLocation;
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
}

export interface LoadOptions {
  /** Directories below which `${file:...}` may read (symlinks resolved). Empty = no file reads allowed. */
  secretsDirs: string[];
  /** Environment for `${VAR}`; defaults to process.env. */
  env?: Record<string, string | undefined>;
}
