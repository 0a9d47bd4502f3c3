/**
 * Generated hostile configurations: each case is a set of files (and, for `${file:...}` cases,
 * references into a secrets directory laid out by the runner) that must be refused with exit 3,
 * located messages, no crash and no request. Generation is seeded: the same seed gives the same
 * cases, so a failure is reproducible by its index and name.
 *
 * Placeholders in file text, resolved by the runner: @SECRETS@ (the --secrets-dir), @OUTSIDE@ (a
 * directory next to it that must never be read), @ROOT@ (their parent).
 */
import fc from 'fast-check';

export const REF = 'abcdefghijklmnopqrst';

export interface HostileCase {
  category: string;
  name: string;
  /** Files of the configuration directory: text (UTF-8) or raw bytes. */
  files: Record<string, string | Uint8Array>;
  /** Pass --secrets-dir @SECRETS@. */
  secretsDir: boolean;
  /** Whether at least one message must carry file:line:col. */
  located: boolean;
  /** Symbolic links to create in the configuration directory: name → target (placeholders allowed). */
  links?: Record<string, string>;
  /** FIFOs (named pipes) to create in the configuration directory. */
  fifos?: string[];
}

const BASE = `project: ${REF}
auth:
  site_url: https://app.example.com
  jwt_exp: 3600
pooler:
  default_pool_size: 20
  pool_mode: transaction
network_restrictions:
  dbAllowedCidrs: [203.0.113.0/24]
sso:
  providers:
    - metadata_url: https://idp.example.com/saml/metadata
      domains: [example.com]
`;
const BASE_LINES = BASE.trimEnd().split('\n');

const one = (category: string, name: string, text: string | Uint8Array, more: Partial<HostileCase> = {}): HostileCase => ({
  category,
  name,
  files: { 'config.yaml': text },
  secretsDir: false,
  located: true,
  ...more,
});

function sample<T>(arb: fc.Arbitrary<T>, count: number, seed: number): T[] {
  return fc.sample(arb, { numRuns: count, seed });
}

// ---------- syntax garbage ----------

/** Tokens that break YAML wherever they stand at the start of a line of a block mapping. */
const BREAKERS = ['[', '{', ']', '}', '"unterminated', "'unterminated", '\tkey: tab', '- ', ': x', '&', '*nope', '!unknown x', '%YAML 1.2', '|x', '@at', '`tick', '{a: [}', '? ', ',', '  - : [', '}{', '"\\q"', '=: ='];
const GARBAGE = [...'[]{}:,-?&*!|>\'"%@`#\t \n\\=~'.split(''), 'a', 'b', '1', ': ', '- '];

function syntax(count: number, seed: number): HostileCase[] {
  const arb = fc.record({
    line: fc.integer({ min: 1, max: BASE_LINES.length - 1 }),
    breaker: fc.constantFrom(...BREAKERS),
    garbage: fc.string({ unit: fc.constantFrom(...GARBAGE), maxLength: 40 }),
    keepIndent: fc.boolean(),
  });
  return sample(arb, count, seed).map(({ line, breaker, garbage, keepIndent }, i) => {
    const lines = [...BASE_LINES];
    const indent = keepIndent ? (/^\s*/.exec(lines[line]!)?.[0] ?? '') : '';
    lines.splice(line, 0, `${indent}${breaker}${garbage.replace(/\n/g, ' ')}`);
    return one('syntax garbage', `#${i} "${breaker}" at line ${line + 1}`, `${lines.join('\n')}\n`);
  });
}

// ---------- deep nesting ----------

function nesting(count: number, seed: number): HostileCase[] {
  const arb = fc.record({
    style: fc.constantFrom('block-map', 'block-seq', 'flow-seq', 'flow-map', 'mixed-flow'),
    depth: fc.oneof(fc.integer({ min: 33, max: 60 }), fc.constantFrom(100, 1_000, 10_000, 50_000)),
    where: fc.constantFrom('top', 'auth', 'unknown'),
  });
  return sample(arb, count, seed).map(({ style, depth, where }, i) => {
    let nested: string;
    switch (style) {
      case 'block-map': {
        const d = Math.min(depth, 400); // indentation grows quadratically
        nested = Array.from({ length: d }, (_, k) => `${'  '.repeat(k + 1)}k${k}:`).join('\n') + ` 1`;
        return one('deep nesting', `#${i} block mapping, depth ${d}, under ${where}`, `project: ${REF}\n${where === 'auth' ? 'auth' : 'deep'}:\n${nested}\n`);
      }
      case 'block-seq':
        nested = `${'- '.repeat(Math.min(depth, 5_000))}x`;
        break;
      case 'flow-seq':
        nested = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
        break;
      case 'flow-map':
        nested = `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`;
        break;
      default:
        nested = `${'[{a: '.repeat(Math.ceil(depth / 2))}1${'}]'.repeat(Math.ceil(depth / 2))}`;
    }
    const block = nested.startsWith('- ');
    const text =
      where === 'top'
        ? `${nested}\n`
        : where === 'auth'
          ? `project: ${REF}\nauth:\n  site_url: ${block ? `\n    ${nested}` : nested}\n`
          : `project: ${REF}\nunknown_section: ${block ? `\n  ${nested}` : nested}\n`;
    return one('deep nesting', `#${i} ${style}, depth ${depth}, under ${where}`, text);
  });
}

// ---------- huge strings ----------

