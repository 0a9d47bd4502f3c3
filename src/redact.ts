/**
 * Redaction of known secret values from any text: the second line of defence behind messages that
 * are built without values. A value is found in the forms it is likely to surface in — as written,
 * trimmed, line by line, in any letter case, JSON-escaped, URL-encoded, hex, base64 (at any byte
 * alignment), and as the SHA-256 / HMAC-SHA256 digests the API answers for secrets.
 *
 * Matching is one Aho-Corasick automaton over case-folded patterns: time linear in the text
 * whatever the number of secrets (no regular expression is built from a value), and the longest
 * match ending at each position is all that is kept, so overlapping secrets cannot make the work
 * quadratic either. (The npm implementations report every match, which is quadratic in the
 * worst case, or only leftmost-longest ones, which can miss an overlapping secret.) Memory and
 * build time are bounded by a budget of pattern characters; past it the caller must refuse the
 * input (at the budget: ~0.3 s and ~40 MiB to build, measured on the 2-core development machine).
 */
import { createHash, createHmac } from 'node:crypto';
import { trimTrailing } from './trim.js';

export const REDACTED = '[redacted]';

/** What the engine and the API client need: text in, text without any known secret out. */
export interface SensitiveText {
  redact(text: string): string;
  /** Whether `text` holds any known secret (in any of its forms). */
  reveals(text: string): boolean;
}

/** Redacts nothing: for callers with no secrets (tests, `export`). */
export const NO_SECRETS: SensitiveText = { redact: (text) => text, reveals: () => false };

/** Values longer than this get no derived forms, only their lines as written and their digest: SAML metadata, certificates. */
const FORMS_MAX = 1024;
/** Long lines of long values are indexed in pieces: an excerpt of twice this length always contains one. */
const CHUNK = 256;
/** A base64 core shorter than this would match ordinary text. */
const SHORTEST_BASE64_CORE = 8;
/**
 * Pattern characters one redactor accepts (~50 bytes each while the automaton is built, ~30 after).
 * Realistic configurations need far less: a secret of 40 characters takes ~500 with its forms and
 * digests (a thousand of them fit), a 20 kB SAML metadata file ~20 k.
 */
export const PATTERN_BUDGET = 512 * 1024;

let foldTable: Uint16Array | undefined;

/**
 * Lower case, one UTF-16 unit for one (so positions in the folded text are positions in the
 * original); a unit whose lower case is longer stays as it is. Upper- and lower-cased copies of each
 * value are indexed too, for the letters whose case mapping changes length.
 */
function fold(text: string): Uint16Array {
  foldTable ??= buildFoldTable();
  const out = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = foldTable[text.charCodeAt(i)]!;
  return out;
}

function buildFoldTable(): Uint16Array {
  const table = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const lower = String.fromCharCode(c).toLowerCase();
    table[c] = lower.length === 1 ? lower.charCodeAt(0) : c;
  }
  return table;
}

/** The trimmed lines of a value, long lines in chunks. */
function linesOf(value: string, min: number): string[] {
  const out: string[] = [];
  for (const raw of value.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.length < min) continue;
    if (line.length <= FORMS_MAX) out.push(line);
    else for (let i = 0; i < line.length; i += CHUNK) out.push(line.slice(i, i + CHUNK));
  }
  return out;
}

/** base64 of `bytes` as found inside a longer base64 text: at each of the three byte alignments, the characters the bytes alone determine. */
function base64Cores(bytes: Buffer): string[] {
  const out: string[] = [];
  for (const alphabet of ['base64', 'base64url'] as const) {
    // Whole, with its padding and without.
    out.push(bytes.toString(alphabet), trimTrailing(bytes.toString(alphabet), '='));
    for (let skip = 0; skip < 3; skip++) {
      const padded = Buffer.concat([Buffer.alloc(skip), bytes]);
      const text = trimTrailing(padded.toString(alphabet), '=');
      const start = skip ? 4 : 0;
      // The last group also holds whatever byte follows, unless the bytes end on a group boundary.
      const end = padded.length % 3 === 0 ? text.length : text.length - 4;
      if (end - start >= SHORTEST_BASE64_CORE) out.push(text.slice(start, end));
    }
  }
  return out;
}

/** The forms one short fragment of a secret may take in a message. */
function formsOf(fragment: string): string[] {
  const bytes = Buffer.from(fragment, 'utf8');
  return [
    fragment,
    fragment.toUpperCase(),
    fragment.toLowerCase(),
    JSON.stringify(fragment).slice(1, -1),
    encodeURIComponent(fragment),
    encodeURIComponent(fragment).replace(/%20/g, '+'),
    encodeURI(fragment),
    bytes.toString('hex'),
    ...base64Cores(bytes),
  ];
}

