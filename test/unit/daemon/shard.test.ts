import { describe, expect, it } from 'vitest';
import { formatShard, ownsProject, parseShard, shardOf, ShardSyntaxError } from '../../../src/daemon/shard.js';

const refs = Array.from({ length: 3_000 }, (_, i) => {
  let s = '';
  for (let k = 0, x = i; k < 20; k++, x = Math.floor(x / 26)) s = String.fromCharCode(97 + ((x + k * 7) % 26)) + s;
  return s;
});

describe('parseShard', () => {
  it('reads N/M', () => {
    expect(parseShard('0/3', 'whatever')).toEqual({ index: 0, count: 3 });
    expect(parseShard(' 2/3 ', 'whatever')).toEqual({ index: 2, count: 3 });
    expect(formatShard({ index: 1, count: 3 })).toBe('1/3');
  });

  it('takes N from the trailing ordinal of a StatefulSet pod name', () => {
    expect(parseShard('hostname/3', 'supasync-2')).toEqual({ index: 2, count: 3 });
    expect(parseShard('hostname/12', 'my-sync-app-10')).toEqual({ index: 10, count: 12 });
  });

  it('refuses what is not a shard of its count, saying why', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['3/3', 'x', /shard 3 does not exist with 3 shard\(s\) \(0 to 2\)/],
      ['1/0', 'x', /M must be 1 to 1000/],
      ['one/3', 'x', /is not N\/M or hostname\/M/],
      ['-1/3', 'x', /is not N\/M or hostname\/M/],
      ['hostname/3', 'laptop', /"laptop" does not end in -<ordinal>/],
      ['hostname/3', 'supasync-5', /shard 5 does not exist with 3/],
    ];
    for (const [value, host, message] of cases) {
      expect(() => parseShard(value, host), value).toThrow(ShardSyntaxError);
      expect(() => parseShard(value, host), value).toThrow(message);
    }
  });
});

describe('shardOf (rendezvous hashing of the ref)', () => {
  it('gives every project exactly one shard, the same on every call', () => {
    for (const ref of refs.slice(0, 200)) {
      const owners = [0, 1, 2].filter((i) => ownsProject({ index: i, count: 3 }, ref));
      expect(owners).toEqual([shardOf(ref, 3)]);
    }
    expect(ownsProject(undefined, refs[0]!)).toBe(true);
    expect(ownsProject({ index: 0, count: 1 }, refs[0]!)).toBe(true);
  });

  it('spreads projects evenly', () => {
    const counts = [0, 0, 0];
    for (const ref of refs) counts[shardOf(ref, 3)]!++;
    for (const c of counts) expect(Math.abs(c - 1_000)).toBeLessThan(120);
  });

  it('moves only the projects the new shard wins when a shard is added', () => {
    let moved = 0;
    for (const ref of refs) {
      const before = shardOf(ref, 3);
      const after = shardOf(ref, 4);
      if (after !== before) {
        moved++;
        expect(after).toBe(3); // a project only ever moves to the new shard
      }
    }
    expect(moved / refs.length).toBeGreaterThan(0.18);
    expect(moved / refs.length).toBeLessThan(0.32); // about 1/4
  });
});
