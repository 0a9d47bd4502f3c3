/**
 * How a log line reads on a terminal (`--log-format pretty`): pino-pretty prints the time and the
 * level, and this turns each event into one short sentence — `retrying GET …/config/auth (503) in
 * 2.1 s, attempt 2/5` — from the fields of the JSON line, so that the JSON for Kubernetes and CI
 * stays as it is. Events not named here print their message and their simple fields as key=value.
 * It sees only lines already redacted (the same `streamWrite` hook as JSON), and adds no value of
 * its own. Every value is printed with its control characters escaped (`\u001b`): text from the
 * API or a configuration cannot drive the terminal (pino-pretty leaves that to a messageFormat
 * function). Colour comes from pino-pretty: the time, the level, the message.
 */
import type { PrettyOptions } from 'pino-pretty';
import { escapeHidden } from './config/printable.js';

type Line = Record<string, unknown>;

/** Fields every line has, or that the sentence already says: not repeated as key=value. */
const STANDARD = new Set(['level', 'time', 'name', 'msg', 'project', 'section', 'pid', 'hostname']);

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? escapeHidden(v) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** 2100 → "2.1 s", 350 → "350 ms", 125000 → "2 min 5 s". */
export function humanDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
}

/** `/v1/projects/<ref>/config/auth` → `…/config/auth` (the project is said at the start of the line). */
export function shortPath(path: string): string {
  const m = /^\/v1\/projects\/[a-z]{20}(\/.*)?$/.exec(path);
  return m ? `…${m[1] ?? ''}` : path;
}

/** The project a line is about: its `project` field, else the ref in its API path. */
function projectOf(line: Line): string | undefined {
  const project = str(line.project);
  if (project) return project;
  return /^\/v1\/projects\/([a-z]{20})(?:\/|$)/.exec(str(line.path) ?? '')?.[1];
}

/** The fields not said otherwise, as key=value (strings with spaces quoted); objects are left out. */
function rest(line: Line, said: readonly string[]): string {
  const out: string[] = [];
  for (const [key, value] of Object.entries(line)) {
    if (STANDARD.has(key) || said.includes(key)) continue;
    const text = str(value);
    if (text === undefined) continue;
    out.push(`${key}=${/[\s"=]/.test(text) || text === '' ? JSON.stringify(text) : text}`);
  }
  return out.join(' ');
}

const ACTION_MARK: Record<string, string> = { create: '+', update: '~', delete: '-' };

function change(line: Line): string {
  const action = str(line.action) ?? 'update';
  const path = `${str(line.section) ?? ''}${line.section ? '.' : ''}${str(line.path) ?? ''}`;
  return `${ACTION_MARK[action] ?? action} ${path}${line.sensitive === true ? ' (sensitive value)' : ''}`;
}

