/**
 * The two-project scenario the fault matrix and the daemon tests share: project A (where faults are
 * injected) drifts in auth and needs an SSO provider created; project B (never faulted) drifts in
 * auth only. A fault in A must leave B reconciled (projects are independent).
 */
import type { SeedDocument } from '../../../src/emulator/index.js';
import type { RequestLogEntry } from '../../../src/emulator/index.js';

export const A = 'aaaaaaaaaaaaaaaaaaaa';
export const B = 'bbbbbbbbbbbbbbbbbbbb';
export const TOKEN = 'sbp_0123456789abcdef0123456789abcdef01234567';

export const SITE_A = 'https://a.example.com';
export const SITE_B = 'https://b.example.com';
export const IDP_URL = 'https://idp.example.com/saml/metadata';
export const IDP_DOMAIN = 'corp.example.com';

export const SEED: SeedDocument = {
  projects: [
    { ref: A, name: 'faulted', plan: 'pro' },
    { ref: B, name: 'healthy', plan: 'pro' },
  ],
};

export const CONFIG = {
  'a.yaml': `project: ${A}
auth:
  site_url: ${SITE_A}
  jwt_exp: 3600
sso:
  providers:
    - metadata_url: ${IDP_URL}
      domains: [${IDP_DOMAIN}]
`,
  'b.yaml': `project: ${B}
auth:
  site_url: ${SITE_B}
`,
};

export const PATHS = {
  authA: `/v1/projects/${A}/config/auth`,
  ssoA: `/v1/projects/${A}/config/auth/sso/providers`,
  authB: `/v1/projects/${B}/config/auth`,
};

export const isWrite = (r: RequestLogEntry) => r.method !== 'GET';
export const toProject = (ref: string) => (r: RequestLogEntry) => r.path.startsWith(`/v1/projects/${ref}/`);
