/**
 * `--shard N/M` and `--shard hostname/M`: which projects this daemon reconciles when M daemons share
 * one configuration (a StatefulSet of M replicas). A project belongs to the shard with the highest
 * rendezvous (highest-random-weight) score of its ref: every replica decides alone, with nothing to
 * coordinate, and changing M moves only the projects the new or removed shard wins or loses.
 * `hostname/M` takes N from the host name's trailing ordinal, as a StatefulSet names its pods
 * (`supasync-0`, `supasync-1`, …).
 */
import { createHash } from 'node:crypto';

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

export class ShardSyntaxError extends Error {}

const MAX_SHARDS = 1_000;

/** `N/M` or `hostname/M`; `hostname` is the host name to take N from in the second form. */
export function parseShard(value: string, hostname: string): Shard {
  const m = /^(\d{1,4}|hostname)\/(\d{1,4})$/.exec(value.trim());
  if (!m) throw new ShardSyntaxError(`"${value}" is not N/M or hostname/M (e.g. 0/3, or hostname/3 in a StatefulSet)`);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw new ShardSyntaxError(`"${value}": M must be 1 to ${MAX_SHARDS}`);
  let index: number;
  if (m[1] === 'hostname') {
    const ordinal = /-(\d{1,6})$/.exec(hostname);
    if (!ordinal) {
      throw new ShardSyntaxError(`"${value}": the host name "${hostname.slice(0, 64)}" does not end in -<ordinal> (a StatefulSet pod is named <name>-0, <name>-1, …)`);
    }
    index = Number(ordinal[1]);
  } else {
    index = Number(m[1]);
  }
  if (index >= count) throw new ShardSyntaxError(`"${value}": shard ${index} does not exist with ${count} shard(s) (0 to ${count - 1})`);
  return { index, count };
}

export const formatShard = (shard: Shard): string => `${shard.index}/${shard.count}`;

/** The rendezvous score of `ref` for shard `index`: the first 48 bits of SHA-256(index, ref). */
function score(ref: string, index: number): number {
  return createHash('sha256').update(`${index}\0${ref}`).digest().readUIntBE(0, 6);
}

/** The shard (0-based) a project ref belongs to among `count`. */
export function shardOf(ref: string, count: number): number {
  let best = 0;
  let bestScore = -1;
  for (let i = 0; i < count; i++) {
    const s = score(ref, i);
    if (s > bestScore) {
      best = i;
      bestScore = s;
    }
  }
  return best;
}

export function ownsProject(shard: Shard | undefined, ref: string): boolean {
  return !shard || shard.count === 1 || shardOf(ref, shard.count) === shard.index;
}
