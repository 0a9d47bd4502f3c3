/**
 * Answers recorded from the real API, kept as JSON in this folder (SOURCE.md says where each comes
 * from and what, if anything, was changed; test/unit/recorded.test.ts holds each to its recording).
 * Read with the file system rather than imported: JSON modules warn as experimental on early Node 20.
 * `npm run build` copies the JSON files next to the built modules.
 */
import { readFileSync } from 'node:fs';

export type RecordedBody = Readonly<Record<string, unknown>>;

/** The JSON object in `src/recorded/<name>` (dist/recorded/ once built), read once at import of its module. */
export function readRecorded(name: string): RecordedBody {
  return JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')) as RecordedBody;
}