function huge(count: number, seed: number): HostileCase[] {
  const arb = fc.record({
    size: fc.constantFrom(20_000, 100_000, 400_000, 1_100_000),
    place: fc.constantFrom(
      'unknown key value', 'pool_mode', 'jwt_exp digits', 'project ref', 'cidr', 'domain', 'http metadata_url', 'secret name',
      'allow_risky entry', 'quoted key', 'env name', 'file path', 'comment + bad type', 'flow key',
    ),
    char: fc.constantFrom('a', '9', 'é', '€', '𝔘', ' '),
  });
  return sample(arb, count, seed).map(({ size, place, char }, i) => {
    const big = char.repeat(Math.max(1, Math.floor(size / Buffer.byteLength(char))));
    const q = JSON.stringify(big);
    const digits = '9'.repeat(Math.min(size, 50_000));
    const lower = 'a'.repeat(size);
    const bodies: Record<string, string> = {
      'unknown key value': `auth:\n  no_such_key: ${q}\n`,
      pool_mode: `pooler:\n  pool_mode: ${q}\n`,
      'jwt_exp digits': `auth:\n  jwt_exp: ${digits}\n`,
      'project ref': '',
      cidr: `network_restrictions:\n  dbAllowedCidrs: [${q}]\n`,
      domain: `sso:\n  providers:\n    - metadata_url: https://idp.example.com/m\n      domains: [${q}]\n`,
      'http metadata_url': `sso:\n  providers:\n    - metadata_url: ${JSON.stringify(`http://idp.example.com/${big}`)}\n`,
      'secret name': `secrets:\n  values:\n    ${JSON.stringify(`K${lower}`)}: "\${X:-v}"\n`,
      'allow_risky entry': `allow_risky: [${q}]\n`,
      'quoted key': `auth:\n  ${q}: 1\n`,
      'env name': `auth:\n  smtp_pass: "\${${'A'.repeat(size)}}"\n`,
      'file path': `auth:\n  smtp_pass: "\${file:/${lower}}"\n`,
      'comment + bad type': `# ${big.replace(/\n/g, ' ')}\nauth:\n  jwt_exp: soon\n`,
      'flow key': `auth: {${q}: 1}\n`,
    };
    const head = place === 'project ref' ? `project: ${lower}\n` : `project: ${REF}\n`;
    return one('huge strings', `#${i} ${size} bytes of ${JSON.stringify(char)} in ${place}`, head + bodies[place]!);
  });
}

// ---------- alias bombs ----------

function aliases(count: number, seed: number): HostileCase[] {
  const arb = fc.record({
    kind: fc.constantFrom('laughs', 'many', 'undefined', 'forward', 'merge', 'self'),
    width: fc.integer({ min: 2, max: 10 }),
    depth: fc.integer({ min: 3, max: 9 }),
    n: fc.integer({ min: 101, max: 2_000 }),
  });
  return sample(arb, count, seed).map(({ kind, width, depth, n }, i) => {
    let body: string;
    switch (kind) {
      case 'laughs': {
        const lines = ['a0: &a0 "lol"'];
        for (let k = 1; k <= depth; k++) lines.push(`a${k}: &a${k} [${Array.from({ length: width }, () => `*a${k - 1}`).join(', ')}]`);
        body = `${lines.join('\n')}\nauth:\n  site_url: *a${depth}\n`;
        break;
      }
      case 'many':
        body = `x: &x 1\nlist: [${Array.from({ length: n }, () => '*x').join(', ')}]\n`;
        break;
      case 'undefined':
        body = `auth:\n  site_url: *nowhere${n}\n`;
        break;
      case 'forward':
        body = `auth:\n  site_url: *later\nother: &later https://x.example.com\n`;
        break;
      case 'merge':
        body = `base: &base {site_url: https://x.example.com}\nauth:\n  <<: *base\n`;
        break;
      default:
        body = `auth: &self\n  site_url: https://x.example.com\n  again: *self\n`;
    }
    return one('alias bombs', `#${i} ${kind} (width ${width}, depth ${depth}, n ${n})`, `project: ${REF}\n${body}`);
  });
}

// ---------- wrong types and unknown keys ----------

