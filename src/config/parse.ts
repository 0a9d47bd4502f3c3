/**
 * YAML text → documents (yaml's AST, with a LineCounter for positions). Syntax errors, duplicate
 * keys and nesting beyond the depth cap become located issues. The depth is checked on the
 * parser's token tree before composing, because composing a deeply nested input exhausts memory.
 */
import { Composer, LineCounter, Parser, type CST, type Document, type YAMLError } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import { LIMITS } from './limits.js';
import { locationAt } from './locate.js';

export interface ParsedYaml {
  documents: Document.Parsed[];
  lineCounter: LineCounter;
  issues: ConfigIssue[];
}

/** Offset of the first collection nested deeper than the cap, found without recursion. */
export function firstTooDeep(tokens: readonly CST.Token[], maxDepth: number): number | undefined {
  const stack: Array<[CST.Token, number]> = tokens.map((t) => [t, 0]);
  while (stack.length) {
    const [token, depth] = stack.pop()!;
    if (token.type === 'document') {
      if (token.value) stack.push([token.value, depth]);
      continue;
    }
    if (!('items' in token)) continue;
    if (depth + 1 > maxDepth) return token.offset;
    for (const item of token.items) {
      if ('key' in item && item.key) stack.push([item.key, depth + 1]);
      if ('value' in item && item.value) stack.push([item.value, depth + 1]);
    }
  }
  return undefined;
}

/**
 * yaml's message, without the source excerpts some messages quote (the line may hold a secret)
 * and without a position (locations are printed our way).
 */
function cleanMessage(err: YAMLError, text: string): string {
  if (err.code === 'DUPLICATE_KEY') {
    const key = /^([\w.-]{1,100})[ \t]*:/.exec(text.slice(err.pos[0], err.pos[0] + 120))?.[1];
    const named = key ? ` "${key}"` : '';
    return `duplicate key${named}: a key may appear only once in a mapping`;
  }
  return (err.message.split('\n')[0] ?? '')
    .replace(/ at line \d+, column \d+:?$/, '')
    .replace(/: ".*"$/, '')
    .replace(/(includes extra characters):.*$/, '$1');
}

/**
 * Every duplicate key, but only the first other error of a document: after a syntax error yaml's
 * further messages are mostly consequences of it.
 */
function reportable(errors: readonly YAMLError[]): YAMLError[] {
  const firstOther = errors.find((e) => e.code !== 'DUPLICATE_KEY');
  return errors.filter((e) => e.code === 'DUPLICATE_KEY' || e === firstOther);
}

export function parseYaml(file: string, text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
  const tooDeep = firstTooDeep(tokens, LIMITS.depth);
  if (tooDeep !== undefined) {
    return {
      documents: [],
      lineCounter,
      issues: [
        {
          location: locationAt(file, lineCounter, tooDeep),
          path: '',
          message: `nesting is too deep (more than ${LIMITS.depth} levels)`,
        },
      ],
    };
  }
  const composer = new Composer({ prettyErrors: false, uniqueKeys: true, strict: true });
  const documents = Array.from(composer.compose(tokens, false, text.length));
  const stream = composer.streamInfo();
  const problems = documents.length
    ? documents.flatMap((d) => reportable([...d.errors, ...d.warnings]))
    : reportable([...stream.errors, ...stream.warnings]);
  const issues = problems.map((err) => ({
    location: locationAt(file, lineCounter, err.pos[0]),
    path: '',
    message: `YAML: ${cleanMessage(err, text)}`,
  }));
  return { documents, lineCounter, issues };
}
