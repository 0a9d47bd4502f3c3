/**
 * yaml's AST of one document → plain data, with the position of every key and value, the paths
 * whose value came from a `${file:...}` reference, and the interpolation of string values.
 * `${var:...}` and `${project}` need the project a value ends up in, so strings holding them are
 * kept as written and listed as deferred (resolved per project after merging, ./variables.ts).
 * Aliases are expanded here under a budget (alias bombs); nesting depth is capped.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { ConfigIssue, SourceLocation } from '../errors.js';
import { escapeIncluded, includeReference } from './includes.js';
import { hasReference, interpolate, retypePlain, type FileReadResult, type InterpolationSources } from './interpolate.js';
import { hasProjectReference } from './references.js';
import { LIMITS } from './limits.js';
import { SensitiveValues } from './sensitive.js';
import { formatPath, locationAt, PositionMap } from './locate.js';
import type { ValuePath } from './types.js';

export interface TreeContext {
  file: string;
  source: string;
  lineCounter: LineCounter;
  sources: InterpolationSources;
  /**
   * `keep`: no reference is resolved; every string holding one is kept as written and deferred
   * (a configuration read only to be compared, e.g. at a base git revision: nothing is read).
   */
  interpolation?: 'resolve' | 'keep';
  /**
   * What `${include:PATH}` (a whole string value) gives, PATH as written in this file: read and
   * checked before the tree is built (./includes.ts). Resolved in both interpolation modes: an
   * included text is configuration, not a secret, and a change of it is a change of the configuration.
   */
  includes?(path: string): FileReadResult;
}

/** A string value whose references are resolved later, per project. */
export interface DeferredString {
  path: ValuePath;
  /** The value as written. */
  raw: string;
  /** A plain (unquoted, untagged) scalar: a value that is exactly one reference takes the referenced type. */
  plain: boolean;
  /** Where a reference (as written, its n-th occurrence in the value) stands; the value's position if not verbatim. */
  locate(reference: string, occurrence: number): SourceLocation;
}

/** A string value resolved here from references: how it was written (compared instead of its value). */
export interface WrittenString {
  path: ValuePath;
  raw: string;
}

export interface DocumentTree {
  value: unknown;
  positions: PositionMap;
  /** Paths whose value (partly) came from a `${file:...}` reference. */
  fromFile: ValuePath[];
  /** Paths that could not be resolved; an issue says why, so schema errors below them are noise. */
  unresolved: ValuePath[];
  /** Strings resolved per project after merging (or, with `interpolation: 'keep'`, every string holding a reference). */
  deferred: DeferredString[];
  /** Strings resolved here, as written. */
  written: WrittenString[];
  issues: ConfigIssue[];
}

/** Thrown to abandon a document that exceeds a cap; becomes one issue. */
class CapExceeded extends Error {
  constructor(
    readonly location: SourceLocation,
    message: string,
  ) {
    super(message);
  }
}