const WRONG: Array<[string, string[]]> = [
  ['project', ['123', 'true', '[a]', '{a: 1}', 'null', '""', 'ABCDEFGHIJKLMNOPQRST', 'abc', 'abcdefghijklmnopqrs1', 'abcdefghijklmnopqrstu']],
  ['auth.jwt_exp', ['"abc"', 'true', '[1]', '{a: 1}', '1.5', '-1', '604801', '1h', '.inf', '.nan', '0x1G']],
  ['auth.site_url', ['123', '[a]', '{a: 1}', 'true', '"a,b"', '""']],
  ['auth.disable_signup', ['"yes"', 'yes', '1', '[true]', '"true"', '{}']],
  ['auth.password_required_characters', ['weak', '1', '[none]', '"NONE"']],
  ['auth.uri_allow_list', ['1', '[1]', '[[a]]', '{a: 1}', '["a,b"]', 'true']],
  ['auth.smtp_port', ['true', '[587]', '{p: 1}']],
  ['auth.password_min_length', ['5', '32768', '"8"', '8.5']],
  ['auth.site_urll', ['https://x.example.com']],
  ['auth.jwt_expiry', ['3600']],
  ['auth.SITE_URL', ['https://x.example.com']],
  ['pooler.default_pool_size', ['-1', '3001', 'ten', '1.5', '[]']],
  ['pooler.pool_mode', ['statement', '1', '[transaction]', 'Transaction']],
  ['pooler.max_client_conn', ['100']],
  ['postgres.max_connections', ['0', '"100"', 'true', '262144']],
  // A whole number is a valid duration (in the parameter's unit); a fraction given as a YAML number is not.
  ['postgres.statement_timeout', ['10 seconds', '10.5', 'abc', '"-"', '5 min', '10S', 'true']],
  ['postgres.work_mem', ['lots', '4mb', '1 GB', '64KB', '1.5', '[4MB]', '10s']],
  ['postgres.shared_bufers', ['256MB']],
  ['network_restrictions.dbAllowedCidrs', ['"1.2.3.4/32"', '[1]', '{a: 1}', '[[]]', 'true']],
  ['network_restrictions.dbAllowedCidrsV4', ['[1.2.3.4/32]']],
  ['sso.providers', ['{}', 'x', '[1]', '[{}]', '[{metadata_url: https://x.example.com/m, metadata_xml: "<x/>"}]', '[{metadata_url: https://x.example.com/m, domains: a.com}]', '[{metadata_url: https://x.example.com/m, domains: ["not a domain"]}]', '[{metadata_url: https://x.example.com/m, type: saml}]', '[{metadata_url: https://a.example.com/m, domains: [x.com]}, {metadata_url: https://b.example.com/m, domains: [x.com]}]']],
  ['sso.prune', ['"yes"', '1']],
  ['postgrest.max_rows', ['-1', 'many', '1000001']],
  ['postgrest.db_schema', ['5', '[1]', '{a: 1}']],
  ['postgrest.jwt_secret', ['abc']],
  ['ssl_enforcement.database', ['"yes"', '1', '[true]']],
  ['ssl_enforcement.enabled', ['true']],
  ['secrets.values', ['{SUPABASE_URL: x}', '{1BAD: x}', '{A: 1}', '[a]', '"x"', '{"A B": x}', '{"": x}']],
  ['secrets.prune', ['"no"']],
  ['auth.mode', ['enforced', '1', 'OBSERVE']],
  ['allow_risky', ['auth', '[nonsense]', '[auth.nokey]', '[1]', '[netwrk_restrictions]', '{auth: true}']],
  ['auth', ['[]', 'x', '1', 'true']],
  ['postgres', ['true', '[max_connections: 10]']],
  ['authentication', ['{site_url: x}']],
  ['storage_config', ['{fileSizeLimit: 1}']],
  ['storage.fileSizeLimit', ['"50MB"', '-1', '1.5', '536870912001']],
  ['storage.features', ['{s3Protocol: {enabled: "yes"}}', '{nosuch: {enabled: true}}', '[]', '{icebergCatalog: {maxTables: -1}}']],
  ['storage.external', ['{upstreamTarget: canary}']],
  ['realtime.private_only', ['"no"', '1']],
  ['realtime.max_concurrent_users', ['0', '50001', 'many']],
  ['backups.schedule_for', ['4am', '24:00:00', '"4:00:00"', '1']],
  ['api_keys.legacy_enabled', ['"no"', '1']],
  ['api_keys.keys', ['{}', '[{type: secret}]', '[{type: legacy, name: anon_key}]', '[{type: secret, name: "Bad Name"}]', '[{type: secret, name: ab}]', '[{type: secret, name: dup_key}, {type: secret, name: dup_key}]', '[{type: publishable, name: web_key, secret_jwt_template: {role: anon}}]', '[{type: secret, name: ci_key, api_key: sb_secret_x}]']],
  ['signing_keys.standby', ['ES512', 'true', '[ES256]']],
  ['signing_keys.in_use', ['none', 'es256']],
  ['signing_keys.revoke', ['[not-a-uuid]', 'x', '[1]']],
  ['signing_keys.private_jwk', ['{kty: oct, k: c2VjcmV0}']],
  ['custom_domain.custom_hostname', ['1', '[a]', 'API.EXAMPLE.COM', 'localhost', 'x.supabase.co', '"http://api.example.com"']],
  ['custom_domain.vanity_subdomain', ['a.b', '-acme', 'Acme', '[acme]']],
  ['third_party_auth.integrations', ['{}', '[{}]', '[{oidc_issuer_url: http://x.example.com}]', '[{custom_jwks: {keys: [{kty: oct, k: c2VjcmV0}]}}]', '[{type: firebase}]']],
  ['Auth', ['{site_url: x}']],
];

/** Sets `path` (dotted) to the YAML text `value` in the base config. */
function withField(path: string, value: string): string {
  const [section, key] = path.split('.') as [string, string | undefined];
  if (section === 'project') return BASE.replace(`project: ${REF}`, `project: ${value}`);
  if (key === undefined) return `${BASE.replace(new RegExp(`^${section}:[\\s\\S]*?(?=^\\S)`, 'm'), '')}${section}: ${value}\n`;
  const lines = BASE.split('\n');
  const at = lines.findIndex((l) => l === `${section}:`);
  if (at < 0) return `${BASE}${section}:\n  ${key}: ${value}\n`;
  const existing = lines.findIndex((l, n) => n > at && l.startsWith(`  ${key}:`));
  if (existing >= 0) lines[existing] = `  ${key}: ${value}`;
  else lines.splice(at + 1, 0, `  ${key}: ${value}`);
  return lines.join('\n');
}

function wrongTypes(count: number, seed: number): HostileCase[] {
  const pairs = WRONG.flatMap(([path, values]) => values.map((v) => [path, v] as const));
  const out: HostileCase[] = pairs.map(([path, value], i) => one('wrong types', `#${i} ${path}: ${value}`, withField(path, value)));
  // Structural cases: documents of the wrong shape, duplicates, conflicts, foreign documents.
  const structural: Array<[string, Record<string, string>]> = [
    ['a list document', { 'c.yaml': `- project: ${REF}\n` }],
    ['a scalar document', { 'c.yaml': 'just text\n' }],
    ['no project key', { 'c.yaml': 'auth:\n  site_url: https://x.example.com\n' }],
    ['empty file only', { 'c.yaml': '' }],
    ['comments only', { 'c.yaml': '# nothing here\n' }],
    ['duplicate section', { 'c.yaml': `${BASE}auth:\n  jwt_exp: 7200\n` }],
    ['duplicate key', { 'c.yaml': `project: ${REF}\nauth:\n  jwt_exp: 1\n  jwt_exp: 2\n` }],
    ['same key set in two files', { 'a.yaml': `project: ${REF}\nauth:\n  jwt_exp: 1\n`, 'b.yaml': `project: ${REF}\nauth:\n  jwt_exp: 2\n` }],
    ['mode set in two files', { 'a.yaml': `project: ${REF}\nauth:\n  mode: observe\n`, 'b.yaml': `project: ${REF}\nauth:\n  mode: enforce\n` }],
    ['second document invalid', { 'c.yaml': `${BASE}---\nproject: ${REF}\npooler:\n  pool_mode: nope\n` }],
    ['Kubernetes manifest', { 'c.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' }],
    ['GitHub Actions workflow', { 'c.yaml': 'name: ci\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n' }],
    ['Compose file', { 'c.yaml': 'services:\n  db:\n    image: postgres\n' }],
    ['valid file next to an invalid one', { 'a.yaml': BASE, 'b.yaml': `project: ${REF}\npostgres:\n  max_connections: lots\n` }],
    ['complex key', { 'c.yaml': `project: ${REF}\n? [a, b]\n: 1\n` }],
    ['unknown tag', { 'c.yaml': `project: ${REF}\nauth: !!binary aGVsbG8=\n` }],
    ['custom tag', { 'c.yaml': `project: ${REF}\nauth: !secret x\n` }],
    ['set type', { 'c.yaml': `project: ${REF}\nauth: !!set {a, b}\n` }],
    ['YAML 9.9 directive', { 'c.yaml': `%YAML 9.9\n---\nproject: ${REF}\nauth:\n  disable_signup: maybe\n` }],
  ];
  structural.forEach(([name, files], i) => out.push({ category: 'wrong types', name: `structural #${i} ${name}`, files, secretsDir: false, located: name !== 'empty file only' && name !== 'comments only' }));
  // Random combinations of two or three wrong fields, up to `count`.
  const combos = sample(fc.uniqueArray(fc.integer({ min: 0, max: pairs.length - 1 }), { minLength: 2, maxLength: 3 }), Math.max(0, count - out.length), seed);
  combos.forEach((picks, i) => {
    let text = BASE;
    const names: string[] = [];
    for (const p of picks) {
      const [path, value] = pairs[p]!;
      if (path === 'project' || !path.includes('.')) continue;
      const [section, key] = path.split('.') as [string, string];
      text = text.includes(`\n${section}:\n`) ? text.replace(`\n${section}:\n`, `\n${section}:\n  ${key}: ${value}\n`) : `${text}${section}:\n  ${key}: ${value}\n`;
      names.push(`${path}: ${value}`);
    }
    if (!names.length) return;
    // A key set twice by the combination is a duplicate key: still invalid, still exit 3.
    out.push(one('wrong types', `combo #${i} ${names.join('; ')}`, text));
  });
  return out;
}

