/**
 * The threat model of docs/reliability.md, as data: who controls what, what each can and cannot
 * make supasync do, and the test files that prove each claim. threat-model.test.ts checks that every
 * file named here exists and writes the section; keep it true as behaviour changes.
 */

export interface Claim {
  /** What the actor cannot (or, for a stated limit, can) make supasync do. */
  claim: string;
  /** Test files (paths from the repository root) that prove it. */
  proof: string[];
}

export interface Actor {
  who: string;
  controls: string;
  doesNotControl: string;
  can: string;
  cannot: Claim[];
  /** What the actor can do that the design accepts, said plainly. */
  limits?: string[];
}

const HYGIENE = 'test/reliability/secret-hygiene.test.ts';
const SENSITIVE_E2E = 'test/e2e/sensitive-values.test.ts';

export const ACTORS: readonly Actor[] = [
  {
    who: 'Pull-request author',
    controls: 'the YAML configuration and any file in the repository, symlinks included (the plan of their change is published as a PR comment)',
    doesNotControl: 'the environment, the token, `--secrets-dir` and what is in it, flags, the network',
    can:
      'propose any setting the schema allows and see it planned; name environment variables (`${NAME}`) and files below `--secrets-dir` (`${file:/path}`) for values; propose risky changes, which apply refuses unless an `allow_risky:` entry (visible in the diff and the plan) or `--allow-risky` lets them through',
    cannot: [
      {
        claim:
          'print a secret — a secret field\'s value, what a `${file:}` read, the token — in a plan (text, Markdown, JSON, `--out`), a log line, an error, a metric or an item label, in any position (scalar, list item, nested field, SSO field) or form (any case, trimmed, URL-encoded, base64, hex, SHA-256, HMAC)',
        proof: [HYGIENE, SENSITIVE_E2E, 'test/unit/reconcile/plan.test.ts', 'test/unit/redact.test.ts', 'test/unit/providers/sso.test.ts'],
      },
      {
        claim: 'have a message quote a sensitive value: checks, schema errors and SAML metadata errors say what is wrong, not what the value is',
        proof: [SENSITIVE_E2E, 'test/unit/providers/network-restrictions.test.ts', 'test/unit/providers/sso.test.ts', 'test/unit/config/load.test.ts'],
      },
      {
        claim: 'slip a risky change past the guardrails by reading its value from a file: rules judge the real value, the plan shows none',
        proof: [SENSITIVE_E2E, 'test/unit/reconcile/plan.test.ts', 'test/e2e/network-sso-guardrails.test.ts'],
      },
      {
        claim: 'read a file outside `--secrets-dir` (relative paths, `..`, symlinks out, FIFOs, a file swapped while read) or walk outside a `-c` directory',
        proof: ['test/unit/config/secret-files.test.ts', 'test/unit/config/secret-files-race.test.ts', 'test/e2e/secrets-dir-option.test.ts', 'test/unit/config/files-hostile.test.ts'],
      },
      {
        claim:
          'read a file outside its `-c` directory with `${include:}` (absolute paths, `..` leading out, symlinks out, /etc/passwd, FIFOs, devices, over-large or binary files); an included text is never interpolated',
        proof: ['test/unit/config/includes.test.ts', 'test/reliability/hostile-config.test.ts', 'test/e2e/includes.test.ts'],
      },
      {
        claim: 'make supasync write anywhere but `--out`\'s own new file (a symlink committed at the `--out` path is refused)',
        proof: ['test/e2e/plan-out.test.ts'],
      },
      {
        claim:
          'stall the process: every schema pattern is linear on values up to the size limits, duplicate keys and value caps are linear, alias bombs and deep nesting are capped, redaction is linear in the text',
        proof: ['test/reliability/pattern-audit.test.ts', 'test/unit/config/yaml-limits.test.ts', 'test/reliability/hostile-config.test.ts', 'test/unit/redact.test.ts'],
      },
      {
        claim: 'reach `Object.prototype` through a name (`${toString}`), collapse keys through YAML 1.1 typing, or have a `${...}` in a mapping key silently kept literal (it is refused)',
        proof: ['test/unit/config/interpolate-own.test.ts', 'test/unit/config/yaml-keys-tags.test.ts', 'test/unit/config/tree.test.ts', HYGIENE],
      },
      {
        claim:
          'have `supasync import` of the repository\'s supabase/config.toml copy a secret written in it into a file, stdout or stderr (not even a TOML syntax error quotes the file), write through a symlink or replace a file without `--force`, or stall it (the file is bounded, nesting capped, `__proto__` keys refused)',
        proof: ['test/e2e/import.test.ts', 'test/unit/import/toml-file.test.ts', 'test/e2e/import-peer.test.ts'],
      },
    ],
    limits: [
      'they can learn properties of a secret by probing, never the value: whether a file value passes a field\'s schema or check, whether it equals a literal they write (a duplicate domain is an error), whether it differs from the live value (a change is planned). A secret of under 4 characters is not redacted from free text (messages never quote sensitive values, whatever their length).',
    ],
  },
  {
    who: 'Cluster operator (or CI owner)',
    controls: 'flags, the environment (the token, `SUPABASE_API_URL`, proxy variables), mounts (the configuration, `--secrets-dir`), who can reach the probe port',
    doesNotControl: 'nothing supasync guards against: the operator is trusted, and decides what pull requests may reference',
    can: 'run every command; choose which files `${file:}` may read, the listen address (`--listen 127.0.0.1:…`), `--allow-risky`',
    cannot: [
      {
        claim: 'read a secret, or the API\'s error text, from `/metrics` or `/readyz` (codes, statuses and counts only)',
        proof: ['test/e2e/daemon-readyz.test.ts', HYGIENE],
      },
      {
        claim: 'send the token in clear: plain http only to a loopback host, a proxy only through a CONNECT tunnel, no redirect followed',
        proof: ['test/unit/api/config.test.ts', 'test/e2e/proxy.test.ts', 'test/unit/api/proxy.test.ts', 'test/unit/api/client.test.ts'],
      },
      {
        claim: 'find the token or a request body in a log line, even at trace level',
        proof: ['test/unit/api/client-secrets.test.ts', HYGIENE],
      },
    ],
  },
  {
    who: 'The Management API (and whatever stands between: proxies, gateways)',
    controls: 'every answer: live values, status codes, bodies, error text, reason phrases, timing',
    doesNotControl: 'what supasync sends, or to whom',
    can: 'be trusted for meaning: the live state is the truth, and a change is planned from it',
    cannot: [
      {
        claim: 'exhaust memory with a large answer (answers are capped at 8 MiB and the request fails clearly)',
        proof: ['test/e2e/response-size.test.ts', 'test/unit/api/response-size.test.ts'],
      },
      {
        claim: 'have supasync publish a secret it echoes or quotes, in any case or encoding, in its error text or reason phrase (redacted, then cut to 300 characters), or in a live value (the change is then sensitive)',
        proof: [SENSITIVE_E2E, 'test/unit/api/error-mapping.test.ts', 'test/unit/api/client-secrets.test.ts', HYGIENE, 'test/unit/reconcile/plan.test.ts'],
      },
      {
        claim:
          'have supasync print key material it answers: API key values (the legacy anon and service_role JWTs, publishable and secret keys; `reveal` is never asked for) and signing keys\' JWKs are dropped as they are read, and key-shaped text (`sb_secret_…`, JWTs) is cut from its error text',
        proof: [HYGIENE, 'test/e2e/api-signing-keys.test.ts', 'test/unit/providers/api-keys.test.ts', 'test/unit/providers/signing-keys.test.ts', 'test/unit/api/error-mapping.test.ts'],
      },
      {
        claim: 'make supasync write on a failure or a malformed answer: a project whose read failed gets no write; faults are retried only where safe',
        proof: ['test/reliability/fault-matrix.test.ts', 'test/reliability/invariants.test.ts', 'test/unit/reconcile/plan.test.ts'],
      },
    ],
  },
  {
    who: 'The emulator (our test double, run by developers and CI)',
    controls: 'nothing in production',
    doesNotControl: 'the runtime: it only answers tests',
    can: 'record the requests it is sent, for tests',
    cannot: [
      {
        claim: 'keep secret fields in its request log, or be stalled by a fault pattern',
        proof: ['test/e2e/emulator-request-log-secrets.test.ts', 'test/unit/emulator/redact.test.ts'],
      },
    ],
  },
];

