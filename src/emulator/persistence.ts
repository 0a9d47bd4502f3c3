/**
 * `--state FILE`: the state as JSON, rewritten after every change. Writes are atomic (a temporary
 * file renamed over the old one) and coalesced: changes made while a write runs are written by the
 * next one, and `save()` resolves once a write that includes the caller's change has finished.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export class StatePersister {
  private dirty = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => unknown,
  ) {}

  save(): Promise<void> {
    this.dirty = true;
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      await writeFileAtomic(this.path, `${JSON.stringify(this.snapshot())}\n`);
    }
  }
}
