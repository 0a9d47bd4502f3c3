/**
 * The shapes of an import: the declarative mapping tables (one per config.toml section, in
 * ./tables/), and what converting one project's effective config.toml yields — section values,
 * `${…}` references, included files, and a note for every key that was not imported.
 */
import type { ConfigIssue } from '../errors.js';
import type { TomlTable } from './toml-file.js';

/** How a TOML value becomes the value the CLI sends (./values.ts). */
export type Kind =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  /** An array of strings, kept a list (the section takes a list or the API's comma string). */
  | 'string_list'
  /** An array of strings sent as the API's comma string (webauthn_rp_origins). */
  | 'comma_string'
  /** A Go duration sent as whole seconds. */
  | 'seconds'
  /** A Go duration sent as float32 hours (sessions). */
  | 'hours'
  /** A go-units size ("50MiB") sent as bytes. */
  | 'bytes'
  /** A table of `key = "value"` sent as `key=value` pairs (sms test OTPs). */
  | 'pairs'
  /** A file path (content_path) whose text the CLI sends: an `${include:…}` reference. */
  | 'include';

/** What a rule may ask about the whole effective config.toml (conditions across tables). */
export interface RuleContext {
  /** The value at a dotted path of the effective config.toml, undefined when absent. */
  get(path: string): unknown;
}

/** One TOML key of a table → one field of a supasync section. */
export interface FieldRule {
  key: string;
  /** The section key it becomes; dotted for a nested value (`features.s3Protocol.enabled`). */
  to: string;
  kind: Kind;
  /** The CLI sends the boolean's opposite (`enable_signup` → `disable_signup`). */
  negate?: boolean;
  /** A secret field: a value written in the file becomes a `${NAME}` reference. */
  secret?: boolean;
  /** Enum values the section spells differently (`password_requirements = ""` → `none`). */
  rename?: Readonly<Record<string, string>>;
  /** Sent only when not empty (the CLI's `len(x) > 0`) or, for numbers, above zero. */
  onlyIfSet?: boolean;
  /** For `include`: what a relative path is relative to (the CLI differs between templates and notifications). */
  base?: 'repo' | 'supabase';
  /** Not sent when this gives a reason (listed as the key's note). */
  unless?: (ctx: RuleContext) => string | undefined;
  /** Sent when the key is absent but its table is present (the CLI sends the zero value of a present table). */
  whenAbsent?: unknown;
  /** A value the CLI changes before sending (e.g. phone sign-up off without an SMS provider). */
  adjust?: (value: unknown, ctx: RuleContext) => { value: unknown; note?: string };
}

/** An `enabled` switch: the table's other keys are sent only while it is on. */
export interface SwitchRule {
  key: string;
  /** The field the switch itself becomes (`external_github_enabled`); absent: not sent itself. */
  to?: string;
  /** Its value when the key is absent; a function of the table when the CLI decides by its content. */
  default: boolean | ((table: Record<string, unknown>) => boolean);
  /** What the CLI sends while off (`smtp_host = ""`, `db_schema = ""`). */
  off?: Readonly<Record<string, unknown>>;
  /** Why the other keys are not imported while off. */
  offNote: string;
}

/** One TOML table → fields of one section. Applies only when the table is in the file. */
export interface TableRule {
  table: string;
  section: string;
  switch?: SwitchRule;
  fields: readonly FieldRule[];
  /** Values sent with the fields while on (`features.icebergCatalog.enabled: true`). */
  constants?: Readonly<Record<string, unknown>>;
  /** The whole table is not sent when this gives a reason. */
  unless?: (ctx: RuleContext) => string | undefined;
}

/** Why a key of the file was not imported. */
export type NoteKind =
  /** Configures the local development stack only: no Management API counterpart. */
  | 'local'
  /** Has a hosted counterpart, but `supabase config push` does not send it. */
  | 'not-pushed'
  /** Not sent in this file's state (its switch is off, another key decides). */
  | 'inactive'
  /** A value the import cannot carry over (env() in a converted field). */
  | 'unconverted'
  /** Not a key the Supabase CLI knows. */
  | 'unknown';

export interface Note {
  /** Dotted TOML path (as written: `remotes.staging.auth.site_url` for a remote's own key). */
  path: string;
  kind: NoteKind;
  reason: string;
}

/** Where a `${…}` reference's value comes from. */
export type ReferenceSource = 'env' | 'plain' | 'encrypted';

/**
 * A value written as a `${NAME}` reference. `env(NAME)` keeps its name; a secret written in the
 * file gets its name when the documents are laid out (./layout.ts). The written value itself is
 * held privately, only to tell whether two documents hold the same secret; it is never rendered.
 */
export class Reference {
  readonly #value: string | undefined;

  constructor(
    readonly source: ReferenceSource,
    /** The section field it fills, `auth.smtp_pass`. */
    readonly field: string,
    /** The TOML key it comes from (for the list on stderr). */
    readonly tomlPath: string,
    /** Whether the field takes a number or boolean: the reference is then written unquoted. */
    readonly typed: boolean,
    /** The variable name: from env(NAME), or given by the layout. */
    public name: string | undefined,
    value?: string,
  ) {
    this.#value = value;
  }

  /** Whether both stand for the same value (same variable, or the same secret written). */
  sameAs(other: Reference): boolean {
    if (this.source === 'env' || other.source === 'env') return this.source === other.source && this.name === other.name;
    return this.#value === other.#value;
  }

  toJSON(): string {
    return `\${${this.name ?? '?'}}`;
  }
}

/** A file whose text becomes a field's value: an `${include:…}` reference once laid out. */
export class Included {
  constructor(
    /** Absolute path of the file the CLI reads. */
    readonly file: string,
    readonly tomlPath: string,
  ) {}

  toJSON(): string {
    return `\${include:${this.file}}`;
  }
}

export type Sections = Record<string, Record<string, unknown>>;

/** One project's effective config.toml, converted. */
export interface Converted {
  sections: Sections;
  /** `section.key` → the TOML key it came from. */
  provenance: Map<string, string>;
  notes: Note[];
  issues: ConfigIssue[];
}

export type { TomlTable };
