import type { components } from './schema.gen.js';

/** Schemas of the Management API, generated from the vendored OpenAPI spec. */
export type Schemas = components['schemas'];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One call to the Management API, as a provider describes it. */
export interface ApiRequest {
  method: HttpMethod;
  /** Absolute API path, e.g. `/v1/projects/abcdefghijklmnopqrst/config/auth`. */
  path: string;
  body?: unknown;
  /**
   * Safe to send again after a failure whose effect is unknown (a timeout, a reset): GET, PUT,
   * PATCH and replacing POSTs are; a creating POST is not. Defaults from the method when absent.
   */
  idempotent?: boolean;
  /**
   * For a step of a state machine (a custom domain's setup): judges the API's answer before the next
   * request is sent. Pure; it sees the answer, never a secret of the configuration.
   */
  check?(answer: unknown): StepVerdict | undefined;
}

/**
 * What a step's answer means for the requests after it. `wait`: the resource waits for something
 * outside the API (DNS records, a certificate): the section's later requests are not sent, which is
 * no failure, and a later apply (the daemon's next sweep) goes on from there; the text says where it
 * stopped and why. `fail`: the section fails with that message.
 */
export type StepVerdict = { wait: string } | { fail: string };

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * What providers and the engine need from the Management API client. The implementation
 * (src/api/client.ts) adds auth, timeouts, retries, rate limiting and typed errors (ApiError).
 */
export interface ApiClient {
  request<T = unknown>(req: ApiRequest): Promise<ApiResponse<T>>;
  get<T = unknown>(path: string): Promise<T>;
}
