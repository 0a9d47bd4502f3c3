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
}

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
