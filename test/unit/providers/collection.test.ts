import { describe, expect, it } from 'vitest';
import type { ApiRequest } from '../../../src/api/types.js';
import { type CollectionRules, diffCollection, itemPath, sensitivity } from '../../../src/providers/collection.js';
import { section } from '../../helpers/desired.js';

/** A toy collection: desired items named by `name`, live ones with an id; `size` is the one setting. */
interface Want {
  name: string;
  size?: number;
}
interface Have {
  id: string;
  name: string;
  size: number | null;
}
type Field = 'name' | 'size';

const rules = (matches: Map<number, Have>): CollectionRules<Want, Have, Field> => ({
  key: 'items',
  matches,
  label: (d, sensitive, byPosition) => (sensitive('name') ? byPosition : d.name),
  update: (d, l, item) =>
    d.size === undefined || d.size === l.size
      ? { changes: [], requests: [] }
      : { changes: [item.updated('size', l.size, d.size, l.size !== null)], requests: [{ method: 'PATCH', path: `/items/${l.id}`, body: { size: d.size } }] },
  create: (d) => ({ after: { name: d.name }, request: { method: 'POST', path: '/items', body: d } }),
  liveLabel: (l) => l.name,
  remove: (l) => ({ before: { id: l.id }, request: { method: 'DELETE', path: `/items/${l.id}` } }),
  untouched: (l, label) => `live item ${l.id} (${label}) is not in the configuration; left untouched (set prune: true to delete it)`,
});

/** Matched by name, as a provider's own matching would. */
const run = (values: { prune?: boolean; items: Want[] }, live: Have[], fromFile: string[] = []) => {
  const matches = new Map<number, Have>();
  values.items.forEach((d, i) => {
    const match = live.find((l) => l.name === d.name);
    if (match) matches.set(i, match);
  });
  return diffCollection(section('things', values, { fromFile }), values.items, live, rules(matches));
};

const A: Have = { id: 'a1', name: 'alpha', size: 1 };
const B: Have = { id: 'b1', name: 'beta', size: null };
const C: Have = { id: 'c1', name: 'gamma', size: 3 };
const methods = (requests: ApiRequest[]) => requests.map((r) => `${r.method} ${r.path}`);

