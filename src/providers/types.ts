/**
 * The provider contract: one file per resource, and nothing outside that file knows its fields.
 * A provider says which YAML section it owns and how its schema derives from the OpenAPI spec,
 * how to read and normalise live state, how to diff it against the desired state, and which
 * requests apply the difference, and which of its changes are risky. Every property of a field
 * (a comma list, a secret, a unit...) is declared once, in its SectionSchema: the generated JSON
 * Schema and the diff rules (normalise.ts `flatRules`) both derive from it.
 */
import type { ApiClient, ApiRequest } from '../api/types.js';
import type { DesiredSection, ValuePath } from '../config/types.js';
import type { Change } from '../reconcile/types.js';
import type { RiskRule } from './risk.js';
import type { ValueFormat } from './formats.js';

/** JSON Schema fragment (draft-07 subset as ajv reads it). */
export type JsonSchema = { [key: string]: unknown };

/** A property built from an OpenAPI request-body schema. */
export interface BodyRef {
  /** Name under `components.schemas`, e.g. `UpdateAuthConfigBody`. */
  $body: string;
  /** Properties of the body the YAML may not set (server-managed or handled elsewhere). */
  exclude?: string[];
  /** Properties the YAML must set. */
  require?: string[];
}

/**
 * How the section's part of `config.schema.json` is generated from the spec, and how its fields
 * compare. The generator takes the body's properties as they are (types, enums, ranges, patterns),
 * makes them strict, then applies the friendlier forms listed here and adds `mode` and the `extra`
 * properties; the diff rules of flat sections (normalise.ts `flatRules`) come from the same lists.
 */
export interface SectionSchema {
  description: string;
  /** The request body whose properties are the section's fields (names exactly as the API's). */
  body?: BodyRef;
  /** String fields that hold a comma-separated list (a set: order carries no meaning); the YAML may give a list of strings. */
  commaLists?: string[];
  /** A comma list's item pattern where the API constrains the items (default: any text without a comma). Must be linear. */
  commaListItems?: Record<string, string>;
  /** Comma-separated lists whose order carries meaning (a schema search path): compared in order. */
  orderedLists?: string[];
  /** API string fields that hold a number; the YAML may give a number. */
  numericStrings?: string[];
  /** Enum fields with named aliases: field → alias → API value. The YAML may use either. */
  aliases?: Record<string, Record<string, string>>;
  /**
   * String fields with a value format (./formats.ts): a Postgres memory or time quantity — the schema
   * checks its form, a number is accepted too, equal amounts compare equal (`1GB` = `1024MB`) — or
   * a time of day.
   */
  formats?: Record<string, ValueFormat>;
  /** Object fields the YAML may give in part: each of their objects is merged with its live value before sending. */
  mergedObjects?: string[];
  /** Fields whose change takes effect only after a restart. */
  restartFields?: string[];
  /** Section properties that are not API fields (`prune`, `providers`...): a JSON Schema or a body reference. */
  extra?: Record<string, JsonSchema | { type: 'array'; items: BodyRef; description?: string }>;
  /** Fields whose values are secrets: never printed, compared by hash. */
  secretFields?: string[];
  /**
   * String fields that usually hold a long text (an email template, SAML metadata): their schema
   * description says that `${include:PATH}` loads one from a file of the configuration. A field of
   * the items of an `extra` list is named `list[].field`.
   */
  longTexts?: string[];
}

/**
 * Shows a value in a finding's message: `"value"`, or the words `the value` when the finding's path
 * is sensitive (a secret field, or read from a file): a message about such a value never quotes
 * it, nor anything derived from it. `hidden` tells which, for wording that reads well both ways.
 */
export type Quote = ((value: unknown) => string) & { readonly hidden: boolean };

/** A semantic finding about the desired state, checked before any request. */
export interface CheckFinding {
  severity: 'error' | 'warning';
  /** Path inside the section, used to point at file:line:col. */
  path: ValuePath;
  /** Plain text, or built with `quote` when it shows the value at `path` (or one derived from it). */
  message: string | ((quote: Quote) => string);
}

export interface DiffInput<Live> {
  ref: string;
  desired: DesiredSection;
  live: Live;
}

export interface SectionDiff {
  changes: Change[];
  /** The minimal requests that apply `changes`; may hold secret values, so never rendered or logged. */
  requests: ApiRequest[];
  notes?: string[];
  warnings?: string[];
}

export interface ExportContext {
  ref: string;
  /** Everything, not only what differs from a new project's defaults. */
  all: boolean;
  /** The section's keys the configuration schema accepts (generated from the spec). */
  allowedKeys: ReadonlySet<string>;
}

/** An environment variable an exported `${NAME}` reference needs. */
export interface ExportVariable {
  name: string;
  /** What it stands for, e.g. `auth.smtp_pass`. */
  field: string;
}

export interface SectionExport {
  /** The section's YAML values; secret values are `${NAME}` references, never values or hashes. */
  values: Record<string, unknown>;
  variables: ExportVariable[];
}

export interface Provider<Live = unknown> {
  /** The YAML key the provider owns. */
  readonly section: string;
  readonly schema: SectionSchema;
  /** The changes of this section that weaken security or can lock people out (the guardrails). */
  readonly risks?: readonly RiskRule[];
  /** Checks beyond the JSON Schema (CIDR syntax, SAML metadata...). Pure; no requests. */
  check?(desired: DesiredSection): CheckFinding[];
  /**
   * Reads the live state and normalises it into the shape `diff` compares. Throws ApiError, or
   * UnsupportedError when the project cannot have this section (plan entitlement).
   */
  read(client: ApiClient, ref: string): Promise<Live>;
  /** Pure: desired vs live → changes and the requests that apply them. Throws ConfigError for an unresolvable desired state. */
  diff(input: DiffInput<Live>): SectionDiff;
  /**
   * The live state as YAML values that plan back to no changes; undefined when there is nothing to
   * write (everything at its default). Secrets become `${NAME}` references.
   */
  export?(live: Live, ctx: ExportContext): SectionExport | undefined;
  /**
   * The path of the desired value (section-relative) a change comes from, when its first segment
   * is not that key (e.g. a secret's change is named after the secret, its value is under `values`).
   * Default: the change path's first segment.
   */
  desiredPath?(change: Change): ValuePath;
  /** After the writes: waits until the change has settled (e.g. SSL enforcement applied). Optional. */
  settle?(client: ApiClient, ref: string): Promise<void>;
}

// Providers with different Live types live in one registry; `unknown` keeps callers honest.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance: a Provider<X> must fit the registry's element type
export type AnyProvider = Provider<any>;
