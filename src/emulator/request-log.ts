/**
 * What the emulator was asked (`GET /_emulator/requests`): every `/v1` request since the last reset,
 * with its parsed body and headers — never the Authorization header. Bounded, oldest dropped first.
 */
import type { IncomingHttpHeaders } from 'node:http';

export const REQUEST_LOG_LIMIT = 100_000;

const HIDDEN_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

export interface RequestLogEntry {
  method: string;
  path: string;
  query?: Record<string, string>;
  /** 0 when the connection was reset by a fault. */
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** Set when a fault rule answered (or reset) the request. */
  fault?: true;
  at: string;
}

export function loggableHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HIDDEN_HEADERS.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > REQUEST_LOG_LIMIT) this.entries.splice(0, this.entries.length - REQUEST_LOG_LIMIT);
  }

  list(): readonly RequestLogEntry[] {
    return this.entries;
  }

  clear(): void {
    this.entries = [];
  }
}
