/**
 * docs/reliability.md is written by the reliability suite, never by hand: each test file replaces
 * its own section (between `<!-- reliability:ID -->` markers) with what it measured — only when
 * asked (SUPASYNC_WRITE_REPORT=1: `npm run report`, `npm run report:soak`), so that `npm test`
 * leaves the working tree clean. Test files may run in parallel workers, so a directory lock
 * serialises the read-modify-write.
 *
 * Figures are kept deterministic where they can be (counts, outcomes); measured ones (durations,
 * memory) are rounded, and each section carries the date it was measured, so a re-run changes
 * only what actually changed.
 */
import { mkdirSync, readFileSync, rmdirSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const REPORT_PATH = fileURLToPath(new URL('../../../docs/reliability.md', import.meta.url));

/** Sections in document order: id → heading. */
export const SECTIONS = [
  ['threat-model', 'Threat model'],
  ['fault-matrix', 'Fault matrix'],
  ['invariants', 'Invariants (property-based)'],
  ['hostile-config', 'Hostile configuration'],
  ['secret-hygiene', 'Secret hygiene'],
  ['soak-quick', 'Soak — quick run (`npm test`)'],
  ['soak-long', 'Soak — long run (`npm run test:soak`)'],
  ['two-daemons', 'Two daemons on one configuration'],
] as const;
export type SectionId = (typeof SECTIONS)[number][0];

const HEADER = `# Reliability

This file is written by the reliability suite (\`test/reliability/\`, \`test/soak/\`); do not edit it by
hand. Each section is replaced by the test that measures it, when asked: \`npm run report\` runs the
quick versions (the ones \`npm test\` runs, which write nothing) and rewrites every section but the
long soak. \`npm run report:soak\` runs the daemon soak for 1,000 cycles and rewrites that section; it
also runs the invariants (400 cases each, a fresh seed), five times as many hostile inputs and two
daemons for 30 quiet cycles, with the same assertions, without recording their figures. Counts and
outcomes of seeded runs are deterministic; durations, memory figures and the races between two
daemons are measured and change a little from run to run, as does the date line of each section.
`;

const begin = (id: string) => `<!-- reliability:${id} -->`;
const end = (id: string) => `<!-- /reliability:${id} -->`;

function skeleton(): string {
  const parts = [HEADER];
  for (const [id, title] of SECTIONS) parts.push(`## ${title}\n\n${begin(id)}\n_Not measured yet._\n${end(id)}\n`);
  return parts.join('\n');
}

/** `Measured YYYY-MM-DD on N CPUs, Node vX.` */
export function measuredLine(): string {
  const date = new Date().toISOString().slice(0, 10);
  return `_Measured ${date} on ${availableParallelism()} CPUs, Node ${process.version}._`;
}

async function withLock<T>(path: string, fn: () => T): Promise<T> {
  const LOCK = `${path}.lock`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock older than 60 s belongs to a run that died; take it over.
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 60_000) rmdirSync(LOCK);
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) throw new Error(`could not lock ${LOCK}`);
      await sleep(20);
    }
  }
  try {
    return fn();
  } finally {
    rmdirSync(LOCK);
  }
}

function bodyOf(text: string, id: string): string | undefined {
  const start = text.indexOf(begin(id));
  const stop = text.indexOf(end(id));
  return start < 0 || stop < start ? undefined : text.slice(start + begin(id).length, stop);
}

function withBody(text: string, id: string, body: string): string {
  const start = text.indexOf(begin(id)) + begin(id).length;
  return `${text.slice(0, start)}${body}${text.slice(text.indexOf(end(id)))}`;
}

/** The file as it is, or rebuilt from the skeleton (keeping every section body found) when a marker is missing. */
function current(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return skeleton();
  }
  if (SECTIONS.every(([id]) => bodyOf(text, id) !== undefined)) return text;
  let rebuilt = skeleton();
  for (const [id] of SECTIONS) {
    const body = bodyOf(text, id);
    if (body !== undefined) rebuilt = withBody(rebuilt, id, body);
  }
  return rebuilt;
}

/** `npm run test:soak` runs the long versions; only the long soak's section records them. */
const SOAK_RUN = process.env.SUPASYNC_SOAK === '1';
/** Set by `npm run report` / `report:soak`: tests write the report only then. */
export const WRITE_REPORT = process.env.SUPASYNC_WRITE_REPORT === '1';

export interface ReportTarget {
  path: string;
  /** Whether this run writes the report at all. */
  write: boolean;
  /** A `test:soak` run: only the long soak's section is written. */
  soak: boolean;
}

const THIS_RUN: ReportTarget = { path: REPORT_PATH, write: WRITE_REPORT, soak: SOAK_RUN };

/**
 * Replaces one section's body in docs/reliability.md (creating the file when missing), when the
 * run was asked to write the report; otherwise the tracked file is left alone.
 */
export async function writeReportSection(id: SectionId, body: string, target: ReportTarget = THIS_RUN): Promise<void> {
  if (!target.write || target.soak !== (id === 'soak-long')) return;
  await withLock(target.path, () => {
    const next = withBody(current(target.path), id, `\n${body.trim()}\n`);
    const tmp = `${target.path}.${process.pid}.tmp`;
    writeFileSync(tmp, next);
    renameSync(tmp, target.path);
  });
}

/** A Markdown table. */
export function table(head: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const line = (cells: ReadonlyArray<string | number>) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