// ---------- Unicode tricks ----------

const HOMOGLYPHS: Record<string, string> = { a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', x: 'х', i: 'і', s: 'ѕ', y: 'у', l: 'ⅼ', _: '＿', t: 'τ' };
const INVISIBLE = ['\u202e', '\u202d', '\u202a', '\u2066', '\u2067', '\u2068', '\u2069', '\u200f', '\u200e', '\u061c', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad'];
const KEYS = ['project', 'auth', 'site_url', 'jwt_exp', 'pooler', 'pool_mode', 'default_pool_size', 'network_restrictions', 'dbAllowedCidrs', 'sso', 'providers', 'metadata_url', 'domains'];

function unicode(count: number, seed: number): HostileCase[] {
  const arb = fc.record({
    trick: fc.constantFrom('homoglyph key', 'invisible in key', 'homoglyph ref', 'fullwidth ref', 'invisible in ref', 'nbsp indent', 'bom + bad type', 'nul', 'invalid utf-8', 'utf-16', 'c0 control in key', 'invisible in enum', 'invisible in cidr', 'invisible in domain', 'homoglyph domain scheme', 'line separator'),
    key: fc.constantFrom(...KEYS),
    invisible: fc.constantFrom(...INVISIBLE),
    position: fc.nat(),
    control: fc.integer({ min: 1, max: 31 }).filter((c) => c !== 9 && c !== 10 && c !== 13),
    bad: fc.constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]),
  });
  return sample(arb, count, seed).map(({ trick, key, invisible, position, control, bad }, i) => {
    const name = `#${i} ${trick} (${key}, U+${invisible.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
    const keyLine = (k: string) => BASE_LINES.findIndex((l) => l.trimStart().startsWith(`${k}:`) || l.trimStart().startsWith(`- ${k}:`));
    const replaceKey = (replacement: string) => {
      const lines = [...BASE_LINES];
      const at = keyLine(key);
      lines[at] = lines[at]!.replace(`${key}:`, `${replacement}:`);
      return `${lines.join('\n')}\n`;
    };
    switch (trick) {
      case 'homoglyph key': {
        const chars = [...key];
        const spots = chars.map((c, n) => (HOMOGLYPHS[c] ? n : -1)).filter((n) => n >= 0);
        const spot = spots[position % spots.length]!;
        chars[spot] = HOMOGLYPHS[chars[spot]!]!;
        return one('Unicode tricks', name, replaceKey(chars.join('')));
      }
      case 'invisible in key': {
        const at = 1 + (position % (key.length - 1));
        return one('Unicode tricks', name, replaceKey(key.slice(0, at) + invisible + key.slice(at)));
      }
      case 'homoglyph ref':
        return one('Unicode tricks', name, BASE.replace(`project: ${REF}`, `project: ${REF.replace(['a', 'c', 'e', 'o', 'p', 's'][position % 6]!, (c) => HOMOGLYPHS[c]!)}`));
      case 'fullwidth ref':
        return one('Unicode tricks', name, BASE.replace(`project: ${REF}`, `project: ${[...REF].map((c, n) => (n === position % 20 ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c)).join('')}`));
      case 'invisible in ref':
        return one('Unicode tricks', name, BASE.replace(`project: ${REF}`, `project: ${REF.slice(0, 10)}${invisible}${REF.slice(10)}`));
      case 'nbsp indent':
        return one('Unicode tricks', name, BASE.replace('  site_url:', '\u00a0\u00a0site_url:'));
      case 'bom + bad type':
        return one('Unicode tricks', name, `\ufeff${BASE.replace('jwt_exp: 3600', 'jwt_exp: "3600s"')}`);
      case 'nul': {
        const bytes = Buffer.from(BASE);
        const at = position % bytes.length;
        return one('Unicode tricks', name, Buffer.concat([bytes.subarray(0, at), Buffer.from([0]), bytes.subarray(at)]));
      }
      case 'invalid utf-8': {
        const bytes = Buffer.from(BASE);
        const at = position % bytes.length;
        return one('Unicode tricks', `${name} bytes ${bad.map((b) => b.toString(16)).join(' ')}`, Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]));
      }
      case 'utf-16':
        return one('Unicode tricks', name, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BASE, 'utf16le')]));
      case 'c0 control in key':
        return one('Unicode tricks', `${name} \\x${control.toString(16)}`, replaceKey(key.slice(0, 1) + String.fromCharCode(control) + key.slice(1)));
      case 'invisible in enum':
        return one('Unicode tricks', name, BASE.replace('pool_mode: transaction', `pool_mode: "transac${invisible}tion"`));
      case 'invisible in cidr':
        return one('Unicode tricks', name, BASE.replace('[203.0.113.0/24]', `["203.0.113.0${invisible}/24"]`));
      case 'invisible in domain':
        return one('Unicode tricks', name, BASE.replace('domains: [example.com]', `domains: ["exam${invisible}ple.com"]`));
      case 'homoglyph domain scheme':
        return one('Unicode tricks', name, BASE.replace('https://idp.example.com', `httр${'s'}://idp.example.com`));
      default:
        return one('Unicode tricks', name, BASE.replace('jwt_exp: 3600', 'jwt_exp: 3600\u2028  pool: 1'));
    }
  });
}

