/**
 * Documents → YAML text. References are written `${NAME}` — unquoted where the field takes a
 * number or boolean (so the value keeps its type), double-quoted elsewhere; included files are
 * `${include:PATH}`; a literal `${` in a written value is escaped as `$${` so that supasync never
 * reads it as a reference. Each key carries a comment naming the config.toml key it comes from.
 */
import { Document, isMap, isScalar, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import type { OutDocument } from './layout.js';
import { Included, Reference } from './model.js';

// A function, not a replacement string: in one, `$$` would mean a single `$`.
const escapeLiteral = (text: string): string => text.replaceAll('${', () => '$${');

function toNode(value: unknown, includePath: (file: string) => string): Node {
  if (value instanceof Reference) {
    const node = new Scalar(`\${${value.name}}`);
    node.type = value.typed ? Scalar.PLAIN : Scalar.QUOTE_DOUBLE;
    return node;
  }
  if (value instanceof Included) {
    const node = new Scalar(`\${include:${includePath(value.file)}}`);
    node.type = Scalar.QUOTE_DOUBLE;
    return node;
  }
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const item of value) seq.items.push(toNode(item, includePath));
    return seq;
  }
  if (value && typeof value === 'object') {
    const map = new YAMLMap();
    for (const [key, v] of Object.entries(value)) map.items.push(new Pair(new Scalar(key), toNode(v, includePath)));
    return map;
  }
  return new Scalar(typeof value === 'string' ? escapeLiteral(value) : value);
}

export interface RenderOptions {
  /** The config.toml as the user named it, for the header. */
  source: string;
  /** An included file's path as the document references it. */
  includePath: (file: string) => string;
}

export function renderDocument(doc: OutDocument, opts: RenderOptions): string {
  const root = new YAMLMap();
  const add = (key: string, value: unknown) => root.items.push(new Pair(new Scalar(key), toNode(value, opts.includePath)));
  if (doc.kind === 'template') add('template', doc.id);
  else add('project', doc.id);
  if (doc.extends) {
    const list = toNode(doc.extends, opts.includePath) as YAMLSeq;
    list.flow = true;
    root.items.push(new Pair(new Scalar('extends'), list));
  }
  if (doc.unmanage) add('unmanage', doc.unmanage);
  for (const [name, values] of Object.entries(doc.sections)) {
    const section = toNode(values, opts.includePath);
    if (isMap(section)) {
      for (const pair of section.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        const from = doc.provenance.get(`${name}.${key}`);
        if (!from) continue;
        // A comment on a scalar value stays on its line; on a list or mapping it goes on the key.
        if (isScalar(pair.value)) pair.value.comment = ` ${from}`;
        else if (isScalar(pair.key)) pair.key.commentBefore = ` ${from}`;
      }
    }
    root.items.push(new Pair(new Scalar(name), section));
  }
  const document = new Document();
  document.contents = root;
  document.commentBefore =
    ` Imported by supasync from ${opts.source} (the Supabase CLI's config.toml).\n` +
    ' Each key names the config.toml key it comes from; ${VAR} references are read from the environment.';
  return document.toString({ lineWidth: 0 });
}
