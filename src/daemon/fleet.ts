/**
 * The projects this daemon reconciles — its shard of the last valid configuration — with the
 * digest of each one's effective desired state, so that a reload can say which projects it changed
 * (added ones included) and which left.
 */
import type { DesiredProject, DesiredState } from '../config/types.js';
import { desiredProjectDigest } from '../reconcile/desired-digest.js';
import { sectionKey } from './held-sections.js';
import { ownsProject, type Shard } from './shard.js';

export interface FleetChange {
  /** New projects, and projects whose desired state changed. */
  changed: string[];
  removed: Array<{ ref: string; sections: string[] }>;
}

interface Owned {
  project: DesiredProject;
  digest: string;
}

export class OwnedFleet {
  private owned = new Map<string, Owned>();
  /** Projects in the whole configuration, every shard's. */
  total = 0;

  constructor(private readonly shard?: Shard) {}

  update(state: DesiredState): FleetChange {
    const next = new Map<string, Owned>();
    const changed: string[] = [];
    for (const project of state.projects) {
      if (!ownsProject(this.shard, project.ref)) continue;
      const digest = desiredProjectDigest(project);
      next.set(project.ref, { project, digest });
      if (this.owned.get(project.ref)?.digest !== digest) changed.push(project.ref);
    }
    const removed = [...this.owned.entries()]
      .filter(([ref]) => !next.has(ref))
      .map(([ref, o]) => ({ ref, sections: [...o.project.sections.keys()] }));
    this.owned = next;
    this.total = state.projects.length;
    return { changed, removed };
  }

  get(ref: string): DesiredProject | undefined {
    return this.owned.get(ref)?.project;
  }

  refs(): string[] {
    return [...this.owned.keys()];
  }

  get size(): number {
    return this.owned.size;
  }

  /** What a sweep costs: one read per managed section. */
  get requests(): number {
    let n = 0;
    for (const o of this.owned.values()) n += o.project.sections.size;
    return n;
  }

  cost(ref: string): number {
    return this.owned.get(ref)?.project.sections.size ?? 1;
  }

  sectionKeys(): Set<string> {
    const keys = new Set<string>();
    for (const [ref, o] of this.owned) for (const name of o.project.sections.keys()) keys.add(sectionKey(ref, name));
    return keys;
  }
}