// ---------- ${file:...} outside the secrets directories ----------

const FILE_PATHS: Array<[string, boolean]> = [
  ['/etc/passwd', true],
  ['/etc/hostname', true],
  ['/proc/self/environ', true],
  ['relative/secret', true],
  ['./secret', true],
  ['~/.ssh/id_rsa', true],
  ['@SECRETS@/../outside/outside.txt', true],
  ['@SECRETS@/./../outside/outside.txt', true],
  ['@SECRETS@/sub/../../outside/outside.txt', true],
  ['@SECRETS@/missing', true],
  ['@SECRETS@/link-out', true],
  ['@SECRETS@/dir', true],
  ['@SECRETS@/big', true],
  ['@SECRETS@/binary', true],
  ['@SECRETS@/latin1', true],
  ['@OUTSIDE@/outside.txt', true],
  ['@SECRETS@', true],
  ['@SECRETS@/', true],
  ['@SECRETS@-evil/stolen', true],
  ['//etc/passwd', true],
  ['/etc/../etc/passwd', true],
  ['@SECRETS@/%2e%2e/outside/outside.txt', true],
  ['@SECRETS@\\..\\outside\\outside.txt', true],
  ['', true],
  ['@SECRETS@/ok', false],
  ['@SECRETS@/../secrets/ok', true],
];
const FILE_FIELDS = [
  (ref: string) => `auth:\n  smtp_pass: "${ref}"\n`,
  (ref: string) => `auth:\n  site_url: "${ref}"\n`,
  (ref: string) => `secrets:\n  values:\n    API_KEY: "${ref}"\n`,
  (ref: string) => `sso:\n  providers:\n    - metadata_xml: "${ref}"\n      domains: [example.com]\n`,
  (ref: string) => `network_restrictions:\n  dbAllowedCidrs: ["${ref}"]\n`,
  (ref: string) => `postgres:\n  statement_timeout: "${ref}"\n`,
];

function fileRefs(): HostileCase[] {
  const out: HostileCase[] = [];
  FILE_PATHS.forEach(([path, withDir], p) => {
    FILE_FIELDS.forEach((field, f) => {
      out.push({
        category: '${file:} escapes',
        name: `#${p}.${f} \${file:${path}}${withDir ? '' : ' without --secrets-dir'}`,
        files: { 'config.yaml': `project: ${REF}\n${field(`\${file:${path}}`)}` },
        secretsDir: withDir,
        located: true,
      });
    });
  });
  // Nested and malformed references.
  const odd = ['${file:${file:/etc/passwd}}', '${file:/etc/passwd', '${FILE:/etc/passwd}', '${file:@SECRETS@/ok}${file:/etc/passwd}', '${UNSET_VARIABLE_FOR_TEST}', '${1BAD}', '${A:?err}', '${}', '${ A }'];
  odd.forEach((ref, i) => out.push({ category: '${file:} escapes', name: `odd #${i} ${ref}`, files: { 'config.yaml': `project: ${REF}\nauth:\n  smtp_pass: "${ref}"\n` }, secretsDir: true, located: true }));
  return out;
}

// ---------- ${include:...} outside the configuration directory ----------

/** Include paths (relative to config.yaml in the -c directory) that must never be read. */
const INCLUDE_PATHS: Array<[string, Partial<HostileCase>]> = [
  ['/etc/passwd', {}],
  ['/proc/self/environ', {}],
  ['@OUTSIDE@/outside.txt', {}],
  ['../outside/outside.txt', {}],
  ['../../../../../../etc/passwd', {}],
  ['sub/../../outside/outside.txt', {}],
  ['./../secrets/ok', { secretsDir: true }],
  ['out.html', { links: { 'out.html': '@OUTSIDE@/outside.txt' } }],
  ['passwd.html', { links: { 'passwd.html': '/etc/passwd' } }],
  ['secret.html', { links: { 'secret.html': '@SECRETS@/ok' }, secretsDir: true }],
  ['zero.html', { links: { 'zero.html': '/dev/zero' } }],
  ['etc/passwd', { links: { etc: '/etc' } }],
  ['up/outside/outside.txt', { links: { up: '..' } }],
  ['loop.html', { links: { 'loop.html': 'loop.html' } }],
  ['pipe.html', { fifos: ['pipe.html'] }],
  ['inner-link.html', { fifos: ['pipe.fifo'], links: { 'inner-link.html': 'pipe.fifo' } }],
  ['.', {}],
  ['', {}],
  ['~/.ssh/id_rsa', {}],
  ['%2e%2e/outside/outside.txt', {}],
  ['..\\outside\\outside.txt', {}],
  ['${file:/etc/passwd}', {}],
  ['${HOME}/.ssh/id_rsa', {}],
];
const INCLUDE_FIELDS = [
  (ref: string) => `auth:\n  mailer_templates_invite_content: "${ref}"\n`,
  (ref: string) => `auth:\n  sms_template: ${ref}\n`,
  (ref: string) => `sso:\n  providers:\n    - metadata_xml: "${ref}"\n      domains: [example.com]\n`,
  (ref: string) => `secrets:\n  values:\n    API_KEY: "${ref}"\n`,
  (ref: string) => `vars:\n  v: "${ref}"\nauth:\n  site_url: "\${var:v}"\n`,
];