/** Issue 13 ("security holes found by probing as an attacker would"), item by item: the regression tests. */
export const ISSUE_13: ReadonlyArray<[item: string, what: string, proof: string[]]> = [
  ['1', 'a file or secret value in a list item, nested field or item label is sensitive in every renderer, log and error', [SENSITIVE_E2E, 'test/unit/reconcile/plan.test.ts', 'test/unit/providers/sso.test.ts', 'test/unit/providers/normalise.test.ts', 'test/unit/config/merge.test.ts']],
  ['2', 'messages never quote a sensitive value; redaction catches case-folded, trimmed, URL-encoded, base64 and hex forms in linear time', [SENSITIVE_E2E, 'test/unit/redact.test.ts', 'test/unit/providers/network-restrictions.test.ts', 'test/unit/providers/sso.test.ts']],
  ['3', 'API error text redacted (configured secrets, file values, the token and its hex part) and capped', [SENSITIVE_E2E, 'test/unit/api/error-mapping.test.ts', 'test/unit/api/client-secrets.test.ts']],
  ['4', 'SAML metadata errors give line and column, never the document\'s content', [SENSITIVE_E2E, 'test/unit/providers/sso.test.ts']],
  ['5', 'every schema pattern linear near the size limits', ['test/reliability/pattern-audit.test.ts', 'test/unit/config/safe-patterns.test.ts']],
  ['6', 'duplicate keys and value caps linear; the daemon stays responsive', ['test/unit/config/yaml-limits.test.ts']],
  ['7', 'answers capped in size', ['test/e2e/response-size.test.ts', 'test/unit/api/response-size.test.ts']],
  ['8', '`--out` written atomically to a new file, never through a symlink; the PR workflow keeps token and plan outside the checkout', ['test/e2e/plan-out.test.ts', 'test/e2e/examples.test.ts']],
  ['9', 'configuration walk stays inside `-c`, skips special files', ['test/unit/config/files-hostile.test.ts']],
  ['10', '`${NAME}` looks up own properties only', ['test/unit/config/interpolate-own.test.ts']],
  ['11', 'empty `--secrets-dir` refused; `${file:}` read once from a checked descriptor', ['test/e2e/secrets-dir-option.test.ts', 'test/unit/config/secret-files-race.test.ts']],
  ['12', 'keys are strings as written; YAML 1.1 refused', ['test/unit/config/yaml-keys-tags.test.ts']],
  ['13', 'HTTPS_PROXY / NO_PROXY through CONNECT', ['test/e2e/proxy.test.ts', 'test/unit/api/proxy.test.ts']],
  ['14', '`/readyz` carries no API error text', ['test/e2e/daemon-readyz.test.ts', 'test/unit/daemon/readiness.test.ts']],
  ['15', 'emulator: no secrets in its request log, linear fault patterns', ['test/e2e/emulator-request-log-secrets.test.ts', 'test/unit/emulator/redact.test.ts', 'test/e2e/emulator-faults.test.ts']],
  ['done when', 'canaries in every position the schema allows a string and in API error bodies, every output checked in 8 forms', [HYGIENE]],
];