/** Own-property assignment: a `__proto__` key must stay data, never reach the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

class TreeBuilder {
  readonly positions: PositionMap;
  readonly fromFile: ValuePath[] = [];
  readonly unresolved: ValuePath[] = [];
  readonly deferred: DeferredString[] = [];
  readonly written: WrittenString[] = [];
  readonly issues: ConfigIssue[] = [];
  private aliases = 0;
  private values = 0;
  private outermostAlias: SourceLocation | undefined;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly ctx: TreeContext,
  ) {
    this.positions = new PositionMap(this.at(doc.contents?.range?.[0] ?? 0));
  }

  at(offset: number): SourceLocation {
    return locationAt(this.ctx.file, this.ctx.lineCounter, offset);
  }

  private where(node: Node | null | undefined, fallback: SourceLocation): SourceLocation {
    return node?.range ? this.at(node.range[0]) : fallback;
  }

  build(node: Node | null | undefined, path: ValuePath, depth: number, here: SourceLocation): unknown {
    if (++this.values > LIMITS.values) {
      throw new CapExceeded(here, `document has more than ${LIMITS.values} values (after expanding aliases)`);
    }
    if (depth > LIMITS.depth) throw new CapExceeded(here, `nesting is too deep (more than ${LIMITS.depth} levels)`);
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      if (++this.aliases > LIMITS.aliases) {
        // Point at the alias written in the document body, not at one nested inside an anchor.
        const at = this.outermostAlias ?? here;
        throw new CapExceeded(at, `too many alias expansions (more than ${LIMITS.aliases}); is this an alias bomb?`);
      }
      const target = node.resolve(this.doc);
      if (!target) {
        this.issue(here, path, `unknown alias *${node.source} (an anchor &${node.source} must come before it)`);
        return null;
      }
      const outer = this.outermostAlias;
      this.outermostAlias ??= here;
      try {
        return this.build(target, path, depth, here);
      } finally {
        this.outermostAlias = outer;
      }
    }
    if (isScalar(node)) return this.scalar(node, path, here);
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const keyAt = this.where(keyNode, here);
        // parse.ts composes with `stringKeys`: a key is its text as written (`TRUE` stays "TRUE").
        if (!isScalar(keyNode) || typeof keyNode.value !== 'string') {
          this.issue(keyAt, path, 'mapping keys must be plain strings');
          continue;
        }
        const key = keyNode.value;
        // Keys are never interpolated; a reference in one would silently stay literal (and reach
        // the API as a name), so it is refused instead.
        if (hasReference(key)) {
          this.issue(keyAt, path, 'a mapping key cannot hold a ${...} reference (keys are never interpolated; put the reference in a value)');
          continue;
        }
        const childPath = [...path, key];
        const valueNode = pair.value as Node | null;
        const valueAt = valueNode?.range && !(isScalar(valueNode) && valueNode.value === null) ? this.at(valueNode.range[0]) : keyAt;
        this.positions.set(childPath, { key: keyAt, value: valueAt });
        setOwn(out, key, this.build(valueNode, childPath, depth + 1, valueAt));
      }
      return out;
    }
    if (isSeq(node)) {
      return node.items.map((item, index) => {
        const childPath = [...path, index];
        const itemAt = this.where(item as Node, here);
        this.positions.set(childPath, { value: itemAt });
        return this.build(item as Node, childPath, depth + 1, itemAt);
      });
    }
    this.issue(here, path, 'unsupported YAML node');
    return null;
  }

  private scalar(node: Node & { value: unknown; type?: string; tag?: string }, path: ValuePath, here: SourceLocation): unknown {
    if (typeof node.value !== 'string' || !hasReference(node.value)) return node.value;
    let value: string = node.value;
    const include = includeReference(value);
    if (include.kind !== 'none') {
      const read: FileReadResult =
        include.kind === 'invalid' ? { ok: false, message: include.message } : (this.ctx.includes?.(include.path) ?? { ok: false, message: 'includes are not read here' });
      if (!read.ok) {
        this.issue(this.referenceLocation(node, include.raw, 0, here), path, read.message);
        this.unresolved.push(path);
        return value;
      }
      // The text stands as written: any `${` in it is escaped, so no step below reads it as a reference.
      value = escapeIncluded(read.text);
      if (!hasReference(value)) return value;
    }
    // (`project:` and `template:` are resolved even in keep mode: they say which project a document is.)
    if ((this.ctx.interpolation === 'keep' && path.length > 1) || hasProjectReference(value)) {
      const plain = node.type === 'PLAIN' && !node.tag;
      this.deferred.push({ path, raw: value, plain, locate: (raw, n) => this.referenceLocation(node, raw, n, here) });
      return value;
    }
    this.written.push({ path, raw: value });
    const result = interpolate(value, this.ctx.sources, { secret: SensitiveValues.isSensitivePath(path, []) });
    if (result.errors.length) {
      for (const error of result.errors) this.issue(this.referenceLocation(node, error.raw, error.occurrence, here), path, error.message);
      this.unresolved.push(path);
      return value;
    }
    if (result.fromFile) {
      this.fromFile.push(path);
      return result.value; // file contents stay strings, whatever they look like
    }
    // A plain `${VAR}` stands for what YAML would have read in its place: `jwt_exp: ${JWT_EXP}` is a number.
    return result.single && node.type === 'PLAIN' && !node.tag ? retypePlain(result.value) : result.value;
  }

  /** The reference's own position when it is written verbatim in the source, else the value's. */
  private referenceLocation(node: Node, raw: string, occurrence: number, fallback: SourceLocation): SourceLocation {
    if (!node.range) return fallback;
    const text = this.ctx.source.slice(node.range[0], node.range[1]);
    let index = -1;
    for (let n = 0; n <= occurrence; n++) {
      index = text.indexOf(raw, index + 1);
      if (index < 0) return fallback;
    }
    return this.at(node.range[0] + index);
  }

  private issue(location: SourceLocation, path: ValuePath, message: string): void {
    this.issues.push({ location, path: formatPath(path), message });
  }

  capIssue(err: CapExceeded): void {
    this.issues.push({ location: err.location, path: '', message: err.message });
  }
}

/** Converts one document; `undefined` value for an empty document (no content, or only `null`). */
export function documentToTree(doc: Document.Parsed, ctx: TreeContext): DocumentTree {
  const builder = new TreeBuilder(doc, ctx);
  let value: unknown;
  try {
    value = builder.build(doc.contents as Node | null, [], 0, builder.positions.root);
  } catch (err) {
    if (!(err instanceof CapExceeded)) throw err;
    builder.capIssue(err);
    value = undefined;
  }
  return {
    value: value === null ? undefined : value,
    positions: builder.positions,
    fromFile: builder.fromFile,
    unresolved: builder.unresolved,
    deferred: builder.deferred,
    written: builder.written,
    issues: builder.issues,
  };
}
