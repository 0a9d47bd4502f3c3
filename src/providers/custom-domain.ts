/**
 * custom_domain — the address a project is reached at besides `<ref>.supabase.co`: a custom hostname
 * (GET / DELETE /custom-hostname, POST …/initialize, …/reverify, …/activate) or a vanity subdomain
 * (GET / DELETE /vanity-subdomain, POST …/check-availability, …/activate). A project uses one or the
 * other. The YAML names the desired one (`null`: removed, a risky change).
 *
 * A custom hostname is a state machine that waits on the outside world:
 *   initialize → 2_initiated (the API asks for DNS records) → reverify, once they are in place →
 *   3_challenge_verified → (certificate and origin set up) 4_origin_setup_completed → activate →
 *   5_services_reconfigured (active).
 * Plans show the DNS records the API asks for. Apply goes as far as the outside world allows and
 * stops where it must wait (ApiRequest.check: `wait`), which is no failure: the outcome says where
 * it stopped, and a later apply or the daemon's next sweep goes on from there.
 */
import type { ApiClient, ApiRequest, StepVerdict } from '../api/types.js';
import { fromFileAtOrBelow } from '../config/from-file.js';
import type { DesiredSection } from '../config/types.js';
import { ApiError, ConfigError } from '../errors.js';
import type { Change, JsonValue } from '../reconcile/types.js';
import { readAll } from './read-all.js';
import type { RiskRule } from './risk.js';
import type { CheckFinding, DiffInput, Provider, SectionDiff, SectionSchema } from './types.js';

const SECTION = 'custom_domain';
const ACTIVE = '5_services_reconfigured';
type HostnameStatus = '2_initiated' | '3_challenge_verified' | '4_origin_setup_completed' | typeof ACTIVE;

export interface DnsRecord {
  type: 'CNAME' | 'TXT';
  name: string;
  value: string;
}

export interface LiveHostname {
  name: string;
  status: HostnameStatus;
  /** What DNS must hold, as the API asks for it (empty once verified). */
  records: DnsRecord[];
}

export interface CustomDomainLive {
  hostname: LiveHostname | null;
  /** The active vanity subdomain (`acme` of `acme.supabase.co`), or null. */
  vanity: string | null;
}

/** What the custom-hostname endpoints answer (UpdateCustomHostnameResponse), as far as read here. */
interface HostnameAnswer {
  status?: string;
  custom_hostname?: string;
  data?: {
    result?: {
      custom_origin_server?: string;
      ownership_verification?: { type?: string; name?: string; value?: string };
      ssl?: { validation_records?: Array<{ txt_name?: string; txt_value?: string }> };
    };
  };
}

const schema: SectionSchema = {
  description:
    'The custom domain of the project: a custom hostname (a paid add-on; plans show the DNS records it needs, apply goes as far as DNS allows) or a vanity subdomain of supabase.co, not both. `null` removes one (a risky change).',
  extra: {
    custom_hostname: {
      type: ['string', 'null'],
      minLength: 1,
      maxLength: 253,
      description:
        'A hostname of yours (e.g. api.example.com) the project answers at: initialized, then verified once its DNS records are in place, then activated. `null`: removed (risky).',
    },
    vanity_subdomain: {
      type: ['string', 'null'],
      minLength: 1,
      maxLength: 63,
      description: 'A subdomain of supabase.co (acme for acme.supabase.co): checked for availability, then activated. `null`: removed (risky).',
    },
  },
};

const risks: readonly RiskRule[] = [
  {
    id: `${SECTION}.custom_hostname.removed`,
    section: SECTION,
    description: 'removing a custom hostname, or replacing an active one (whatever uses it stops reaching the project)',
    test: (c) => (c.path === 'custom_hostname' && c.action === 'delete' ? `removes custom hostname${c.item ? ` ${c.item}` : ''}: whatever uses it stops reaching the project` : undefined),
  },
  {
    id: `${SECTION}.vanity_subdomain.removed`,
    section: SECTION,
    description: 'removing or replacing a vanity subdomain (whatever uses it stops reaching the project)',
    test: (c) => (c.path === 'vanity_subdomain' && c.action === 'delete' ? `removes vanity subdomain${c.item ? ` ${c.item}` : ''}: whatever uses it stops reaching the project` : undefined),
  },
];

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SUPABASE_DOMAIN = /(?:^|\.)(?:supabase\.(?:co|com|in|red|green)|supabase-api\.com)$/;

function check(desired: DesiredSection): CheckFinding[] {
  const findings: CheckFinding[] = [];
  const { custom_hostname: host, vanity_subdomain: vanity } = desired.values;
  if (typeof host === 'string') {
    if (!HOSTNAME.test(host)) {
      findings.push({ severity: 'error', path: ['custom_hostname'], message: 'must be a hostname in lower case with at least two labels, e.g. api.example.com' });
    } else if (SUPABASE_DOMAIN.test(host)) {
      findings.push({ severity: 'error', path: ['custom_hostname'], message: 'is a Supabase domain: use vanity_subdomain for a subdomain of supabase.co' });
    }
  }
  if (typeof vanity === 'string' && !LABEL.test(vanity)) {
    findings.push({ severity: 'error', path: ['vanity_subdomain'], message: 'must be one DNS label in lower case: letters, digits and inner hyphens (acme for acme.supabase.co)' });
  }
  if (typeof host === 'string' && typeof vanity === 'string') {
    findings.push({ severity: 'error', path: ['vanity_subdomain'], message: 'a project uses a custom hostname or a vanity subdomain, not both' });
  }
  return findings;
}

