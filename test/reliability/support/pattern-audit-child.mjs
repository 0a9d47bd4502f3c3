// Child process of test/reliability/pattern-audit.test.ts: validates hostile documents with the
// built validator (dist/, as the CLI runs it) and reports each one as a line of JSON when it is
// done, so that the parent can tell which case hangs and kill this process.
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const { validateDocument, usesStandaloneValidator } = await import(new URL('../../../dist/config/validate.js', import.meta.url).href);
const { PositionMap } = await import(new URL('../../../dist/config/locate.js', import.meta.url).href);

const REF = 'abcdefghijklmnopqrst';
const root = { file: 'audit.yaml', line: 1, col: 1 };

/** prefix + pump repeated + suffix, about `bytes` long. */
function hostile({ prefix, pump, suffix, bytes }) {
  const count = Math.max(1, Math.floor((bytes - prefix.length - suffix.length) / pump.length));
  return prefix + pump.repeat(count) + suffix;
}

/** The document with `value` at `path`; a last segment `{ key: true }` makes `value` a key of the mapping there. */
function documentWith(path, value) {
  const doc = { project: REF };
  let holder = doc;
  for (let i = 0; i < path.length - 1; i++) {
    const [segment, next] = [path[i], path[i + 1]];
    if (typeof next === 'object') {
      holder[segment] = { [value]: 'x' };
      return doc;
    }
    if (typeof holder[segment] !== 'object' || holder[segment] === null) holder[segment] = typeof next === 'number' ? [] : {};
    holder = holder[segment];
  }
  holder[path[path.length - 1]] = value;
  return doc;
}

process.stdout.write(`${JSON.stringify({ ready: true, standalone: usesStandaloneValidator() })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (!line) continue;
  const c = JSON.parse(line);
  const data = documentWith(c.path, hostile(c));
  const started = performance.now();
  const issues = validateDocument({ data, positions: new PositionMap(root), unresolved: [], isSensitive: () => false });
  const ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ id: c.id, ms, issues: issues.length })}\n`);
}