export interface AddOptions {
  /** Shortest value (and line) redacted: shorter ones are mostly ordinary words. */
  minLength: number;
  /** Keys of the HMAC-SHA256 digests to redact too (the API answers auth secrets as HMAC(ref, value)). */
  hmacKeys?: readonly string[];
}

/** One automaton: node 0 is the root; edges in an open-addressing table keyed by (node, folded unit). */
class Automaton {
  /** Edge table: parent node (-1 = free slot), unit, child. */
  private readonly edgeFrom: Int32Array;
  private readonly edgeUnit: Uint16Array;
  private readonly edgeTo: Int32Array;
  private readonly mask: number;
  private readonly fail: Int32Array;
  /** Length of the longest pattern that ends at the node (its own, or one of its suffixes'), 0 for none. */
  private readonly longest: Int32Array;
  private size = 1;
  /** Edges followed by the last scan: a test proves the scan linear with it. */
  lastSteps = 0;

  /** The root's edges, direct: every failure chase ends there, so it is the most looked-up node. */
  private readonly rootEdges = new Int32Array(0x10000).fill(-1);

  constructor(patterns: Iterable<Uint16Array>, units: number) {
    units += 1;
    let capacity = 16;
    while (capacity < units * 2) capacity *= 2;
    this.edgeFrom = new Int32Array(capacity).fill(-1);
    this.edgeUnit = new Uint16Array(capacity);
    this.edgeTo = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.fail = new Int32Array(units);
    this.longest = new Int32Array(units);
    for (const pattern of patterns) {
      let node = 0;
      for (const unit of pattern) {
        const i = this.slot(node, unit);
        if (this.edgeFrom[i] === -1) {
          this.edgeFrom[i] = node;
          this.edgeUnit[i] = unit;
          this.edgeTo[i] = this.size++;
          if (node === 0) this.rootEdges[unit] = this.edgeTo[i]!;
        }
        node = this.edgeTo[i]!;
      }
      this.longest[node] = pattern.length;
    }
    this.linkFailures();
  }

  /** The slot of edge (node, unit), or the free slot where it would go: a mixed hash, linear probing. */
  private slot(node: number, unit: number): number {
    let h = Math.imul(node, 0x9e3779b1) ^ Math.imul(unit + 1, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    let i = (h ^ (h >>> 13)) & this.mask;
    while (this.edgeFrom[i] !== -1 && (this.edgeFrom[i] !== node || this.edgeUnit[i] !== unit)) i = (i + 1) & this.mask;
    return i;
  }

  private child(node: number, unit: number): number {
    if (node === 0) return this.rootEdges[unit]!;
    const i = this.slot(node, unit);
    return this.edgeFrom[i] === -1 ? -1 : this.edgeTo[i]!;
  }

  /** Breadth-first, so that a node's failure link is known before its children's. */
  private linkFailures(): void {
    // The edges grouped by parent (a counting sort over the hash table): compact, no object per node.
    const first = new Int32Array(this.size + 1);
    for (let i = 0; i <= this.mask; i++) if (this.edgeFrom[i] !== -1) first[this.edgeFrom[i]! + 1]!++;
    for (let n = 0; n < this.size; n++) first[n + 1]! += first[n]!;
    const fill = first.slice(0, this.size);
    const edgeUnit = new Uint16Array(this.size);
    const edgeTarget = new Int32Array(this.size);
    for (let i = 0; i <= this.mask; i++) {
      const from = this.edgeFrom[i]!;
      if (from === -1) continue;
      const at = fill[from]!++;
      edgeUnit[at] = this.edgeUnit[i]!;
      edgeTarget[at] = this.edgeTo[i]!;
    }
    const queue = new Int32Array(this.size);
    let head = 0;
    let tail = 1; // queue[0] = the root
    while (head < tail) {
      const node = queue[head++]!;
      for (let e = first[node]!; e < first[node + 1]!; e++) {
        const unit = edgeUnit[e]!;
        const next = edgeTarget[e]!;
        queue[tail++] = next;
        let target = -1;
        // A proper suffix of the node's string is shorter than it, so `target` is never `next` itself.
        for (let f = this.fail[node]!; node !== 0; f = this.fail[f]!) {
          target = this.child(f, unit);
          if (target >= 0 || f === 0) break;
        }
        this.fail[next] = target >= 0 ? target : 0;
        if (this.longest[next] === 0) this.longest[next] = this.longest[this.fail[next]!]!;
      }
    }
  }

  /** Calls `hit(end, length)` for the longest pattern ending at each position that ends one. Stops when it returns true. */
  scan(text: Uint16Array, hit: (end: number, length: number) => boolean | void): void {
    let node = 0;
    let steps = 0;
    for (let i = 0; i < text.length; i++) {
      const unit = text[i]!;
      let next = this.child(node, unit);
      while (next < 0 && node !== 0) {
        node = this.fail[node]!;
        steps++;
        next = this.child(node, unit);
      }
      node = next < 0 ? 0 : next;
      steps++;
      const length = this.longest[node]!;
      if (length > 0 && hit(i, length) === true) break;
    }
    this.lastSteps = steps;
  }
}

/**
 * A set of secret values and the automaton that finds them. Add everything first: the automaton is
 * built on the first redaction, and the redactor takes no value after that.
 */
export class Redactor implements SensitiveText {
  /** Folded patterns, by their folded text (so case variants are indexed once). */
  private readonly patterns = new Map<string, Uint16Array>();
  private units = 0;
  private count = 0;
  private automaton: Automaton | undefined;
  private over = false;
  private sealed = false;