const base = (ref: string) => `/v1/projects/${ref}`;

/** The DNS records an answer asks for: the CNAME to the project, then the TXT records of the checks. */
function recordsOf(answer: HostnameAnswer, hostname: string): DnsRecord[] {
  const result = answer.data?.result;
  const records: DnsRecord[] = [];
  if (result?.custom_origin_server) records.push({ type: 'CNAME', name: hostname, value: result.custom_origin_server });
  const own = result?.ownership_verification;
  if (own?.name && own.value) records.push({ type: 'TXT', name: own.name, value: own.value });
  for (const r of result?.ssl?.validation_records ?? []) if (r.txt_name && r.txt_value) records.push({ type: 'TXT', name: r.txt_name, value: r.txt_value });
  return records;
}

const describeRecords = (records: readonly DnsRecord[]): string =>
  records.map((r) => (r.type === 'CNAME' ? `CNAME ${r.name} → ${r.value}` : `TXT ${r.name} "${r.value}"`)).join('; ');

const STATUS_WORDS: Record<Exclude<HostnameStatus, '2_initiated' | typeof ACTIVE>, string> = {
  '3_challenge_verified': 'has its DNS records verified; its certificate and origin are being set up',
  '4_origin_setup_completed': 'is ready to be activated',
};

function waitingForDns(hostname: string, records: readonly DnsRecord[]): string {
  return `custom hostname ${hostname} waits for its DNS records${records.length ? `: ${describeRecords(records)}` : ''}; once they are in place, a later apply (or the daemon's next sweep) verifies and activates it`;
}

/** After reverify: go on once DNS is verified; wait (not fail) while it is not. */
const afterReverify =
  (hostname: string) =>
  (answer: unknown): StepVerdict | undefined => {
    const a = (answer ?? {}) as HostnameAnswer;
    if (a.status === '2_initiated') return { wait: waitingForDns(hostname, recordsOf(a, hostname)) };
    if (a.status === '3_challenge_verified' || a.status === '4_origin_setup_completed' || a.status === ACTIVE) return undefined;
    return { fail: `custom hostname ${hostname} is not set up (the API answered status ${String(a.status)})` };
  };

/** Before activate: the certificate and origin must be ready. */
const beforeActivate =
  (hostname: string) =>
  (answer: unknown): StepVerdict | undefined => {
    const a = (answer ?? {}) as HostnameAnswer;
    if (a.status === '4_origin_setup_completed' || a.status === ACTIVE) return undefined;
    if (a.status === '3_challenge_verified') {
      return { wait: `custom hostname ${hostname} has its DNS records verified; its certificate and origin are being set up, and a later apply (or the daemon's next sweep) activates it` };
    }
    if (a.status === '2_initiated') return { wait: waitingForDns(hostname, recordsOf(a, hostname)) };
    return { fail: `custom hostname ${hostname} is not set up (the API answered status ${String(a.status)})` };
  };

/** The steps from a status to active, each one judged by its answer. */
function stepsFrom(ref: string, status: HostnameStatus | 'none', hostname: string): ApiRequest[] {
  const path = `${base(ref)}/custom-hostname`;
  const steps: ApiRequest[] = [];
  // Initialize starts a setup (new DNS values): not sent again blindly after a failure of unknown effect.
  if (status === 'none') steps.push({ method: 'POST', path: `${path}/initialize`, body: { custom_hostname: hostname }, idempotent: false });
  if (status === 'none' || status === '2_initiated') steps.push({ method: 'POST', path: `${path}/reverify`, idempotent: true, check: afterReverify(hostname) });
  if (status !== '4_origin_setup_completed') steps.push({ method: 'GET', path, check: beforeActivate(hostname) });
  steps.push({ method: 'POST', path: `${path}/activate`, idempotent: true });
  return steps;
}

function readHostname(answer: HostnameAnswer): LiveHostname | null {
  const status = answer.status;
  const name = answer.custom_hostname ?? '';
  if (!name || (status !== '2_initiated' && status !== '3_challenge_verified' && status !== '4_origin_setup_completed' && status !== ACTIVE)) return null;
  // Once active, the answer lists no checks; the CNAME is what keeps it working, and stays listed.
  return { name, status, records: recordsOf(answer, name) };
}

const located = (desired: DesiredSection, key: string, message: string) =>
  new ConfigError([{ location: desired.locate([key]), path: `${SECTION}.${key}`, message }]);

