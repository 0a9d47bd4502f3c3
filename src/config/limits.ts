/**
 * Caps on what the loader accepts. Configuration is small, hand-written text; anything beyond these
 * is a mistake (wrong file, generated dump) or an attack (alias bomb, deep nesting) and fails closed.
 */
export const LIMITS = {
  /** Bytes per configuration file. */
  fileBytes: 1024 * 1024,
  /** Bytes of all configuration files together. */
  totalBytes: 16 * 1024 * 1024,
  /** Configuration files per load. */
  files: 1000,
  /** Bytes per `${file:...}` secret file (SAML metadata XML fits comfortably). */
  secretFileBytes: 1024 * 1024,
  /** Bytes per `${include:...}` file (an email template or SAML metadata is tens of KiB). */
  includeFileBytes: 1024 * 1024,
  /** Nesting depth of mappings and lists in a document. */
  depth: 32,
  /** Alias expansions (`*name`) per document. */
  aliases: 100,
  /** Values per document after alias expansion. */
  values: 100_000,
  /** Templates nested through `extends` (a project's own `extends` is level 1). */
  extendsDepth: 16,
  /** Layers of one project: its templates and itself. */
  layers: 64,
  /** Issues reported in one ConfigError; the rest are counted. */
  issues: 100,
} as const;

export const MIB = 1024 * 1024;
