/** The Management API client's public surface. */
export type { ApiClient, ApiRequest, ApiResponse, HttpMethod, Schemas } from './types.js';
export { createApiClient, DEFAULT_TIMEOUT_MS, type ApiAttemptEvent, type ApiClientOptions, type ManagedApiClient } from './client.js';
export { createClientFromEnv, type ClientFromEnvOptions } from './from-env.js';
export { DEFAULT_API_URL, resolveBaseUrl, resolveClientSettings, resolveToken, type ClientSettings } from './config.js';
export { createRateLimiter, DEFAULT_MAX_IN_FLIGHT, type RateLimiter, type RateLimiterOptions, type RateLimiterStats } from './rate-limiter.js';
export { DEFAULT_RATE_LIMIT } from './rate-limit-policy.js';
export { DEFAULT_RETRY_POLICY, retryDelay, type RetryPolicy } from './retry-policy.js';
export { routeOf } from './route.js';