describe('collection diff', () => {
  it('gives changes in desired order (updates and creates interleaved), then the unmatched live items in live order', () => {
    const d = run({ prune: true, items: [{ name: 'new1' }, { name: 'beta', size: 2 }, { name: 'new2' }, { name: 'alpha', size: 5 }] }, [C, A, B, { id: 'x1', name: 'old', size: 0 }]);
    expect(d.changes.map((c) => [c.action, c.path])).toEqual([
      ['create', 'items[new1]'],
      ['update', 'items[beta].size'],
      ['create', 'items[new2]'],
      ['update', 'items[alpha].size'],
      ['delete', 'items[gamma]'],
      ['delete', 'items[old]'],
    ]);
    // The requests come back by kind, each in the order of its changes; the provider orders the kinds.
    expect(methods(d.creates)).toEqual(['POST /items', 'POST /items']);
    expect(d.creates.map((r) => (r.body as Want).name)).toEqual(['new1', 'new2']);
    expect(methods(d.updates)).toEqual(['PATCH /items/b1', 'PATCH /items/a1']);
    expect(methods(d.deletes)).toEqual(['DELETE /items/c1', 'DELETE /items/x1']);
    expect(d.notes).toEqual([]);
  });

  it('creates an unmatched item with one change and its request, and an unchanged match yields nothing', () => {
    const d = run({ items: [{ name: 'alpha', size: 1 }, { name: 'delta', size: 4 }] }, [A]);
    expect(d.changes).toEqual([{ path: 'items[delta]', item: 'delta', action: 'create', after: { name: 'delta' }, sensitive: false }]);
    expect(d.creates).toEqual([{ method: 'POST', path: '/items', body: { name: 'delta', size: 4 } }]);
    expect(d.updates).toEqual([]);
    expect(d.deletes).toEqual([]);
  });

  it('builds an update change from the provider values, with beforeSet only when sensitive', () => {
    expect(run({ items: [{ name: 'alpha', size: 2 }] }, [A]).changes).toEqual([
      { path: 'items[alpha].size', item: 'alpha', action: 'update', before: 1, after: 2, sensitive: false },
    ]);
    expect(run({ items: [{ name: 'beta', size: 2 }] }, [B], ['items/0/size']).changes).toEqual([
      { path: 'items[beta].size', item: 'beta', action: 'update', before: null, after: 2, sensitive: true, beforeSet: false },
    ]);
  });

  it('without prune, an unmatched live item is only noted; with prune it is deleted', () => {
    const kept = run({ items: [{ name: 'alpha' }] }, [A, B, C]);
    expect(kept.changes).toEqual([]);
    expect(kept.deletes).toEqual([]);
    expect(kept.notes).toEqual([
      'live item b1 (beta) is not in the configuration; left untouched (set prune: true to delete it)',
      'live item c1 (gamma) is not in the configuration; left untouched (set prune: true to delete it)',
    ]);
    // Only `prune: true` deletes: `false` or anything else is the same as leaving it out.
    expect(run({ prune: false, items: [] }, [B]).deletes).toEqual([]);
    expect(run({ prune: 'yes' as unknown as boolean, items: [] }, [B]).deletes).toEqual([]);
    const pruned = run({ prune: true, items: [{ name: 'alpha' }] }, [A, B]);
    expect(pruned.changes).toEqual([{ path: 'items[beta]', item: 'beta', action: 'delete', before: { id: 'b1' }, sensitive: false }]);
    expect(pruned.deletes).toEqual([{ method: 'DELETE', path: '/items/b1' }]);
    expect(pruned.notes).toEqual([]);
  });

  it('labels an item by position when its identity came from a file, and hides a created item holding any file value', () => {
    const d = run({ items: [{ name: 'plain' }, { name: 'from-file' }, { name: 'sized', size: 9 }] }, [], ['items/1/name', 'items/2/size']);
    expect(d.changes).toEqual([
      { path: 'items[plain]', item: 'plain', action: 'create', after: { name: 'plain' }, sensitive: false },
      { path: 'items[1]', item: 'items[1]', action: 'create', after: { name: 'from-file' }, sensitive: true, beforeSet: false },
      // Its name is not from a file, so it keeps it; a value below the item still hides the item.
      { path: 'items[sized]', item: 'sized', action: 'create', after: { name: 'sized' }, sensitive: true, beforeSet: false },
    ]);
    expect(JSON.stringify(d.changes.map((c) => [c.path, c.item]))).not.toContain('from-file');
    // A matched item labelled by position keeps the position in its field paths.
    expect(run({ items: [{ name: 'alpha', size: 7 }] }, [A], ['items/0/name']).changes[0]).toMatchObject({ path: 'items[0].size', item: 'items[0]', sensitive: false });
  });
});

describe('sensitivity and itemPath', () => {
  it('a field is sensitive when a file value is at or below it; the item when one is anywhere inside it', () => {
    const desired = section('things', {}, { fromFile: ['items/1/meta/deep', 'items/2/name'] });
    const first = sensitivity<string>(desired, 'items', 0);
    const second = sensitivity<string>(desired, 'items', 1);
    const third = sensitivity<string>(desired, 'items', 2);
    expect([first(), first('meta')]).toEqual([false, false]);
    expect([second(), second('meta'), second('name')]).toEqual([true, true, false]);
    expect([third(), third('name'), third('meta')]).toEqual([true, true, false]);
    // `items/1` must not count for `items/10`.
    expect(sensitivity<string>(desired, 'items', 10)()).toBe(false);
  });

  it('wraps a label in the key, except a label by position, which already is a path', () => {
    expect(itemPath('providers', 'acme.com')).toBe('providers[acme.com]');
    expect(itemPath('providers', 'acme.com', 'domains')).toBe('providers[acme.com].domains');
    expect(itemPath('providers', 'providers[2]', 'domains')).toBe('providers[2].domains');
    expect(itemPath('keys', 'secret:backend')).toBe('keys[secret:backend]');
  });
});