/** One sentence per known event; undefined for the others. */
function sentence(msg: string, line: Line): string | undefined {
  switch (msg) {
    case 'api retry': {
      const status = str(line.status) ?? str(line.errorCode) ?? 'failed';
      const attempt = num(line.attempt);
      const of = num(line.maxAttempts);
      const delay = num(line.delayMs);
      return `retrying ${str(line.method) ?? ''} ${shortPath(str(line.path) ?? '')} (${status})${delay === undefined ? '' : ` in ${humanDuration(delay)}`}${attempt === undefined ? '' : `, attempt ${attempt + 1}${of ? `/${of}` : ''}`}`;
    }
    case 'change applied':
      return `applied ${change(line)}`;
    case 'drift observed':
      return `drift ${change(line)} (observe mode: reported, not applied)`;
    case 'change refused: risky':
      return `refused ${change(line)}: risky (${str(line.rule) ?? 'guardrail'}); allow it with allow_risky: [${str(line.allow_with) ?? '…'}]`;
    case 'change not taken by the API':
      return `not taken by the API: ${str(line.section) ?? ''}${line.section ? '.' : ''}${str(line.path) ?? ''} still differs after apply`;
    case 'cycle complete': {
      const n = (key: string) => num(line[key]) ?? 0;
      const parts = [
        plural(n('projects'), 'project'),
        ...(n('changed') ? [`${n('changed')} changed`] : []),
        ...(n('drift') ? [`${n('drift')} drifted`] : []),
        ...(n('refused') ? [`${n('refused')} refused`] : []),
        ...(n('failed') ? [`${n('failed')} failed`] : []),
        ...(n('requests') ? [plural(n('requests'), 'write request')] : []),
      ];
      const result = str(line.result) ?? 'ok';
      const detail = str(line.detail);
      return `cycle ${result} (${str(line.trigger) ?? 'schedule'}, ${humanDuration(n('duration_ms'))}): ${parts.join(', ')}${line.config_valid === false ? '; configuration on disk invalid, the last valid one used' : ''}${detail ? ` — ${detail}` : ''}`;
    }
    case 'project reconciled': {
      // The daemon's work queue: one line per project reconciled (changed, drifted, refused or failed).
      const n = (key: string) => num(line[key]) ?? 0;
      const retry = num(line.retry_in_ms);
      const repeats = num(line.repeats);
      const problem = str(line.code) ? `${str(line.code)}${line.status === undefined ? '' : ` ${str(line.status)}`}` : undefined;
      const parts = [
        ...(n('changes') ? [plural(n('changes'), 'change')] : []),
        ...(n('requests') ? [plural(n('requests'), 'write request')] : []),
        ...(n('held') ? [`${n('held')} held`] : []),
        ...(problem ? [problem] : []),
        ...(line.failure === 'changed' ? ['the failure changed'] : []),
        ...(repeats === undefined ? [] : [`same failure again (${repeats === 1 ? 'once' : `${repeats} times`} so far)`]),
        ...(retry === undefined ? [] : [`retry in ${humanDuration(retry)}`]),
      ];
      return `reconciled: ${str(line.result) ?? 'done'}${parts.length ? `, ${parts.join(', ')}` : ''} (${humanDuration(n('duration_ms'))})`;
    }
    case 'project recovered': {
      const failures = num(line.failed_attempts) ?? 0;
      const failedFor = num(line.failed_for_ms);
      return `recovered after ${plural(failures, 'failed attempt')}${failedFor === undefined ? '' : ` over ${humanDuration(failedFor)}`}`;
    }
    case 'supasync daemon started':
      return `daemon started: ${plural(num(line.projects) ?? 0, 'project')}, mode ${str(line.mode) ?? 'enforce'}, schedule "${str(line.schedule) ?? ''}"; probes at ${str(line.url) ?? ''}`;
    case 'configuration loaded':
      return `configuration loaded: ${plural(num(line.files) ?? 0, 'file')}, ${plural(num(line.projects) ?? 0, 'project')}`;
    case 'stopped':
      return `stopped (exit code ${str(line.exit_code) ?? '0'})`;
    default:
      return undefined;
  }
}

/** pino-pretty's `messageFormat`: `<project> <sentence>`, or `<project> <message> key=value …` for other events. */
export function prettyMessage(log: Line, messageKey: string): string {
  const msg = str(log[messageKey]) ?? '';
  const project = projectOf(log);
  const known = sentence(msg, log);
  // An `err` field holds a message (a Problem, or an error's text): said after the event's own.
  const err = typeof log.err === 'object' && log.err !== null ? str((log.err as Line).message) : str(log.err);
  const text = known ?? [`${msg}${err ? `: ${err}` : ''}`, ...(log.section ? [`(${str(log.section)})`] : []), rest(log, ['err'])].filter(Boolean).join(' ');
  return project ? `${project} ${text}` : text;
}

/** The pino-pretty options: one line per event, time and level first, the sentence, no object dump. */
export function prettyOptions(fd: number, colorize: boolean): PrettyOptions {
  return {
    destination: fd,
    sync: true,
    colorize,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,name',
    // The sentence says what matters; the fields are in the JSON format (hideObject keeps one line per event).
    hideObject: true,
    messageFormat: prettyMessage as unknown as PrettyOptions['messageFormat'],
  };
}
