/**
 * Hostile configuration: over a thousand generated malformed or hostile inputs (support/
 * hostile-inputs.ts) — syntax garbage, deep nesting, huge strings, alias bombs, wrong types,
 * Unicode tricks, `${file:...}` reads outside the secrets directory, invalid CIDRs, plain-http
 * metadata, symlinks out of the directory and FIFOs, `${toString}`-like names, YAML 1.1 and
 * unsupported tags, keys as written, 100k-key files, adversarial values for every schema pattern
 * — each must end with exit 3, one clear `Error:` line per issue (with file:line:col where
 * there is a place to point at), no stack trace, nothing read from outside the secrets directory,
 * and no request at all (the emulator's log stays empty). Most run through the CLI's main()
 * in-process; a sample through the built CLI as child processes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { TOKEN, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { hostileCases, type HostileCase } from './support/hostile-inputs.js';
import { runMain, type MainResult } from './support/in-process-cli.js';
import { measuredLine, table, writeReportSection } from './support/report.js';

const SOAK = process.env.SUPASYNC_SOAK === '1';
const CASES = hostileCases(7, SOAK ? 5 : 1);
const CHILD_SAMPLE = 20;
const OUTSIDE_CANARY = 'OUTSIDE-CANARY-5d1e0b9c';
const EVIL_CANARY = 'EVIL-CANARY-3f8a21';
const OK_SECRET = 'ok-secret-value-77c1';
const LONGEST_LINE = 500;
const MAX_CASE_MS = 10_000;
// eslint-disable-next-line no-control-regex -- finding raw control characters in output is the point
const RAW_INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/u;

const COMMANDS = [['plan'], ['apply', '--yes'], ['plan', '--format', 'json', '--detailed-exitcode'], ['plan', '--format', 'markdown'], ['validate']];

let emu: TestEmulator;
let root: string;
const dirs = () => ({ config: join(root, 'config'), secrets: join(root, 'secrets'), outside: join(root, 'outside') });

function layout(): void {
  const { secrets, outside } = dirs();
  mkdirSync(join(secrets, 'dir'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  mkdirSync(`${secrets}-evil`, { recursive: true });
  writeFileSync(join(secrets, 'ok'), `${OK_SECRET}\n`);
  writeFileSync(join(secrets, 'big'), 'x'.repeat(1_100_000));
  writeFileSync(join(secrets, 'binary'), Buffer.from([0x41, 0x00, 0x42]));
  writeFileSync(join(secrets, 'latin1'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  writeFileSync(join(outside, 'outside.txt'), OUTSIDE_CANARY);
  writeFileSync(`${secrets}-evil/stolen`, EVIL_CANARY);
  symlinkSync(join(outside, 'outside.txt'), join(secrets, 'link-out'));
}

function writeCase(c: HostileCase): string[] {
  const { config, secrets, outside } = dirs();
  rmSync(config, { recursive: true, force: true });
  mkdirSync(config);
  const resolve = (text: string) => text.replaceAll('@SECRETS@', secrets).replaceAll('@OUTSIDE@', outside).replaceAll('@ROOT@', root);
  for (const [name, content] of Object.entries(c.files)) {
    writeFileSync(join(config, name), typeof content === 'string' ? resolve(content) : content);
  }
  for (const name of c.fifos ?? []) execFileSync('mkfifo', [join(config, name)]);
  for (const [name, target] of Object.entries(c.links ?? {})) symlinkSync(resolve(target), join(config, name));
  return ['-c', config, ...(c.secretsDir ? ['--secrets-dir', secrets] : [])];
}

/** What is wrong with one result; empty when the case was handled as it must be. */
function problems(c: HostileCase, r: Pick<MainResult, 'stdout' | 'stderr'> & { code: number | null }, daemon = false): string[] {
  const found: string[] = [];
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  if (r.code !== 3) found.push(`exit ${r.code}, not 3`);
  // The daemon logs (JSON lines) on stdout; the other commands print nothing there before the plan.
  const notLog = daemon ? r.stdout.split('\n').filter((l) => l && !l.startsWith('{"level":')) : r.stdout ? [r.stdout] : [];
  if (notLog.length) found.push(`printed on stdout: ${notLog.join('\n').slice(0, 200)}`);
  if (!lines.length) found.push('no message');
  const notIssue = lines.filter((l) => !l.startsWith('Error: '));
  if (notIssue.length) found.push(`lines that are not "Error: ..." issues: ${notIssue.slice(0, 3).join(' | ').slice(0, 300)}`);
  if (c.located && !lines.some((l) => /^Error: [^\n]+?:\d+:\d+: /.test(l))) found.push(`no file:line:col: ${lines[0]?.slice(0, 200)}`);
  const all = r.stdout + r.stderr;
  if (/^\s+at .+\d+:\d+\)?$/m.test(all) || /\\n\s+at /.test(all) || all.includes('Internal error')) found.push(`stack trace / internal error: ${all.slice(0, 300)}`);
  const long = lines.find((l) => l.length > LONGEST_LINE);
  if (long) found.push(`a ${long.length}-character line: ${long.slice(0, 160)}…`);
  const raw = RAW_INVISIBLE.exec(r.stderr);
  if (raw) found.push(`raw invisible/control character U+${raw[0].codePointAt(0)!.toString(16).padStart(4, '0')} in: ${lines.find((l) => RAW_INVISIBLE.test(l))?.slice(0, 160)}`);
  for (const canary of [OUTSIDE_CANARY, EVIL_CANARY, OK_SECRET, 'root:x:0:0', TOKEN]) if ((r.stdout + r.stderr).includes(canary)) found.push(`printed the contents of a file it must not read (${canary})`);
  return found;
}

