/**
 * network_restrictions — GET /network-restrictions; applied with POST /network-restrictions/apply,
 * which replaces both lists, so both are always sent: a list the YAML leaves out is sent back
 * exactly as it was read. Lists compare as sets of canonical CIDRs. An empty list denies every
 * client of that family.
 *
 * The spec requires neither list in the answer. A list the YAML leaves out and the answer lacks
 * cannot be sent back, and sending `[]` in its place would deny that whole IP family without the
 * YAML ever mentioning it: such a write is refused (a section error), nothing is sent.
 */
import ipaddr from 'ipaddr.js';
import type { ApiClient, Schemas } from '../api/types.js';
import { fromFileAtOrBelow } from '../config/from-file.js';
import type { DesiredSection } from '../config/types.js';
import { SupasyncError, UnsupportedError } from '../errors.js';
import type { Change } from '../reconcile/types.js';
import { asList, type RiskRule } from './risk.js';
import type { CheckFinding, DiffInput, Provider, SectionDiff, SectionSchema } from './types.js';

const V4 = 'dbAllowedCidrs';
const V6 = 'dbAllowedCidrsV6';
const LISTS = [
  { field: V4, kind: 'ipv4' },
  { field: V6, kind: 'ipv6' },
] as const;

type ListField = typeof V4 | typeof V6;

interface NetworkLive {
  /** Canonical CIDRs, sorted, for comparing; undefined when the answer did not hold the list. */
  [V4]: string[] | undefined;
  [V6]: string[] | undefined;
  /** The lists exactly as the API answered them: what an unmanaged list is sent back as. */
  asRead: Partial<Record<ListField, string[]>>;
  status: string;
}

/** The live state lacks what a write needs: nothing is written. */
class IncompleteLiveState extends SupasyncError {
  readonly code = 'E_LIVE_INCOMPLETE';
}

/** `error` says what is wrong without quoting the input (which may be read from a file). */
type Parsed = { canonical: string; kind: 'ipv4' | 'ipv6'; range: string } | { error: string };

/**
 * An IPv4 address must be four decimal parts without leading zeros. ipaddr.js also reads the
 * inet_aton forms (`010.0.0.0` octal = 8.0.0.0, `0x7f.1`, `127.1`, `2130706433`), which would quietly
 * admit a different, public network than the one meant.
 */
function strictIpv4(address: string): boolean {
  if (!address.includes(':')) return ipaddr.IPv4.isValidFourPartDecimal(address);
  // IPv6 with an embedded IPv4 tail (::ffff:1.2.3.4): the tail follows the same rule.
  const tail = address.slice(address.lastIndexOf(':') + 1);
  return !tail.includes('.') || ipaddr.IPv4.isValidFourPartDecimal(tail);
}

