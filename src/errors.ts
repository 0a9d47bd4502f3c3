/**
 * Typed errors, raised at the edge where they happen. Exactly one place (src/cli.ts, through
 * `exitCodeFor`) turns them into exit codes. Messages never carry tokens, request bodies or
 * secret values: they are built from locations, keys, statuses and the API's own message.
 */

/** Where something stands in a configuration file (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export interface ConfigIssue {
  /** Missing for problems that belong to no file (e.g. a path given on the command line that does not exist). */
  location?: SourceLocation;
  /** Dotted path inside the document, e.g. `auth.jwt_exp` or `sso.providers[0].domains`; empty for the whole document. */
  path: string;
  message: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.location ? `${issue.location.file}:${issue.location.line}:${issue.location.col}: ` : '';
  const path = issue.path ? `${issue.path}: ` : '';
  return `${where}${path}${issue.message}`;
}

export abstract class SupasyncError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The configuration (YAML, values, references) is invalid. Exit 3. */
export class ConfigError extends SupasyncError {
  readonly code = 'E_CONFIG';
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
  }
}

/** The command line itself is wrong (unknown flag value, conflicting options). Exit 3. */
export class UsageError extends SupasyncError {
  readonly code = 'E_USAGE';
}

export type ApiErrorCode =
  | 'E_API_STATUS' // the API answered with a non-2xx status
  | 'E_API_TIMEOUT' // no answer within the timeout
  | 'E_API_NETWORK' // connection refused / reset / DNS
  | 'E_API_RESPONSE'; // the answer could not be parsed

/** A Management API call failed. Exit 1 (per project; the run goes on for the others). */
export class ApiError extends SupasyncError {
  readonly code: ApiErrorCode;
  readonly method: string;
  /** Request path without query string; holds the project ref, never credentials. */
  readonly path: string;
  readonly status: number | undefined;
  /** The API's own `message`, trimmed; never a request body. */
  readonly apiMessage: string | undefined;
  /** Whether trying again later could succeed (5xx, 429, timeouts, resets); 4xx are terminal. */
  readonly retryable: boolean;
  /** How many attempts were made before giving up. */
  readonly attempts: number;

  constructor(init: {
    code: ApiErrorCode;
    method: string;
    path: string;
    status?: number;
    apiMessage?: string;
    retryable: boolean;
    attempts?: number;
    detail?: string;
  }) {
    const status = init.status === undefined ? '' : ` ${init.status}`;
    const msg = init.apiMessage ? `: ${init.apiMessage}` : init.detail ? `: ${init.detail}` : '';
    super(`${init.method} ${init.path} failed${status}${msg}`);
    this.code = init.code;
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.apiMessage = init.apiMessage;
    this.retryable = init.retryable;
    this.attempts = init.attempts ?? 1;
  }

  /**
   * 401: the API did not accept the token itself (wrong, expired, revoked); every request with it
   * fails the same way. A 403 is not this: see `isForbidden`.
   */
  get isAuthFailure(): boolean {
    return this.status === 401;
  }

  /**
   * 403: the token was accepted but may not do this — a project outside its reach, or a feature the
   * project's plan does not include (storage limits, custom domains on the free plan). Not a token
   * problem; the API's message (already scrubbed) says which.
   */
  get isForbidden(): boolean {
    return this.status === 403;
  }
}

/**
 * The project cannot have what the section asks for (SAML not enabled on its plan, network
 * restrictions not entitled). Reported for that project; the others go on. Exit 1.
 */
export class UnsupportedError extends SupasyncError {
  readonly code = 'E_UNSUPPORTED';
}

/**
 * The API answered 401 to the token: reported once for the whole run (every request with that token
 * fails the same way), never once per section. Exit 1.
 */
export class TokenRejected extends SupasyncError {
  readonly code = 'E_TOKEN_REJECTED';
}

/** A guardrail refused risky changes that were not explicitly allowed. Exit 4. */
export class GuardrailRefusal extends SupasyncError {
  readonly code = 'E_REFUSED';
}

/** The user declined the confirmation, or none could be asked (no TTY, no --yes). Exit 4. */
export class ConfirmationDeclined extends SupasyncError {
  readonly code = 'E_DECLINED';
}

export const ExitCode = {
  ok: 0,
  runtime: 1,
  changesPending: 2,
  invalidConfig: 3,
  refused: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code an error maps to; anything untyped is a runtime error. */
export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof ConfigError || err instanceof UsageError) return ExitCode.invalidConfig;
  if (err instanceof GuardrailRefusal || err instanceof ConfirmationDeclined) return ExitCode.refused;
  return ExitCode.runtime;
}

/**
 * Severity order used to combine per-project outcomes into one exit code: a configuration error
 * outranks a runtime error, which outranks a refusal, which outranks pending changes.
 */
const severity: Record<ExitCode, number> = { 0: 0, 2: 1, 4: 2, 1: 3, 3: 4 };
export function worstExitCode(codes: Iterable<ExitCode>): ExitCode {
  let worst: ExitCode = ExitCode.ok;
  for (const c of codes) if (severity[c] > severity[worst]) worst = c;
  return worst;
}

/** Exit code for a per-project problem recorded in a plan or outcome (see reconcile/types Problem.kind). */
export function exitCodeForProblemKind(kind: 'config' | 'api' | 'unsupported' | 'auth' | 'forbidden'): ExitCode {
  return kind === 'config' ? ExitCode.invalidConfig : ExitCode.runtime;
}