interface Tally {
  cases: number;
  refused: number;
  located: number;
  longest: number;
  slowestMs: number;
}
const tally = new Map<string, Tally>();
let inProcessMs = 0;
let childMs = 0;
let childCount = 0;

beforeAll(async () => {
  emu = await startTestEmulator();
  root = mkdtempSync(join(tmpdir(), 'supasync-hostile-'));
  layout();
  process.env.SUPABASE_API_URL = emu.url;
  process.env.SUPABASE_ACCESS_TOKEN = TOKEN;
  process.env.NO_COLOR = '1';
  delete process.env.UNSET_VARIABLE_FOR_TEST;
});
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await emu?.close();
});

describe('hostile configuration', () => {
  it(`${CASES.length} generated inputs through main() in-process: exit 3, located one-line errors, no stack trace, no request`, async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(1_000);
    const failures: string[] = [];
    const started = performance.now();
    for (const [i, c] of CASES.entries()) {
      const args = writeCase(c);
      const t0 = performance.now();
      const r = await runMain([...COMMANDS[i % COMMANDS.length]!, ...args]);
      const ms = performance.now() - t0;
      const found = problems(c, r);
      if (emu.requests().length) found.push(`${emu.requests().length} request(s) sent`);
      // Not a speed target: a bound on the work any input can cause (a 400 kB key once took 80 s).
      if (ms > MAX_CASE_MS) found.push(`took ${Math.round(ms)} ms to refuse`);
      emu.clearRequests();
      const t = tally.get(c.category) ?? { cases: 0, refused: 0, located: 0, longest: 0, slowestMs: 0 };
      t.cases++;
      if (r.code === 3) t.refused++;
      if (/:\d+:\d+: /.test(r.stderr)) t.located++;
      t.longest = Math.max(t.longest, ...r.stderr.split('\n').map((l) => l.length));
      t.slowestMs = Math.max(t.slowestMs, ms);
      tally.set(c.category, t);
      if (found.length) failures.push(`[${i}] ${c.category} ${c.name}: ${found.join('; ')}`);
    }
    inProcessMs = performance.now() - started;
    expect(failures.slice(0, 40), `${failures.length} of ${CASES.length} cases mishandled`).toEqual([]);
  }, 600_000);

  it(`a sample of ${CHILD_SAMPLE} through the built CLI as child processes`, async () => {
    const step = Math.floor(CASES.length / CHILD_SAMPLE);
    const sample = Array.from({ length: CHILD_SAMPLE }, (_, k) => k * step + (k % step));
    const failures: string[] = [];
    const started = performance.now();
    for (const i of sample) {
      const c = CASES[i]!;
      const args = writeCase(c);
      // Every fifth runs the daemon: an invalid configuration must stop it before it listens.
      const command = i % 5 === 4 ? ['run', '--listen', '127.0.0.1:0'] : COMMANDS[i % COMMANDS.length]!;
      const r = await runCli([...command, ...args], { env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN }, timeoutMs: 30_000 });
      const found = problems(c, r, command[0] === 'run');
      if (emu.requests().length) found.push(`${emu.requests().length} request(s) sent`);
      emu.clearRequests();
      if (found.length) failures.push(`[${i}] ${c.category} ${c.name} (${command.join(' ')}): ${found.join('; ')}`);
    }
    childMs = performance.now() - started;
    childCount = sample.length;
    expect(failures).toEqual([]);
  }, 300_000);
});

afterAll(async () => {
  if (!tally.size || !childCount) return;
  // The slowest case in coarse steps, so that the table does not change with every run's timing.
  const coarse = (ms: number) => (ms < 100 ? '< 0.1 s' : ms < 1_000 ? '< 1 s' : `< ${Math.ceil(ms / 1_000)} s`);
  const rows = [...tally].map(([category, t]) => [category, t.cases, t.refused, t.located, t.longest, coarse(t.slowestMs)]);
  const total = [...tally.values()].reduce((a, t) => ({ cases: a.cases + t.cases, refused: a.refused + t.refused }), { cases: 0, refused: 0 });
  await writeReportSection(
    'hostile-config',
    [
      measuredLine(),
      '',
      `${total.cases} generated inputs (seeded, so the same on every run), run through the CLI's \`main()\` in-process`,
      `with plan / apply --yes / plan --format json|markdown / validate in turn, and ${childCount} of them through the built CLI`,
      '(every fifth of those with `run`). Each must exit 3 with only `Error: …` lines (one per issue, `file:line:col` first',
      'where there is a place), no stack trace, no raw control or invisible character, nothing from files outside the',
      `secrets directory, no line over ${LONGEST_LINE} characters, none taking over ${MAX_CASE_MS / 1000} s, and no request: the emulator's`,
      'log stayed empty throughout.',
      '',
      table(['category', 'inputs', 'exit 3', 'located', 'longest line', 'slowest'], rows),
      '',
      `All ${total.refused} of ${total.cases} refused. In-process: ${(inProcessMs / 1000).toFixed(0)} s in all; child processes: ${(childMs / 1000).toFixed(0)} s for ${childCount}.`,
    ].join('\n'),
  );
});