export const customDomainProvider: Provider<CustomDomainLive> = {
  section: SECTION,
  schema,
  risks,
  check,
  async read(client: ApiClient, ref: string): Promise<CustomDomainLive> {
    const [hostname, vanity] = await readAll<[HostnameAnswer, { status?: string; custom_domain?: string }]>([
      client.get<HostnameAnswer>(`${base(ref)}/custom-hostname`).catch((err: unknown) => {
        // No hostname configured: some answers are a 404 rather than `1_not_started`.
        if (err instanceof ApiError && err.status === 404) return {} as HostnameAnswer;
        throw err;
      }),
      client.get<{ status?: string; custom_domain?: string }>(`${base(ref)}/vanity-subdomain`),
    ]);
    const domain = vanity?.status === 'active' ? (vanity.custom_domain ?? '') : '';
    return { hostname: readHostname(hostname ?? {}), vanity: domain ? (domain.split('.')[0] ?? null) : null };
  },
  diff({ ref, desired, live }: DiffInput<CustomDomainLive>): SectionDiff {
    const changes: Change[] = [];
    const notes: string[] = [];
    const removals: ApiRequest[] = [];
    const steps: ApiRequest[] = [];
    const host = desired.values.custom_hostname as string | null | undefined;
    const vanity = desired.values.vanity_subdomain as string | null | undefined;
    const hostHidden = fromFileAtOrBelow(desired.fromFile, ['custom_hostname']);
    const vanityHidden = fromFileAtOrBelow(desired.fromFile, ['vanity_subdomain']);
    const current = live.hostname;
    const hostnameGoes = current !== null && (host === null || (typeof host === 'string' && host !== current.name && current.status === ACTIVE));
    const vanityGoes = live.vanity !== null && (vanity === null || (typeof vanity === 'string' && vanity !== live.vanity));

    // Removals first: a project uses one or the other, so removing one makes room for the other.
    if (hostnameGoes) {
      changes.push({ path: 'custom_hostname', item: current.name, action: 'delete', before: current.name, sensitive: hostHidden });
      removals.push({ method: 'DELETE', path: `${base(ref)}/custom-hostname` });
    }
    if (vanityGoes) {
      changes.push({ path: 'vanity_subdomain', item: live.vanity!, action: 'delete', before: live.vanity, sensitive: vanityHidden });
      removals.push({ method: 'DELETE', path: `${base(ref)}/vanity-subdomain` });
    }

    if (typeof vanity === 'string' && vanity !== live.vanity) {
      if (current?.status === ACTIVE && !hostnameGoes) {
        throw located(desired, 'vanity_subdomain', `custom hostname ${current.name} is active on this project, which uses one or the other: set custom_hostname: null to remove it`);
      }
      changes.push({ path: 'vanity_subdomain', item: vanity, action: 'create', after: vanity, sensitive: vanityHidden });
      steps.push(
        {
          method: 'POST',
          path: `${base(ref)}/vanity-subdomain/check-availability`,
          body: { vanity_subdomain: vanity },
          idempotent: true,
          check: (answer) =>
            (answer as { available?: boolean } | undefined)?.available === true
              ? undefined
              : { fail: `vanity subdomain ${vanity} is not available (another project uses it, or it is reserved)` },
        },
        { method: 'POST', path: `${base(ref)}/vanity-subdomain/activate`, body: { vanity_subdomain: vanity }, idempotent: true },
      );
    }

    if (typeof host === 'string') {
      if (live.vanity !== null && !vanityGoes) {
        throw located(desired, 'custom_hostname', `vanity subdomain ${live.vanity} is active on this project, which uses one or the other: set vanity_subdomain: null to remove it`);
      }
      if (!current || current.name !== host) {
        if (current && !hostnameGoes) {
          // Not active yet: initializing the new name replaces the setup of the old one.
          changes.push({ path: 'custom_hostname', action: 'update', before: current.name, after: host, sensitive: hostHidden });
        } else {
          changes.push({ path: 'custom_hostname', item: host, action: 'create', after: host, sensitive: hostHidden });
        }
        notes.push(`custom hostname ${host}: once initialized, the API asks for DNS records; apply prints them, and so does every plan until they are in place`);
        steps.push(...stepsFrom(ref, 'none', host));
      } else if (current.status !== ACTIVE) {
        changes.push({ path: 'custom_hostname.status', action: 'update', before: current.status, after: ACTIVE, sensitive: hostHidden });
        notes.push(
          current.status === '2_initiated'
            ? waitingForDns(host, current.records)
            : `custom hostname ${host} ${STATUS_WORDS[current.status]}; apply activates it${current.status === '3_challenge_verified' ? ' once that is done' : ''}`,
        );
        steps.push(...stepsFrom(ref, current.status, host));
      }
    }
    // The state machine's steps last: they may stop to wait.
    return { changes, notes, requests: [...removals, ...steps] };
  },
  export(live) {
    const values: Record<string, JsonValue> = {};
    if (live.hostname) values.custom_hostname = live.hostname.name;
    else if (live.vanity) values.vanity_subdomain = live.vanity;
    // Nothing to write for a project without a custom domain, `--all` or not (null would mean "remove").
    return Object.keys(values).length ? { values, variables: [] } : undefined;
  },
};