function includeRefs(): HostileCase[] {
  const out: HostileCase[] = [];
  INCLUDE_PATHS.forEach(([path, more], p) => {
    const field = INCLUDE_FIELDS[p % INCLUDE_FIELDS.length]!;
    out.push({
      category: '${include:} escapes',
      name: `#${p} \${include:${path}}`,
      files: { 'config.yaml': `project: ${REF}\n${field(`\${include:${path}}`)}` },
      secretsDir: false,
      located: true,
      ...more,
    });
  });
  // Mixed with other text (it must be the whole value), and at the top of the document.
  const mixed = ['x${include:ok.html}', '${include:ok.html}${include:ok.html}', '${include:ok.html', '$${include:ok.html}${include:../outside/outside.txt}'];
  mixed.forEach((value, i) =>
    out.push({
      category: '${include:} escapes',
      name: `mixed #${i} ${value}`,
      files: { 'config.yaml': `project: ${REF}\nauth:\n  sms_template: "${value}"\n`, 'ok.html': 'fine' },
      secretsDir: false,
      located: true,
    }),
  );
  return out;
}

// ---------- invalid CIDRs ----------

function cidrs(count: number, seed: number): HostileCase[] {
  const octet = fc.integer({ min: 0, max: 255 });
  const arb = fc.oneof(
    fc.tuple(octet, octet, octet, fc.integer({ min: 256, max: 99_999 }), fc.integer({ min: 0, max: 32 })).map(([a, b, c, d, l]) => ['v4', `${a}.${b}.${c}.${d}/${l}`]),
    fc.tuple(octet, octet, octet, octet, fc.integer({ min: 33, max: 999 })).map(([a, b, c, d, l]) => ['v4', `${a}.${b}.${c}.${d}/${l}`]),
    fc.tuple(octet, octet, octet).map(([a, b, c]) => ['v4', `${a}.${b}.${c}/24`]),
    fc.tuple(octet, octet, octet, octet, octet).map(([a, b, c, d, e]) => ['v4', `${a}.${b}.${c}.${d}.${e}/24`]),
    fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 129, max: 999 })).map(([h, l]) => ['v6', `2001:db8:${h.toString(16)}::/${l}`]),
    fc.tuple(octet, octet).map(([a, b]) => ['v6', `${a}.${b}.0.0/16`]),
    fc.tuple(fc.integer({ min: 0, max: 0xffff })).map(([h]) => ['v4', `2001:db8:${h.toString(16)}::/48`]),
  );
  // Every hand-picked spelling once, then generated ones.
  const fixed: Array<[string, string]> = [
    ['v4', ''], ['v4', ' '], ['v4', '/24'], ['v4', '1.2.3.4/'], ['v4', 'localhost'], ['v4', '1.2.3.4/24/8'], ['v4', '1.2.3.4/-1'],
    ['v4', '1.2.3.4/x'], ['v4', '١.٢.٣.٤/32'], ['v4', '１.２.３.４/32'], ['v4', 'any'], ['v4', '*'], ['v4', '0/0'], ['v6', 'gggg::/32'],
    ['v6', ':::/0'], ['v6', '2001:db8::/'], ['v6', 'fe80::1%eth0/64'], ['v4', '203.0.113.0 /24'], ['v4', '10.0.0.0/8,10.1.0.0/16'],
    ['v4', '010.0.0.0/8'], ['v4', '0x7f.0.0.1/32'], ['v4', '127.1/32'], ['v4', '2130706433/32'], ['v4', '1.2.3/24'], ['v4', '01.02.03.04/32'],
    ['v6', '::ffff:010.0.0.1/128'], ['v6', 'fe80::1%25eth0/64'], ['v4', '0.0.0.0/0 '.repeat(2)],
  ];
  return [...fixed, ...sample(arb, Math.max(0, count - fixed.length), seed)].map(([family, cidr], i) =>
    one('invalid CIDRs', `#${i} ${family} ${JSON.stringify(cidr)}`, `project: ${REF}\nnetwork_restrictions:\n  ${family === 'v4' ? 'dbAllowedCidrs' : 'dbAllowedCidrsV6'}: [${JSON.stringify(cidr)}]\n`),
  );
}

// ---------- plain-http and other bad metadata ----------

