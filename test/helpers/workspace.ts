/** Temporary configuration directories for end-to-end tests. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Workspace {
  dir: string;
  /** Writes (or overwrites) files relative to the workspace. */
  write(files: Record<string, string>): void;
  path(rel: string): string;
  remove(): void;
}

export function workspace(files: Record<string, string> = {}): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'supasync-test-'));
  const ws: Workspace = {
    dir,
    write(more) {
      for (const [rel, text] of Object.entries(more)) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), text);
      }
    },
    path: (rel) => join(dir, rel),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  ws.write(files);
  return ws;
}
