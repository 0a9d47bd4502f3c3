/**
 * YAML text → documents (yaml's AST, with a LineCounter for positions), read as YAML 1.2 with the
 * core schema and nothing else. Syntax errors, duplicate keys, unsupported directives and tags,
 * and documents beyond the depth and value caps become located issues.
 *
 * The caps are checked on the parser's token tree before composing: composing a deeply nested input
 * exhausts memory, and one with 100k+ keys takes time for nothing. Duplicate keys are found here
 * with one Set per mapping, because yaml's own check (`uniqueKeys`) compares every key with every
 * earlier one: a 1 MiB file of 116k keys took 147 s.
 */
import { Composer, isMap, isScalar, isSeq, Lexer, LineCounter, Parser, type CST, type Document, type Node, type YAMLError } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import { LIMITS } from './limits.js';
import { locationAt } from './locate.js';
import { runAtOnce, runSliced, type Pause } from './slicer.js';

export interface ParsedYaml {
  documents: Document.Parsed[];
  lineCounter: LineCounter;
  issues: ConfigIssue[];
}

interface Problem {
  offset: number;
  message: string;
}

/**
 * The first collection nested deeper than `maxDepth`, or the first value past `maxValues` in a
 * document (the root and every item of a mapping or list count as one, as in the tree builder,
 * before aliases are expanded), in text order and without recursion.
 */
export function firstOverCap(tokens: readonly CST.Token[], maxDepth: number, maxValues: number): Problem | undefined {
  for (const doc of tokens) {
    if (doc.type !== 'document' || !doc.value) continue;
    let values = 1;
    const stack: Array<[CST.Token, number]> = [[doc.value, 0]];
    while (stack.length) {
      const [token, depth] = stack.pop()!;
      if (!('items' in token)) continue;
      if (depth + 1 > maxDepth) return { offset: token.offset, message: `nesting is too deep (more than ${maxDepth} levels)` };
      values += token.items.length;
      if (values > maxValues) {
        const item = token.items[token.items.length - (values - maxValues)]!;
        const at = item.key ?? item.value ?? item.start[0];
        return { offset: at && 'offset' in at ? at.offset : token.offset, message: `document has more than ${maxValues} values` };
      }
      // Pushed last to first, so that items are visited in text order.
      for (let i = token.items.length - 1; i >= 0; i--) {
        const item = token.items[i]!;
        if ('value' in item && item.value) stack.push([item.value, depth + 1]);
        if ('key' in item && item.key) stack.push([item.key, depth + 1]);
      }
    }
  }
  return undefined;
}

/** `%YAML` directives other than 1.2: YAML 1.1 would read `yes` as true and `1:00:01` as 3601. */
function unsupportedVersions(tokens: readonly CST.Token[]): Problem[] {
  const problems: Problem[] = [];
  for (const token of tokens) {
    if (token.type !== 'directive') continue;
    const version = /^%YAML[ \t]+(\S{1,20})/.exec(token.source)?.[1];
    if (version !== undefined && version !== '1.2') {
      problems.push({ offset: token.offset, message: `%YAML ${version} is not supported: supasync reads YAML 1.2 (remove the directive)` });
    }
  }
  return problems;
}

const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'seq', 'map'].map((t) => `tag:yaml.org,2002:${t}`));
const CORE_TAG_LIST = '!!str, !!int, !!float, !!bool, !!null, !!seq, !!map';
const YAML_TAG_PREFIX = 'tag:yaml.org,2002:';

/** A resolved tag as people write it: `!!binary`, `!foo`, or `!<uri>` for anything else. */
function tagAsWritten(tag: string): string {
  if (tag.startsWith(YAML_TAG_PREFIX)) return `!!${tag.slice(YAML_TAG_PREFIX.length)}`;
  return tag.startsWith('!') ? tag : `!<${tag}>`;
}

/**
 * yaml's message, without the source excerpts some messages quote (the line may hold a secret)
 * and without a position (locations are printed our way).
 */
function cleanMessage(err: YAMLError): string {
  const first = err.message.split('\n')[0] ?? '';
  if (err.code === 'NON_STRING_KEY') return 'mapping keys must be plain strings';
  const unresolved = /^Unresolved tag: (\S{1,200})$/.exec(first)?.[1];
  if (err.code === 'TAG_RESOLVE_FAILED' && unresolved !== undefined) {
    return CORE_TAGS.has(unresolved)
      ? `the value does not fit its tag ${tagAsWritten(unresolved)}`
      : `unsupported tag ${tagAsWritten(unresolved)} (YAML 1.2 core tags only: ${CORE_TAG_LIST})`;
  }
  return withoutExcerpts(first);
}

/**
 * Drops a trailing ` at line N, column M:`, a trailing `: "excerpt"` and what follows `includes
 * extra characters`. Found with indexOf and anchored patterns: a message may quote a 1 MiB tag or
 * key, and unanchored `/ at line \d+.../` or `/: ".*"$/` would backtrack quadratically on it.
 */
