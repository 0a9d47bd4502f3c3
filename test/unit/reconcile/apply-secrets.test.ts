/**
 * apply's own texts (issue 13, item 1): what the API did not take, and why a write failed, are
 * reported without a known secret — in a path, an item label or an error — as the plan is. The
 * client here is a small in-memory stand-in for the API (this is a unit test of apply's wording;
 * the e2e suites run apply against the emulator).
 */
import { describe, expect, it } from 'vitest';
import type { ApiClient, ApiRequest, ApiResponse } from '../../../src/api/types.js';
import { ApiError } from '../../../src/errors.js';
import { providers, riskRules } from '../../../src/providers/index.js';
import { applyPlanned } from '../../../src/reconcile/fleet.js';
import { plan } from '../../../src/reconcile/plan.js';
import type { LiveState } from '../../../src/reconcile/read.js';
import { Redactor } from '../../../src/redact.js';
import { REF, project, section } from '../../helpers/desired.js';

const SECRET = 'EnvSecretDomain-7q';

/** An API that answers every write with success and keeps nothing: every change is "not taken". */
function forgetfulApi(fail?: (req: ApiRequest) => ApiError | undefined): ApiClient {
  return {
    async request<T>(req: ApiRequest): Promise<ApiResponse<T>> {
      const err = fail?.(req);
      if (err) throw err;
      return { status: 200, body: undefined as T, headers: {} };
    },
    async get<T>(): Promise<T> {
      return { items: [] } as T;
    },
  };
}

const secrets = () => {
  const r = new Redactor();
  r.add(SECRET, { minLength: 4 });
  return r;
};

describe('apply: no secret in what it reports', () => {
  // A secret reused in a plain field (the domain) — only the engine's generic guard knows it.
  const desired = [project(REF, [section('sso', { providers: [{ metadata_url: 'https://idp.example.com/m', domains: [`${SECRET.toLowerCase()}.example.com`] }] })])];
  const live: LiveState = new Map([[REF, new Map([['sso', { ok: true as const, value: { providers: [] } }]])]]);

  it('a change the API did not take is named by a path that shows no secret', async () => {
    const sensitive = secrets();
    const planned = plan(desired, live, { providers, riskRules, sensitive });
    const outcome = await applyPlanned(planned, desired, { client: forgetfulApi(), sensitive });
    const sso = outcome.projects[0]!.sections[0]!;
    expect(sso).toMatchObject({ status: 'error', not_taken: ['providers[[redacted].example.com]'], warnings: [] });
    expect(sso.error).toEqual({
      kind: 'api',
      code: 'E_NOT_TAKEN',
      message: 'the API answered but did not take this change: providers[[redacted].example.com] still differs after apply',
    });
    expect(JSON.stringify({ planned: planned.plan, outcome }).toLowerCase()).not.toContain(SECRET.toLowerCase());
  });

  it('a failed write is reported without the secret the API quoted', async () => {
    const sensitive = secrets();
    const planned = plan(desired, live, { providers, riskRules, sensitive });
    const api = forgetfulApi((req) => new ApiError({ code: 'E_API_STATUS', method: req.method, path: req.path, status: 409, apiMessage: `domain ${SECRET} is taken`, retryable: false }));
    const outcome = await applyPlanned(planned, desired, { client: api, sensitive });
    expect(outcome.projects[0]!.sections[0]!.error?.message).toMatch(/failed 409: domain \[redacted\] is taken$/);
  });
});
