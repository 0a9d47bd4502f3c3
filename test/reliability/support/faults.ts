/**
 * The faults of the matrix, as emulator fault rules (docs/emulator.md), and what the client's retry
 * policy should make of each: how many attempts a persistent fault gets on an idempotent request
 * (reads, PATCH) and on a creating POST, and the message the user should see.
 */
import type { FaultRule } from '../../../src/emulator/index.js';

/**
 * The client timeout the matrix runs with (SUPASYNC_API_TIMEOUT_MS), and the slow answer's delay.
 * Not shorter: on a loaded 2-core CI machine a healthy in-process answer can take a few hundred ms,
 * and a spurious timeout would add attempts to the count.
 */
export const TEST_TIMEOUT_MS = 1_000;
export const SLOW_DELAY_MS = 2_500;
/** DEFAULT_RETRY_POLICY.limit + 1. */
export const MAX_ATTEMPTS = 5;

export interface FaultKind {
  id: string;
  label: string;
  rule: (creating: boolean) => Omit<FaultRule, 'path' | 'method'>;
  /** Attempts a persistent fault gets. */
  attempts: { idempotent: number; creating: number };
  /** What the error message must say (after `METHOD PATH failed`). */
  message: RegExp;
  /** The request is still carried out by the server after the client gave up (a slow answer). */
  serverCompletes?: boolean;
}

export const FAULTS: readonly FaultKind[] = [
  {
    id: '429',
    label: '429 + Retry-After: 1',
    rule: () => ({ status: 429, retry_after: 1, body: { message: 'ThrottlerException: Too Many Requests' } }),
    attempts: { idempotent: MAX_ATTEMPTS, creating: MAX_ATTEMPTS },
    message: /failed 429: ThrottlerException: Too Many Requests/,
  },
  {
    id: '429-long',
    label: '429 + Retry-After: 3600',
    rule: () => ({ status: 429, retry_after: 3600, body: { message: 'ThrottlerException: Too Many Requests' } }),
    attempts: { idempotent: 1, creating: 1 },
    message: /failed 429: ThrottlerException: Too Many Requests/,
  },
  {
    id: '500',
    label: '500',
    rule: () => ({ status: 500, body: { message: 'Internal server error' } }),
    attempts: { idempotent: MAX_ATTEMPTS, creating: 1 },
    message: /failed 500: Internal server error/,
  },
  {
    id: '502',
    label: '502 (HTML body)',
    rule: () => ({ status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' }),
    attempts: { idempotent: MAX_ATTEMPTS, creating: 1 },
    message: /failed 502: Bad Gateway/,
  },
  {
    id: '503',
    label: '503',
    rule: () => ({ status: 503, body: { message: 'upstream unavailable' } }),
    attempts: { idempotent: MAX_ATTEMPTS, creating: 1 },
    message: /failed 503: upstream unavailable/,
  },
  {
    id: 'reset',
    label: 'connection reset',
    rule: () => ({ reset: true }),
    attempts: { idempotent: MAX_ATTEMPTS, creating: 1 },
    message: /failed: connection reset by the server \(ECONNRESET\)/,
  },
  {
    id: 'slow',
    label: `answer slower than the timeout (${SLOW_DELAY_MS} ms > ${TEST_TIMEOUT_MS} ms)`,
    rule: () => ({ delay_ms: SLOW_DELAY_MS }),
    attempts: { idempotent: MAX_ATTEMPTS, creating: 1 },
    message: new RegExp(`failed: no answer within ${TEST_TIMEOUT_MS} ms`),
    serverCompletes: true,
  },
  {
    id: 'malformed',
    label: 'malformed JSON (2xx)',
    rule: (creating) => ({ status: creating ? 201 : 200, body: '{"id": "a1b2c3' }),
    attempts: { idempotent: 1, creating: 1 },
    message: /failed 20[01]: the response body is not valid JSON/,
  },
  {
    id: '401',
    label: '401',
    rule: () => ({ status: 401, body: { message: 'Unauthorized' } }),
    attempts: { idempotent: 1, creating: 1 },
    message: /failed 401: Unauthorized/,
  },
  {
    id: '403',
    label: '403',
    rule: () => ({ status: 403, body: { message: 'Forbidden resource' } }),
    attempts: { idempotent: 1, creating: 1 },
    message: /failed 403: Forbidden resource/,
  },
  {
    id: '404',
    label: '404',
    rule: () => ({ status: 404, body: { message: 'Project not found' } }),
    attempts: { idempotent: 1, creating: 1 },
    message: /failed 404: Project not found/,
  },
];