function withoutExcerpts(message: string): string {
  let text = message;
  const at = text.lastIndexOf(' at line ');
  if (at >= 0 && /^ at line \d+, column \d+:?$/.test(text.slice(at))) text = text.slice(0, at);
  const quote = text.indexOf(': "');
  if (quote >= 0 && text.endsWith('"') && text.length - quote >= 4) text = text.slice(0, quote);
  const extra = text.indexOf('includes extra characters');
  if (extra >= 0) text = text.slice(0, extra + 'includes extra characters'.length);
  return text;
}

/** Only the first error of a document: after a syntax error yaml's further messages are mostly consequences of it. */
function firstOf(errors: readonly YAMLError[]): YAMLError[] {
  return errors.length ? [errors[0]!] : [];
}

/** A key quoted in a message only when it is short and plain (a key could be anything, even a secret). */
const NAMEABLE_KEY = /^[\w.-]{1,100}$/;

/**
 * Duplicate keys and empty keys of every mapping of a document, one Set per mapping (linear).
 * With `stringKeys` every key is a string as written, so `true` and `"true"` are the same key and
 * `TRUE` another. Each mapping is visited once: aliases are not followed.
 */
function* keyProblems(doc: Document.Parsed, problems: Problem[]): Generator<void> {
  const stack: unknown[] = [doc.contents];
  for (let visited = 1; stack.length; visited++) {
    if (visited % STEP === 0) yield;
    const node = stack.pop();
    if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    } else if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        stack.push(pair.value, key);
        if (!isScalar(key) || typeof key.value !== 'string') continue; // yaml reports it (NON_STRING_KEY)
        const offset = key.range?.[0] ?? 0;
        if (key.type === 'PLAIN' && key.source === '' && !key.tag) {
          problems.push({ offset, message: 'mapping keys must be plain strings (this key is empty)' });
        } else if (seen.has(key.value)) {
          const named = NAMEABLE_KEY.test(key.value) ? ` "${key.value}"` : '';
          problems.push({ offset, message: `duplicate key${named}: a key may appear only once in a mapping` });
        } else seen.add(key.value);
      }
    }
  }
}

/** Lexemes, documents or nodes handled between two chances to pause. */
const STEP = 4096;

/** The loader's steps, with a `yield` wherever it may pause (see slicer.ts). */
function* parseSteps(file: string, text: string): Generator<void, ParsedYaml> {
  const lineCounter = new LineCounter();
  const located = (problems: readonly Problem[], prefix = ''): ConfigIssue[] =>
    problems.map((p) => ({ location: locationAt(file, lineCounter, p.offset), path: '', message: `${prefix}${p.message}` }));
  // Parser.parse(text), one lexeme at a time, so that a 1 MiB file can be paused within.
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  const tokens: CST.Token[] = [];
  let lexemes = 0;
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (++lexemes % STEP === 0) yield;
  }
  for (const token of parser.end()) tokens.push(token);
  yield;
  const overCap = firstOverCap(tokens, LIMITS.depth, LIMITS.values);
  if (overCap) return { documents: [], lineCounter, issues: located([overCap]) };
  const versions = unsupportedVersions(tokens);
  if (versions.length) return { documents: [], lineCounter, issues: located(versions, 'YAML: ') };
  yield;
  // YAML 1.2, core schema; keys as strings as written; no YAML 1.1 types (!!binary, !!set, ...)
  // behind an explicit tag; duplicates found by keyProblems.
  const composer = new Composer({
    prettyErrors: false,
    strict: true,
    uniqueKeys: false,
    stringKeys: true,
    resolveKnownTags: false,
    version: '1.2',
  });
  const documents: Document.Parsed[] = [];
  for (const doc of composer.compose(tokens, false, text.length)) {
    documents.push(doc);
    yield;
  }
  const stream = composer.streamInfo();
  const problems: Problem[] = [];
  for (const d of documents) {
    problems.push(...firstOf([...d.errors, ...d.warnings]).map((e) => ({ offset: e.pos[0], message: cleanMessage(e) })));
    yield* keyProblems(d, problems);
  }
  if (!documents.length) problems.push(...firstOf([...stream.errors, ...stream.warnings]).map((e) => ({ offset: e.pos[0], message: cleanMessage(e) })));
  problems.sort((a, b) => a.offset - b.offset);
  return { documents, lineCounter, issues: located(problems, 'YAML: ') };
}

export function parseYaml(file: string, text: string): ParsedYaml {
  return runAtOnce(parseSteps(file, text));
}

/** parseYaml, giving the event loop a turn whenever `pause` decides (the daemon's reloads). */
export function parseYamlSliced(file: string, text: string, pause: Pause): Promise<ParsedYaml> {
  return runSliced(parseSteps(file, text), pause);
}