  /** Whether the values added exceed PATTERN_BUDGET; such a redactor must not be trusted. */
  get tooLarge(): boolean {
    return this.over;
  }

  /** Registers a secret value and the forms it may take. */
  add(value: string, opts: AddOptions): void {
    if (value.length < opts.minLength || this.over) return;
    if (this.sealed) throw new Error('Redactor: add() after the first redaction');
    if (value.length > FORMS_MAX) {
      // A long value (metadata, a certificate) is found by its lines, in any case, not encoded.
      for (const line of linesOf(value, opts.minLength)) this.pattern(line);
    } else {
      for (const fragment of new Set([value, value.trim(), ...linesOf(value, opts.minLength)])) {
        if (fragment.length >= opts.minLength) for (const form of formsOf(fragment)) this.pattern(form);
      }
    }
    for (const whole of new Set([value, value.trim()])) {
      this.pattern(createHash('sha256').update(whole).digest('hex'));
      for (const key of opts.hmacKeys ?? []) this.pattern(createHmac('sha256', key).update(whole).digest('hex'));
    }
  }

  private pattern(text: string): void {
    if (this.over || !text) return;
    const folded = fold(text);
    const key = Buffer.from(folded.buffer, folded.byteOffset, folded.byteLength).toString('utf16le');
    if (this.patterns.has(key)) return;
    this.units += text.length;
    if (this.units > PATTERN_BUDGET) {
      this.over = true;
      return;
    }
    this.patterns.set(key, folded);
  }

  /** How many distinct pattern strings are indexed. */
  get size(): number {
    return this.automaton ? this.count : this.patterns.size;
  }

  /**
   * The automaton, built on first use from the patterns, which are then dropped (their memory is
   * the automaton's now): a redactor takes all its values first, and adds none after.
   */
  private built(): Automaton | undefined {
    if (!this.automaton && this.patterns.size) {
      this.automaton = new Automaton(this.patterns.values(), this.units);
      this.count = this.patterns.size;
      this.patterns.clear();
    }
    this.sealed = true;
    return this.automaton;
  }

  /** Edges the last scan followed (for the linearity test). */
  get lastScanSteps(): number {
    return this.automaton?.lastSteps ?? 0;
  }

  reveals(text: string): boolean {
    const automaton = this.built();
    if (!automaton || !text) return false;
    let found = false;
    automaton.scan(fold(text), () => (found = true));
    return found;
  }

  redact(text: string): string {
    const automaton = this.built();
    if (!automaton || !text) return text;
    // Merged [start, end] spans of every match, in order of their end.
    const starts: number[] = [];
    const ends: number[] = [];
    automaton.scan(fold(text), (end, length) => {
      let start = end - length + 1;
      while (ends.length && ends[ends.length - 1]! >= start - 1) {
        start = Math.min(start, starts.pop()!);
        ends.pop();
      }
      starts.push(start);
      ends.push(end);
    });
    if (!starts.length) return text;
    let out = '';
    let at = 0;
    for (let i = 0; i < starts.length; i++) {
      out += text.slice(at, starts[i]) + REDACTED;
      at = ends[i]! + 1;
    }
    return out + text.slice(at);
  }
}
