/**
 * What the emulator was asked (`GET /_emulator/requests`): every `/v1` request since the last reset,
 * with its parsed body and headers — never the Authorization header. Bounded, oldest dropped first.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

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
  /** Bytes the request took on the wire: request line, headers and body as received (for benchmarks). */
  bytes: number;
  at: string;
}

/** Bytes each connection had read when its previous request ended. */
const readBefore = new WeakMap<Socket, number>();

/**
 * The bytes a request took on the wire, counted once its body has been read: what its connection
 * read since the previous request on it ended. Exact for HTTP/1.1 clients that send one request at
 * a time on a connection (no pipelining), as Node's and Go's clients do.
 */
export function requestWireBytes(req: IncomingMessage): number {
  const socket = req.socket;
  const total = socket.bytesRead;
  const bytes = total - (readBefore.get(socket) ?? 0);
  readBefore.set(socket, total);
  return bytes;
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