function metadata(count: number, seed: number): HostileCase[] {
  const host = fc.constantFrom('idp.example.com', 'login.example.org', '127.0.0.1', 'localhost', '[::1]', '169.254.169.254');
  const arb = fc.oneof(
    fc.tuple(fc.constantFrom('http', 'HTTP', 'ftp', 'file', 'javascript', 'data', 'ws', 'gopher', 'ldap'), host).map(([s, h]) => ['url', `${s}://${h}/saml/metadata`]),
  );
  const fixed: Array<[string, string]> = [
    ['url', 'https//idp.example.com/m'], ['url', '//idp.example.com/m'], ['url', 'idp.example.com/m'], ['url', 'https://'],
    ['url', ''], ['url', 'javascript:alert(1)'], ['url', 'https://idp.example.com:99999/m'], ['url', 'https://exa mple.com/m'],
    ['xml', 'not xml at all'], ['xml', '<x/>'], ['xml', '<EntityDescriptor entityID="e"/>'],
    ['xml', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><EntityDescriptor entityID="&e;"><IDPSSODescriptor/></EntityDescriptor>'],
    ['xml', '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><EntityDescriptor entityID="&lol2;"/>'],
    ['both', ''], ['neither', ''],
  ];
  return [...fixed, ...sample(arb, Math.max(0, count - fixed.length), seed)].map(([kind, value], i) => {
    const provider =
      kind === 'url' ? `metadata_url: ${JSON.stringify(value)}` : kind === 'xml' ? `metadata_xml: ${JSON.stringify(value)}` : kind === 'both' ? 'metadata_url: https://a.example.com/m\n      metadata_xml: "<x/>"' : 'name_id_format: x';
    return one('plain-http metadata', `#${i} ${kind} ${JSON.stringify(value).slice(0, 80)}`, `project: ${REF}\nsso:\n  providers:\n    - ${provider}\n      domains: [example.com]\n`);
  });
}

// ---------- the filesystem: symlinks out of the directory, FIFOs, loops ----------

/**
 * Entries a pull request can commit next to valid configuration: each must be refused at the entry
 * itself (nothing outside the -c directory read, no FIFO opened, no walk of /proc).
 */
function filesystem(): HostileCase[] {
  const fs = (name: string, more: Partial<HostileCase>): HostileCase => ({
    category: 'filesystem tricks',
    name,
    files: { 'base.yaml': BASE },
    secretsDir: false,
    located: true,
    ...more,
  });
  return [
    fs('a link to /proc', { links: { p: '/proc' } }),
    fs('a link to /etc', { links: { etc: '/etc' } }),
    fs('a link to /', { links: { root: '/' } }),
    fs('a link to the parent directory', { links: { up: '..' } }),
    fs('a YAML link to a file outside', { links: { 'stolen.yaml': '@OUTSIDE@/outside.txt' } }),
    fs('a YAML link to /etc/passwd', { links: { 'passwd.yaml': '/etc/passwd' } }),
    fs('a YAML link to /proc/self/environ', { links: { 'env.yaml': '/proc/self/environ' } }),
    fs('a YAML link to /dev/zero', { links: { 'zero.yaml': '/dev/zero' } }),
    fs('a YAML link to /dev/stdin', { links: { 'stdin.yaml': '/dev/stdin' } }),
    fs('a link through the secrets directory', { links: { 'via.yaml': '@SECRETS@/ok' } }),
    fs('a symlink loop', { links: { 'loop.yaml': 'loop.yaml' } }),
    fs('a two-link loop', { links: { 'a.yaml': 'b.yaml', 'b.yaml': 'a.yaml' } }),
    fs('a dangling YAML link', { links: { 'gone.yaml': 'nowhere.yaml' } }),
    fs('a FIFO named like configuration', { fifos: ['pipe.yaml'] }),
    fs('a FIFO as .supasyncignore', { fifos: ['.supasyncignore'] }),
    fs('a YAML link to a FIFO inside', { fifos: ['pipe.fifo'], links: { 'pipe.yaml': 'pipe.fifo' } }),
    fs('a link to /proc beside a subdirectory', {
      links: { 'sub-p': '/proc' },
      files: { 'base.yaml': BASE, 'more.yaml': `project: ${REF}\npostgres:\n  max_connections: 100\n` },
    }),
  ];
}

// ---------- names Object.prototype has ----------

const PROTOTYPE_NAMES = ['toString', '__proto__', 'constructor', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__'];
const PROTOTYPE_FIELDS = [
  (ref: string) => `auth:\n  smtp_pass: "${ref}"\n`,
  (ref: string) => `auth:\n  site_url: ${ref}\n`,
  (ref: string) => `auth:\n  jwt_exp: ${ref}\n`,
  (ref: string) => `secrets:\n  values:\n    API_KEY: "${ref}"\n`,
  (ref: string) => `network_restrictions:\n  dbAllowedCidrs: ["${ref}"]\n`,
];

/** `${NAME}` with a name every object inherits: never a value (a function's source once was). */
function prototypeNames(): HostileCase[] {
  return PROTOTYPE_NAMES.flatMap((name, n) =>
    PROTOTYPE_FIELDS.map((field, f) => one('prototype names', `#${n}.${f} \${${name}}`, `project: ${REF}\n${field(`\${${name}}`)}`)),
  );
}

// ---------- YAML 1.1, tags and keys as written ----------

const VERSIONS_TAGS_KEYS: Array<[string, string]> = [
  ['%YAML 1.1 (1:00:01 would be 3601)', `%YAML 1.1\n---\nproject: ${REF}\nauth:\n  jwt_exp: 1:00:01\n`],
  ['%YAML 1.1 (yes would be true)', `%YAML 1.1\n---\nproject: ${REF}\nauth:\n  disable_signup: yes\n`],
  ['%YAML 1.1 in a second document', `project: ${REF}\n...\n%YAML 1.1\n---\nproject: ${REF}\npooler:\n  default_pool_size: 20\n`],
  ['%YAML 1.0', `%YAML 1.0\n---\nproject: ${REF}\n`],
  ['!!binary', `project: ${REF}\nauth:\n  smtp_pass: !!binary aGVsbG8=\n`],
  ['!!timestamp', `project: ${REF}\nauth:\n  site_url: !!timestamp 2001-12-14\n`],
  ['!!set', `project: ${REF}\nauth:\n  uri_allow_list: !!set {https://a.example.com, https://b.example.com}\n`],
  ['!!omap', `project: ${REF}\nsecrets:\n  values: !!omap [A: x]\n`],
  ['!!pairs', `project: ${REF}\nsecrets:\n  values: !!pairs [A: x]\n`],
  ['custom tag', `project: ${REF}\nauth:\n  smtp_pass: !vault secret/smtp\n`],
  ['%TAG to a custom namespace', `%TAG ! tag:evil.example.com,2024:\n---\nproject: ${REF}\nauth:\n  smtp_pass: !secret x\n`],
  ['%TAG redefining !!', `%TAG !! tag:evil.example.com,2024:\n---\nproject: ${REF}\nauth:\n  site_url: !!str https://a.example.com\n`],
  ['!!float on a quoted string', `project: ${REF}\npostgres:\n  max_connections: !!float "1"\n`],
  ['!!int on a word', `project: ${REF}\npooler:\n  default_pool_size: !!int "twenty"\n`],
  ['!!bool on yes', `project: ${REF}\nauth:\n  disable_signup: !!bool "yes"\n`],
  ['a tagged key', `project: ${REF}\nauth:\n  !!int 1: x\n`],
  ['true and "true" as keys', `project: ${REF}\nsecrets:\n  values:\n    true: a\n    "true": b\n`],
  ['TRUE as a section key', `project: ${REF}\nTRUE:\n  site_url: https://a.example.com\n`],
  ['~ as a key', `project: ${REF}\nauth:\n  ~: x\n`],
  ['null as a key', `project: ${REF}\nauth:\n  null: x\n`],
  ['1.0 as a key', `project: ${REF}\npooler:\n  1.0: x\n`],
  ['0x1F as a key', `project: ${REF}\npostgres:\n  0x1F: 1\n`],
  ['yes as a key', `project: ${REF}\nauth:\n  yes: true\n`],
  ['an empty key', `project: ${REF}\nauth:\n  : x\n`],
];

function yamlVersionsAndTags(): HostileCase[] {
  return VERSIONS_TAGS_KEYS.map(([name, text], i) => one('YAML versions, tags and keys', `#${i} ${name}`, text));
}

// ---------- sizes: many keys, many values, many errors ----------

const manyLines = (count: number, line: (i: number) => string): string => Array.from({ length: count }, (_, i) => line(i)).join('\n');

/** Files near the size limit built to cost time: once quadratic or worse, now linear. */
function sizes(): HostileCase[] {
  const key = (i: number) => `k${i.toString(36)}`;
  const cases: Array<[string, string]> = [
    ['116k keys (over the value cap)', `project: ${REF}\n${manyLines(116_000, (i) => `${key(i)}: 1`)}\n`],
    ['100k+ flow items', `project: ${REF}\nauth:\n  uri_allow_list: [${Array.from({ length: 100_010 }, () => 'a').join(',')}]\n`],
    ['50k keys and one duplicate', `project: ${REF}\nauth:\n${manyLines(50_000, (i) => `  ${key(i)}: 1`)}\n  k7: 2\n`],
    ['90k unknown keys', `project: ${REF}\nauth:\n${manyLines(90_000, (i) => ` ${key(i)}: 1`)}\n`],
    [
      '30k failed alternatives',
      `project: ${REF}\nsso:\n providers:\n  - metadata_url: https://idp.example.com/m\n    attribute_mapping:\n     keys:\n${manyLines(30_000, (i) => `      ${key(i)}: {default: null}`)}\n`,
    ],
    ['60k bad list items', `project: ${REF}\nauth:\n  uri_allow_list:\n${manyLines(60_000, () => '   - a,b')}\n`],
  ];
  return cases.map(([name, text], i) => one('many keys and values', `#${i} ${name}`, text));
}

// ---------- adversarial values for every pattern and format ----------

/** About this many characters: the value, its key and the rest of the file fit the 1 MiB limit. */
const NEAR_LIMIT = 1024 * 1024 - 512;

const pump = (prefix: string, unit: string, suffix: string): string =>
  prefix + unit.repeat(Math.floor((NEAR_LIMIT - prefix.length - suffix.length) / unit.length)) + suffix;

/**
 * Values built to make a backtracking pattern explode (recheck's attack strings for the spec's
 * patterns, and pumps of each pattern's alphabet), near the size limit, for every pattern and format.
 */
function patternValues(): HostileCase[] {
  const q = JSON.stringify;
  const cases: Array<[string, string]> = [
    ['sms_test_otp, recheck attack', `project: ${REF}\nauth:\n  sms_test_otp: ${q(pump('', '0=0000000000000000=0,', '='))}\n`],
    ['sms_test_otp, digits then x', `project: ${REF}\nauth:\n  sms_test_otp: ${q(pump('1=', '1', 'x'))}\n`],
    ['sessions_tags, tabs then a comma', `project: ${REF}\nauth:\n  sessions_tags: ${q(pump('', '\t', '\t,'))}\n`],
    ['sessions_tags, tags and blanks', `project: ${REF}\nauth:\n  sessions_tags: ${q(pump('a', ' ,a', ' ,!'))}\n`],
    ['sessions_tags, dashes', `project: ${REF}\nauth:\n  sessions_tags: ${q(pump('-', '-', '!'))}\n`],
    ['secret name (propertyNames)', `project: ${REF}\nsecrets:\n  values:\n    ${q(pump('A', 'A', '-'))}: x\n`],
    ['project ref', `project: ${q(pump('', 'a', '!'))}\n`],
    ['allow_risky entry', `project: ${REF}\nallow_risky: [${q(pump('a', 'a', '.'))}]\n`],
    ['duration', `project: ${REF}\npostgres:\n  statement_timeout: ${q(pump('-', '1', 'x'))}\n`],
    ['comma-free list item', `project: ${REF}\nauth:\n  uri_allow_list: [${q(pump('', 'a', ','))}]\n`],
    ['email', `project: ${REF}\nauth:\n  smtp_admin_email: ${q(pump('a@', 'a-', '!'))}\n`],
    ['email, dotted', `project: ${REF}\nauth:\n  smtp_admin_email: ${q(pump('a@', 'a.', '!'))}\n`],
    ['date-time', `project: ${REF}\nauth:\n  sms_test_otp_valid_until: ${q(pump('2024-01-01T', '0', 'Z'))}\n`],
  ];
  return cases.map(([name, text], i) => one('adversarial pattern values', `#${i} ${name}`, text));
}

/** Every hostile case, in a fixed order. `scale` multiplies the generated counts (the soak run uses more). */
export function hostileCases(seed = 7, scale = 1): HostileCase[] {
  const n = (x: number) => Math.round(x * scale);
  return [
    ...syntax(n(160), seed),
    ...nesting(n(80), seed + 1),
    ...huge(n(60), seed + 2),
    ...aliases(n(60), seed + 3),
    ...wrongTypes(n(250), seed + 4),
    ...unicode(n(160), seed + 5),
    ...fileRefs(),
    ...includeRefs(),
    ...cidrs(n(120), seed + 6),
    ...metadata(n(60), seed + 7),
    ...filesystem(),
    ...prototypeNames(),
    ...yamlVersionsAndTags(),
    ...sizes(),
    ...patternValues(),
  ];
}
