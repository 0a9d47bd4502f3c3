/** Writing answers the way the real API does: JSON with its content-type, and the rate-limit headers. */
import type { ServerResponse } from 'node:http';
import type { RateDecision } from './rate-limit.js';

const JSON_TYPE = 'application/json; charset=utf-8';

export interface Answer {
  status: number;
  /** Omitted: no body and no content-type (as recorded for bodyless 2xx); a string is sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

function rateHeaders(rate: RateDecision): Record<string, string> {
  return {
    'x-ratelimit-limit': String(rate.limit),
    'x-ratelimit-remaining': String(rate.remaining),
    'x-ratelimit-reset': String(rate.resetSeconds),
  };
}

/** Writes an answer: JSON body with its content-type, or none at all (as recorded for bodyless 2xx). */
export function send(res: ServerResponse, answer: Answer, rate?: RateDecision): void {
  const headers: Record<string, string> = { ...(rate ? rateHeaders(rate) : {}), ...answer.headers };
  if (answer.body === undefined) {
    headers['content-length'] = '0';
    res.writeHead(answer.status, headers);
    res.end();
    return;
  }
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  headers['content-type'] = JSON_TYPE;
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(answer.status, headers);
  res.end(text);
}

