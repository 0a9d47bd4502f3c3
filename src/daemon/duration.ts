/**
 * Durations on the command line (`--jitter 10s`, `--shutdown-timeout 25s`): one or more
 * `<number><unit>` parts, units `ms`, `s`, `m`, `h`, e.g. `500ms`, `1.5s`, `2m`, `1m30s`. A bare `0`
 * is accepted; any other bare number is refused, because `30` could mean seconds or milliseconds.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

export class DurationSyntaxError extends Error {}

/** Milliseconds (rounded to a whole number) for a duration string; throws DurationSyntaxError. */
export function parseDuration(text: string): number {
  const input = text.trim();
  if (input === '0') return 0;
  if (!input) throw new DurationSyntaxError('empty duration (expected e.g. 500ms, 10s, 2m)');
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < input.length) {
    const at = PART.lastIndex;
    const match = PART.exec(input);
    if (!match) {
      throw new DurationSyntaxError(
        `"${text}" is not a duration at "${input.slice(at)}" (expected e.g. 500ms, 10s, 2m, 1m30s)`,
      );
    }
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
  }
  if (!Number.isFinite(total) || total > Number.MAX_SAFE_INTEGER) throw new DurationSyntaxError(`"${text}" is too long`);
  return Math.round(total);
}

/** `1500` → `1.5s`: for log lines and messages. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${ms}ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(3))}s`;
  return `${Number((ms / 60_000).toFixed(3))}m`;
}

/** `1388889` → `23m9s`, `3723000` → `1h2m3s`: a long duration to the second, for log lines. */
export function formatLongDuration(ms: number): string {
  if (ms < 60_000) return formatDuration(ms);
  let s = Math.round(ms / 1_000);
  const h = Math.floor(s / 3_600);
  s -= h * 3_600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}