/** Parses `addr/len` (a bare address counts as a single host) into its canonical network form. */
export function parseCidr(input: string): Parsed {
  const text = input.trim();
  // ipaddr.js accepts an IPv6 zone index (fe80::1%eth0); it means nothing to a server's allow list.
  if (text.includes('%')) return { error: 'is not a CIDR (a zone index such as %eth0 has no meaning here)' };
  if (!strictIpv4(text.split('/')[0] ?? '')) {
    return { error: 'is not a CIDR (expected e.g. 203.0.113.0/24 or 2001:db8::/32; IPv4 addresses are four decimal numbers)' };
  }
  const withLen = text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`;
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(withLen);
  } catch {
    return { error: 'is not a CIDR (expected e.g. 203.0.113.0/24 or 2001:db8::/32)' };
  }
  const [addr, len] = parsed;
  const kind = addr.kind();
  const network =
    kind === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(withLen) : ipaddr.IPv6.networkAddressFromCIDR(withLen);
  // toString() gives the compressed form (RFC 5952 for IPv6), so equal networks print alike.
  const canonical = `${network.toString()}/${len}`;
  return { canonical, kind, range: addr.range() };
}

function canonicalList(list: readonly string[]): string[] {
  const out = new Set<string>();
  for (const item of list) {
    const p = parseCidr(item);
    out.add('error' in p ? item.trim() : p.canonical);
  }
  return [...out].sort();
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

const PRIVATE_RANGES = new Set(['private', 'loopback', 'linkLocal', 'uniqueLocal', 'carrierGradeNat']);

function check(desired: DesiredSection): CheckFinding[] {
  const findings: CheckFinding[] = [];
  for (const { field, kind } of LISTS) {
    const list = desired.values[field];
    if (!Array.isArray(list)) continue;
    list.forEach((item: unknown, i) => {
      const p = parseCidr(String(item));
      const at = [field, i];
      if ('error' in p) return findings.push({ severity: 'error', path: at, message: (quote) => `${quote(item)} ${p.error}` });
      if (p.kind !== kind) {
        return findings.push({
          severity: 'error',
          path: at,
          message: (quote) => `${quote(item)} is an ${p.kind === 'ipv4' ? 'IPv4' : 'IPv6'} range; put it in ${p.kind === 'ipv4' ? V4 : V6}`,
        });
      }
      if (p.canonical !== String(item).trim() && String(item).includes('/')) {
        findings.push({
          severity: 'warning',
          path: at,
          // The canonical form is derived from the value: shown only when the value may be.
          message: (quote) => `${quote(item)} is not in canonical form${quote.hidden ? ' (host bits set)' : `; it means ${p.canonical}`}`,
        });
      }
      if (PRIVATE_RANGES.has(p.range)) {
        findings.push({
          severity: 'warning',
          path: at,
          message: (quote) => `${quote(item)} is a ${p.range} range: clients reach the database over the internet, so it admits no one`,
        });
      }
      return undefined;
    });
  }
  return findings;
}

const schema: SectionSchema = {
  description:
    'Allowed client CIDRs for the database (fields of NetworkRestrictionsRequest). Applied by replacing both ' +
    'lists; an empty list denies every client of that IP family.',
  body: { $body: 'NetworkRestrictionsRequest' },
};

const SECTION = 'network_restrictions';
const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);

const risks: readonly RiskRule[] = [
  {
    id: `${SECTION}.emptied`,
    section: SECTION,
    description: 'a network-restrictions list becoming empty (denies every client of that IP family)',
    // A list the API did not answer (before: null) may not have been empty: emptying it counts too.
    test: (c) =>
      asList(c.after).length === 0 && (c.before === null || asList(c.before).length > 0)
        ? `empties ${c.path}: every client of that IP family is denied`
        : undefined,
  },
  {
    id: `${SECTION}.opened`,
    section: SECTION,
    description: 'a network-restrictions list gaining `0.0.0.0/0` or `::/0` (opens the database to everyone)',
    test: (c) => {
      const before = new Set(asList(c.before));
      const opened = asList(c.after).filter((cidr) => OPEN_CIDRS.has(cidr) && !before.has(cidr));
      return opened.length ? `adds ${opened.join(', ')} to ${c.path}: the database accepts every address` : undefined;
    },
  },
];

/** A new project admits every address. */
const NEW_PROJECT = { [V4]: ['0.0.0.0/0'], [V6]: ['::/0'] };

const base = (ref: string) => `/v1/projects/${ref}/network-restrictions`;

export const networkRestrictionsProvider: Provider<NetworkLive> = {
  section: SECTION,
  schema,
  risks,
  check,
  async read(client: ApiClient, ref: string): Promise<NetworkLive> {
    const res = await client.get<Schemas['NetworkRestrictionsResponse']>(base(ref));
    if (res.entitlement === 'disallowed') {
      throw new UnsupportedError(
        `network restrictions are not available for project ${ref} on its current plan (entitlement: disallowed)`,
      );
    }
    const v4 = res.config?.dbAllowedCidrs;
    const v6 = res.config?.dbAllowedCidrsV6;
    return {
      [V4]: v4 && canonicalList(v4),
      [V6]: v6 && canonicalList(v6),
      asRead: { ...(v4 ? { [V4]: v4 } : {}), ...(v6 ? { [V6]: v6 } : {}) },
      status: res.status,
    };
  },
  diff({ ref, desired, live }: DiffInput<NetworkLive>): SectionDiff {
    const changes: Change[] = [];
    const body: Record<string, string[]> = {};
    const unreadable: ListField[] = [];
    for (const { field } of LISTS) {
      const want = desired.values[field];
      const have = live[field];
      if (!Array.isArray(want)) {
        const asRead = live.asRead[field];
        if (asRead) body[field] = asRead;
        else unreadable.push(field);
        continue;
      }
      const after = canonicalList(want.map(String));
      body[field] = after;
      if (have && sameSet(after, have)) continue;
      const sensitive = fromFileAtOrBelow(desired.fromFile, field);
      const before = have ?? null;
      changes.push({ path: field, action: 'update', before, after, sensitive, ...(sensitive ? { beforeSet: Boolean(have?.length) } : {}) });
    }
    const notes = live.status === 'stored' ? ['status: stored — the last change is not applied to the database yet'] : [];
    const missing = unreadable.join(' and ');
    if (changes.length && unreadable.length) {
      const family = unreadable.map((f) => (f === V6 ? 'IPv6' : 'IPv4')).join(' and ');
      throw new IncompleteLiveState(
        `not written: the API's answer has no ${missing} and the configuration does not list it; the apply call ` +
          `replaces both lists, so it would be sent empty and deny every ${family} client. List ${missing} in the ` +
          'configuration, or apply again once the API answers it',
      );
    }
    if (unreadable.length) notes.push(`the API's answer has no ${missing}: changes to this section are refused until it does, or until the configuration lists it`);
    return {
      changes,
      notes,
      requests: changes.length ? [{ method: 'POST', path: `${base(ref)}/apply`, body, idempotent: true }] : [],
    };
  },
  // A list the answer lacks is left out (unmanaged), so the export still plans back to no changes.
  export(live, ctx) {
    const values: Record<string, string[]> = {};
    for (const { field } of LISTS) if (live[field]) values[field] = live[field];
    const changed = LISTS.some(({ field }) => live[field] && !sameSet(live[field], NEW_PROJECT[field]));
    return Object.keys(values).length && (ctx.all || changed) ? { values, variables: [] } : undefined;
  },
};
