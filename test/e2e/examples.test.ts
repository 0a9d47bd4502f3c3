/**
 * The Kubernetes and GitHub Actions examples: every file parses, every supasync command line in them
 * is one the CLI accepts (commands, flags, choices and flag values checked against the real
 * commander program), the manifests have the properties the docs promise, and the configuration
 * they ship validates.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command, Option } from 'commander';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkSchedule } from '../../src/daemon/daemon.js';
import { parseDuration } from '../../src/daemon/duration.js';
import { parseListen } from '../../src/daemon/listen.js';
import { parseShard } from '../../src/daemon/shard.js';
import { buildProgram } from '../../src/program.js';
import { MARKDOWN_MARKER } from '../../src/reconcile/render/markdown.js';
import { CLI, ROOT, runCli } from '../helpers/cli.js';
import { REF, TOKEN, startTestEmulator } from '../helpers/emulator.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- manifests are free-form YAML walked by path

const EXAMPLES = join(ROOT, 'examples');

function documents(file: string): Doc[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  return docs.map((d) => {
    expect(d.errors.map((e) => e.message), file).toEqual([]);
    return d.toJS() as Doc;
  });
}

function filesIn(dir: string): string[] {
  return readdirSync(join(EXAMPLES, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(EXAMPLES, dir, f));
}

const kube = Object.fromEntries(filesIn('kubernetes').map((f) => [f.split('/').at(-1)!, documents(f)]));
const workflows = filesIn('github-actions').map((f) => ({ file: f, doc: documents(f)[0]! }));

/** Checks a supasync argument vector against the CLI; returns the problems found. */
function cliProblems(args: readonly string[]): string[] {
  const program = buildProgram();
  const [name, ...rest] = args;
  const command = program.commands.find((c: Command) => c.name() === name || c.aliases().includes(name ?? ''));
  if (!command) return [`unknown command ${name}`];
  const problems: string[] = [];
  const seen = new Set<Option>();
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (!token.startsWith('-')) {
      problems.push(`${name}: unexpected argument ${token}`);
      continue;
    }
    const [flag, inline] = token.split(/=(.*)/s) as [string, string | undefined];
    const option = command.options.find((o: Option) => o.long === flag || o.short === flag);
    if (!option) {
      problems.push(`${name}: unknown option ${flag}`);
      continue;
    }
    seen.add(option);
    if (!option.required && !option.optional) continue; // a boolean flag
    const value = inline ?? rest[++i];
    if (value === undefined) {
      problems.push(`${name} ${flag}: missing value`);
      continue;
    }
    if (option.argChoices && !option.argChoices.includes(value)) problems.push(`${name} ${flag}: ${value} is not one of ${option.argChoices.join(', ')}`);
    try {
      if (name === 'run' && flag === '--schedule') checkSchedule(value);
      if (name === 'run' && (flag === '--jitter' || flag === '--shutdown-timeout')) parseDuration(value);
      if (name === 'run' && flag === '--listen') parseListen(value);
      if (name === 'run' && flag === '--shard') parseShard(value, 'supasync-0');
    } catch (err) {
      problems.push(`${name} ${flag}: ${(err as Error).message}`);
    }
  }
  for (const o of command.options.filter((o: Option) => o.mandatory)) {
    if (!seen.has(o)) problems.push(`${name}: missing ${o.long}`);
  }
  return problems;
}

/** Splits a shell command line into words (quotes removed; variables left as written). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of line.matchAll(re)) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
}

function podSpec(doc: Doc): Doc | undefined {
  return doc.kind === 'CronJob' ? doc.spec.jobTemplate.spec.template.spec : doc.spec?.template?.spec;
}

function containers(doc: Doc): Doc[] {
  return podSpec(doc)?.containers ?? [];
}

const supasyncContainer = (doc: Doc): Doc => {
  const found = containers(doc).find((c) => String(c.image).includes('supasync'));
  expect(found, `${doc.kind} has a supasync container`).toBeDefined();
  return found!;
};

const argValue = (args: string[], ...flags: string[]) => {
  const i = args.findIndex((a) => flags.includes(a));
  return i >= 0 ? args[i + 1] : undefined;
};

describe('examples/kubernetes', () => {
  it('has the files the docs name, each parsing as YAML', () => {
    expect(Object.keys(kube).sort()).toEqual(['config.yaml', 'cronjob.yaml', 'deployment.yaml', 'networkpolicy.yaml', 'statefulset.yaml']);
  });

  it('mounts no service account token into the pods (supasync needs no Kubernetes API access)', () => {
    const pods = Object.values(kube)
      .flat()
      .filter((d) => d.kind === 'Deployment' || d.kind === 'CronJob' || d.kind === 'StatefulSet')
      .map((d) => (d.kind === 'CronJob' ? d.spec.jobTemplate.spec.template.spec : d.spec.template.spec));
    expect(pods.length).toBe(3);
    for (const pod of pods) expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('lets only the monitoring namespace reach :9464, and keeps the application reachable', () => {
    const deployment = kube['deployment.yaml']!.find((d) => d.kind === 'Deployment')!;
    const policy = kube['networkpolicy.yaml']!.find((d) => d.kind === 'NetworkPolicy')!;
    expect(policy.spec.podSelector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    const port = parseListen(argValue(supasyncContainer(deployment).args.map(String), '--listen')!).port;
    const rules: Doc[] = policy.spec.ingress;
    const toSupasync = rules.filter((r) => r.ports.some((p: Doc) => p.port === port));
    expect(toSupasync).toHaveLength(1);
    expect(toSupasync[0]!.from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
    const app = containers(deployment).find((c) => !String(c.image).includes('supasync'))!;
    for (const p of app.ports) expect(rules.some((r) => !r.from && r.ports.some((x: Doc) => x.port === p.containerPort)), `app port ${p.containerPort}`).toBe(true);
  });

  it('passes supasync only commands and options the CLI has', () => {
    const vectors = Object.values(kube)
      .flat()
      .flatMap((doc) => containers(doc))
      .filter((c) => String(c.image).includes('supasync'))
      .map((c) => [...(c.command ?? []), ...(c.args ?? [])].map(String));
    expect(vectors.length).toBe(3);
    for (const args of vectors) expect(cliProblems(args), args.join(' ')).toEqual([]);
  });

  it('runs the sidecar with probes, limits, a read-only root filesystem, non-root, and the config mounted', () => {
    const deployment = kube['deployment.yaml']!.find((d) => d.kind === 'Deployment')!;
    const c = supasyncContainer(deployment);
    const args: string[] = c.args.map(String);
    expect(args[0]).toBe('run');
    expectProbesAndLimits(c, args);
    expect(c.resources.requests).toBeDefined();
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(c.securityContext.runAsUser).not.toBe(0);
    expect(c.env.find((e: Doc) => e.name === 'SUPABASE_ACCESS_TOKEN').valueFrom.secretKeyRef).toBeDefined();
    // The shutdown timeout fits in the grace period.
    const grace = deployment.spec.template.spec.terminationGracePeriodSeconds * 1000;
    expect(parseDuration(argValue(args, '--shutdown-timeout') ?? '25s')).toBeLessThan(grace);
    expectMounts(deployment, args);
  });

  it('shards a StatefulSet: --shard hostname/<replicas>, the token budget split between replicas, a headless Service, a PDB, a NetworkPolicy, no service account token', () => {
    const docs = kube['statefulset.yaml']!;
    const set = docs.find((d) => d.kind === 'StatefulSet')!;
    const replicas: number = set.spec.replicas;
    expect(replicas).toBe(3);
    const c = supasyncContainer(set);
    const args: string[] = c.args.map(String);
    expect(args[0]).toBe('run');
    // Every replica takes its shard from its pod name: M is the replica count.
    const shard = argValue(args, '--shard')!;
    expect(shard).toBe(`hostname/${replicas}`);
    for (let ordinal = 0; ordinal < replicas; ordinal++) {
      expect(parseShard(shard, `${set.metadata.name}-${ordinal}`)).toEqual({ index: ordinal, count: replicas });
    }
    // One token's budget (120 requests/min) shared by every replica.
    const rate = Number(argValue(args, '--rate-limit'));
    expect(rate).toBeGreaterThan(0);
    expect(rate * replicas).toBeLessThanOrEqual(120);
    // Headless Service named by serviceName, selecting the pods.
    const labels = set.spec.template.metadata.labels as Record<string, string>;
    expect(set.spec.selector.matchLabels).toEqual(labels);
    const service = docs.find((d) => d.kind === 'Service' && d.metadata.name === set.spec.serviceName)!;
    expect(service.spec.clusterIP).toBe('None');
    expect(Object.entries(service.spec.selector as Record<string, string>).every(([k, v]) => labels[k] === v)).toBe(true);
    // A PodDisruptionBudget that lets drains take one replica at a time.
    const pdb = docs.find((d) => d.kind === 'PodDisruptionBudget')!;
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(Object.entries(pdb.spec.selector.matchLabels as Record<string, string>).every(([k, v]) => labels[k] === v)).toBe(true);
    expect(pdb.spec.maxUnavailable ?? replicas - pdb.spec.minAvailable).toBe(1);
    // Only the monitoring namespace reaches :9464.
    const policy = docs.find((d) => d.kind === 'NetworkPolicy')!;
    expect(policy.spec.podSelector.matchLabels).toEqual(labels);
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: parseListen(argValue(args, '--listen')!).port }] },
    ]);
    // The pod: probes, limits, hardened, no Kubernetes API credentials, the shutdown within the grace period.
    const pod = podSpec(set)!;
    expect(pod.automountServiceAccountToken).toBe(false);
    expectProbesAndLimits(c, args);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(c.env.find((e: Doc) => e.name === 'SUPABASE_ACCESS_TOKEN').valueFrom.secretKeyRef).toBeDefined();
    expect(parseDuration(argValue(args, '--shutdown-timeout') ?? '25s')).toBeLessThan(pod.terminationGracePeriodSeconds * 1000);
    // The same ConfigMap and Secrets as the sidecar and the CronJob.
    expectMounts(set, args);
  });

  it('runs the CronJob one at a time, and fails the Job on exit 3 instead of retrying', () => {
    const cron = kube['cronjob.yaml']!.find((d) => d.kind === 'CronJob')!;
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    const job = cron.spec.jobTemplate.spec;
    expect(job.template.spec.restartPolicy).toBe('Never'); // podFailurePolicy requires it
    const failJob = job.podFailurePolicy.rules.filter((r: Doc) => r.action === 'FailJob' && r.onExitCodes);
    expect(failJob.some((r: Doc) => r.onExitCodes.operator === 'In' && r.onExitCodes.values.includes(3))).toBe(true);
    for (const r of failJob) expect(r.onExitCodes.values).not.toContain(1); // API errors are retried
    const c = supasyncContainer(cron);
    expect(failJob.every((r: Doc) => r.onExitCodes.containerName === c.name)).toBe(true);
    const args: string[] = c.args.map(String);
    expect(args[0]).toBe('apply');
    expect(args).toContain('--yes');
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
    expectMounts(cron, args);
  });

  it('ships a configuration that validates (with its Secret as the secrets dir)', async () => {
    const docs = kube['config.yaml']!;
    const configMap = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'supasync-config')!;
    const secret = docs.find((d) => d.kind === 'Secret' && d.metadata.name === 'supasync-secrets')!;
    const dir = mkdtempSync(join(tmpdir(), 'supasync-k8s-example-'));
    try {
      const secrets = join(dir, 'secrets');
      const config = join(dir, 'config');
      for (const [sub, data] of [[secrets, secret.stringData], [config, configMap.data]] as const) {
        rmSync(sub, { recursive: true, force: true });
        (await import('node:fs')).mkdirSync(sub);
        for (const [name, text] of Object.entries(data as Record<string, string>)) {
          writeFileSync(join(sub, name), text.replaceAll('/etc/supasync/secrets', secrets));
        }
      }
      const result = await runCli(['validate', '-c', config, '--secrets-dir', secrets]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The ConfigMap and Secret the pod mounts are the ones config.yaml defines, at the paths the args name. */
/** The container's probes ask /healthz and /readyz on the port `--listen` names, and it has resource limits. */
function expectProbesAndLimits(c: Doc, args: string[]): void {
  const port = parseListen(argValue(args, '--listen')!).port;
  const portOf = (p: number | string) => (typeof p === 'number' ? p : c.ports.find((x: Doc) => x.name === p).containerPort);
  expect(c.livenessProbe.httpGet.path).toBe('/healthz');
  expect(portOf(c.livenessProbe.httpGet.port)).toBe(port);
  expect(c.readinessProbe.httpGet.path).toBe('/readyz');
  expect(portOf(c.readinessProbe.httpGet.port)).toBe(port);
  expect(c.resources.limits).toMatchObject({ memory: expect.any(String), cpu: expect.anything() });
}

function expectMounts(doc: Doc, args: string[]): void {
  const pod = podSpec(doc)!;
  const c = supasyncContainer(doc);
  const mountAt = (path: string) => c.volumeMounts.find((m: Doc) => m.mountPath === path);
  const volume = (name: string) => pod.volumes.find((v: Doc) => v.name === name);
  const configMount = mountAt(argValue(args, '-c', '--config')!);
  expect(volume(configMount.name).configMap.name).toBe('supasync-config');
  const secretsMount = mountAt(argValue(args, '--secrets-dir')!);
  expect(volume(secretsMount.name).secret.secretName).toBe('supasync-secrets');
  const defined = kube['config.yaml']!.map((d) => `${d.kind}/${d.metadata.name}`);
  expect(defined).toEqual(expect.arrayContaining(['ConfigMap/supasync-config', 'Secret/supasync-secrets', 'Secret/supasync-token']));
  expect(pod.securityContext.fsGroup).toBe(c.securityContext.runAsGroup); // the Secret's files are readable
}

describe('examples/github-actions', () => {
  const { doc } = workflows[0]!;
  const steps: Doc[] = Object.values(doc.jobs as Record<string, Doc>).flatMap((j) => j.steps);
  const runs = () => steps.filter((st) => typeof st.run === 'string');

  it('has a workflow that plans pull requests with the markdown renderer and --detailed-exitcode', () => {
    expect(workflows.length).toBeGreaterThan(0);
    expect(Object.keys(doc.on)).toContain('pull_request');
    expect(doc.on).not.toHaveProperty('pull_request_target');
    expect(doc.permissions).toMatchObject({ 'pull-requests': 'write' });
    const plan = commandLines(steps).find((w) => w[0] === 'plan')!;
    expect(plan).toBeDefined();
    expect(argValue(plan, '--format', '-f')).toBe('markdown');
    expect(plan).toContain('--detailed-exitcode');
    // One comment, found again by the marker the markdown renderer writes.
    const script = steps.find((st) => String(st.uses).startsWith('actions/github-script'))!.with.script as string;
    expect(script).toContain(MARKDOWN_MARKER);
    expect(script).toMatch(/updateComment/);
    expect(script).toMatch(/createComment/);
  });

  it('plans only what the pull request changed: --changed-since its base commit, with the history checked out', () => {
    const steps: Doc[] = Object.values(workflows[0]!.doc.jobs as Record<string, Doc>).flatMap((j) => j.steps);
    expect(steps.find((s) => String(s.uses).startsWith('actions/checkout'))!.with).toMatchObject({ 'fetch-depth': 0 });
    const step = steps.find((s) => typeof s.run === 'string' && commandLines([s]).some((w) => w[0] === 'plan'))!;
    const plan = commandLines([step]).find((w) => w[0] === 'plan')!;
    const base = argValue(plan, '--changed-since')!;
    expect(base).toMatch(/^\$\w+$/); // through the environment, never pasted into the script
    expect(step.env[base.slice(1)]).toBe('${{ github.event.pull_request.base.sha }}');
  });

  it('passes supasync only commands and options the CLI has', () => {
    for (const { doc, file } of workflows) {
      const lines = commandLines(Object.values(doc.jobs as Record<string, Doc>).flatMap((j) => j.steps));
      expect(lines.length, file).toBeGreaterThan(0);
      for (const args of lines) expect(cliProblems(args), args.join(' ')).toEqual([]);
    }
  });

  it('never installs supasync by a registry name: only a pinned commit (40-hex SHA) of its repository', () => {
    const installs = runs()
      .flatMap((st) => (st.run as string).split('\n'))
      .map((line) => shellWords(line.trim()))
      .filter((w) => (w[0] === 'npm' && ['install', 'i', 'add', 'exec'].includes(w[1] ?? '')) || w[0] === 'npx');
    expect(installs.length).toBeGreaterThan(0);
    for (const words of installs) {
      const specs = words.slice(words[0] === 'npx' ? 1 : 2).filter((w) => !w.startsWith('-'));
      expect(specs, words.join(' ')).toEqual(['github:$SUPASYNC_REPO#$SUPASYNC_COMMIT']);
    }
    expect(String(doc.env.SUPASYNC_COMMIT)).toMatch(/^[0-9a-f]{40}$/);
    expect(String(doc.env.SUPASYNC_REPO)).toMatch(/^[A-Za-z0-9-]+\/supasync$/);
  });

  it('uses the current majors of its actions', () => {
    const current: Record<string, number> = { 'actions/checkout': 7, 'actions/setup-node': 7, 'actions/github-script': 9 };
    const used = steps.filter((st) => st.uses).map((st) => /^([^@]+)@v(\d+)$/.exec(String(st.uses)));
    expect(used.length).toBe(3);
    for (const m of used) {
      expect(m, 'pinned to a major, as actions/x@vN').not.toBeNull();
      expect(Number(m![2]), m![1]).toBeGreaterThanOrEqual(current[m![1]!]!);
    }
  });

  it('reads the token from and writes the plan to $RUNNER_TEMP, never into the checkout', () => {
    const plan = commandLines(steps).find((w) => w[0] === 'plan')!;
    expect(argValue(plan, '--out', '-o')).toBe('$RUNNER_TEMP/supasync-plan.md');
    expect(argValue(plan, '--token-file')).toBe('$RUNNER_TEMP/supasync-token');
    // Every file a script writes (redirections) is under $RUNNER_TEMP or a runner command file; a
    // relative one only after a `cd` into $RUNNER_TEMP.
    for (const st of runs()) {
      let inTemp = false;
      for (const line of (st.run as string).split('\n')) {
        if (/^\s*cd\s+"\$RUNNER_TEMP\//.test(line)) inTemp = true;
        for (const m of line.matchAll(/(?<![0-9&])>>?\s*("[^"]*"|\S+)/g)) {
          const target = m[1]!.replace(/^"|"$/g, '');
          const ok = /^\$(RUNNER_TEMP\/|GITHUB_OUTPUT$|GITHUB_STEP_SUMMARY$|GITHUB_PATH$)/.test(target) || (inTemp && !target.startsWith('/') && !target.startsWith('$'));
          expect(ok, `${st.name}: writes to ${target}`).toBe(true);
        }
      }
    }
    const comment = steps.find((st) => String(st.uses).startsWith('actions/github-script'))!;
    expect(comment.env.PLAN_FILE).toBe('${{ runner.temp }}/supasync-plan.md');
    expect(comment.with.script).toContain('process.env.PLAN_FILE');
    expect(comment.with.script).not.toMatch(/['"`]plan\.md['"`]/);
    expect(JSON.stringify(doc)).not.toContain('hashFiles');
  });

  it('turns a pull request without the token (a fork) into a "skipped: no token" note, not a failure', async () => {
    const check = steps[0]!;
    expect(check.id).toBe('token');
    for (const st of steps.slice(1)) {
      if (st.name === 'Clean up the token file') continue;
      expect(String(st.if), st.name ?? st.uses).toContain("steps.token.outputs.present == 'true'");
    }
    const withToken = await runStep(check, { secrets: { SUPABASE_ACCESS_TOKEN: TOKEN } });
    expect(withToken.status).toBe(0);
    expect(withToken.output).toBe('present=true\n');
    expect(withToken.summary).toBe('');
    const fork = await runStep(check, { secrets: {} });
    expect(fork.status).toBe(0);
    expect(fork.output).toBe('present=false\n');
    expect(fork.summary).toContain('skipped: no token');
    expect(fork.stdout).toContain('::notice title=supasync plan::skipped: no token');
  });

  it('runs as written: the token file and the plan in $RUNNER_TEMP, the checkout untouched even with a planted plan.md symlink', async () => {
    const emu = await startTestEmulator();
    const dir = mkdtempSync(join(tmpdir(), 'supasync-gh-example-'));
    try {
      const checkout = join(dir, 'checkout');
      const runnerTemp = join(dir, 'runner-temp');
      const bin = join(dir, 'bin');
      for (const d of [checkout, runnerTemp, bin, join(checkout, 'supabase-config')]) mkdirSync(d, { recursive: true });
      // The checkout has the history (fetch-depth: 0): the pull request's base is a commit without the configuration.
      const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: checkout, encoding: 'utf8' });
      git('init', '-q');
      git('commit', '-q', '--allow-empty', '-m', 'base');
      const baseSha = git('rev-parse', 'HEAD').trim();
      writeFileSync(join(bin, 'supasync'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
      chmodSync(join(bin, 'supasync'), 0o755);
      writeFileSync(join(dir, 'runner-secret'), 'runner-secret-canary');
      const files = {
        'supabase-config/auth.yaml': `project: ${REF}\nauth:\n  site_url: https://app.example.com\n  smtp_pass: \${SMTP_PASSWORD}\n`,
      };
      for (const [name, text] of Object.entries(files)) writeFileSync(join(checkout, name), text);
      // What a hostile pull request could commit: the old plan path pointing at a runner file.
      symlinkSync(join(dir, 'runner-secret'), join(checkout, 'plan.md'));
      const before = snapshot(checkout);
      const opts = {
        secrets: { SUPABASE_ACCESS_TOKEN: TOKEN, SMTP_PASSWORD: 'smtp-canary-5e2f' },
        cwd: checkout,
        runnerTemp,
        env: { PATH: `${bin}:${process.env.PATH}`, SUPABASE_API_URL: emu.url },
        baseSha,
        headSha: 'c0ffee0123456789abcdef0123456789abcdef01',
      };
      const step = (name: string) => steps.find((st) => st.name === name)!;
      expect((await runStep(step('Write the token to a file outside the checkout'), opts)).status).toBe(0);
      const plan = await runStep(step('supasync plan'), opts);
      expect(plan.status, plan.stderr).toBe(0);
      expect(plan.output).toMatch(/^exitcode=2$/m);
      const md = readFileSync(join(runnerTemp, 'supasync-plan.md'), 'utf8');
      expect(md.startsWith(MARKDOWN_MARKER)).toBe(true);
      // The comment names the pull request's head commit.
      expect(md).toContain('Planned by supasync for commit c0ffee0123456789abcdef0123456789abcdef01 at ');
      expect(md + plan.stdout + plan.stderr).not.toMatch(/runner-secret-canary|smtp-canary-5e2f/);
      expect(snapshot(checkout)).toEqual(before);

      // An invalid configuration: the job fails (exit 3), and the comment shows the errors.
      writeFileSync(join(checkout, 'supabase-config/auth.yaml'), `${files['supabase-config/auth.yaml']}  jwt_exp_typo: 1\n`);
      const invalid = await runStep(step('supasync plan'), opts);
      expect(invalid.status).toBe(3);
      expect(invalid.output).toMatch(/^exitcode=3$/m);
      expect(readFileSync(join(runnerTemp, 'supasync-plan.md'), 'utf8')).toMatch(/Configuration invalid[\s\S]*jwt_exp_typo/);

      expect((await runStep(step('Clean up the token file'), opts)).status).toBe(0);
      expect(readdirSync(runnerTemp)).toEqual(['supasync-plan.md']);
    } finally {
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Every entry below `dir` with its kind and content (or link target): to prove nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    out[path] = entry.isSymbolicLink() ? `-> ${readlinkSync(path)}` : entry.isFile() ? readFileSync(path, 'utf8') : 'dir';
  }
  return out;
}

interface StepRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** What the step wrote to $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY. */
  output: string;
  summary: string;
}

/**
 * Runs one step's `run:` script as the runner does (`bash --noprofile --norc -eo pipefail`), with
 * the workflow's and the step's `env:` (`${{ secrets.X }}` and `${{ runner.temp }}` filled in).
 */
async function runStep(
  step: Doc,
  opts: { secrets: Record<string, string>; cwd?: string; runnerTemp?: string; env?: Record<string, string>; baseSha?: string; headSha?: string },
): Promise<StepRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'supasync-gh-step-'));
  try {
    const runnerTemp = opts.runnerTemp ?? scratch;
    const fill = (v: unknown) =>
      String(v)
        .replace(/\$\{\{\s*secrets\.(\w+)\s*\}\}/g, (_m, name: string) => opts.secrets[name] ?? '')
        .replace(/\$\{\{\s*runner\.temp\s*\}\}/g, runnerTemp)
        .replace(/\$\{\{\s*github\.event\.pull_request\.base\.sha\s*\}\}/g, opts.baseSha ?? '')
        .replace(/\$\{\{\s*github\.event\.pull_request\.head\.sha\s*\}\}/g, opts.headSha ?? '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NO_COLOR: '1',
      RUNNER_TEMP: runnerTemp,
      GITHUB_OUTPUT: join(scratch, 'output'),
      GITHUB_STEP_SUMMARY: join(scratch, 'summary'),
      GITHUB_PATH: join(scratch, 'path'),
      ...Object.fromEntries(Object.entries({ ...workflows[0]!.doc.env, ...step.env }).map(([k, v]) => [k, fill(v)])),
      ...opts.env,
    };
    for (const f of ['output', 'summary', 'path']) writeFileSync(join(scratch, f), '');
    // Asynchronously: the emulator the step talks to runs in this process.
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run as string], { cwd: opts.cwd ?? scratch, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    clearTimeout(timer);
    return { status, stdout, stderr, output: readFileSync(join(scratch, 'output'), 'utf8'), summary: readFileSync(join(scratch, 'summary'), 'utf8') };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The argument vectors of every `supasync ...` command in the steps' shell scripts. */
function commandLines(steps: Doc[]): string[][] {
  return steps
    .filter((s) => typeof s.run === 'string')
    .flatMap((s) => (s.run as string).split('\n'))
    .map((line) => shellWords(line.trim()))
    .filter((words) => words[0] === 'supasync' || (words[0] === 'npx' && words.some((w) => /^supasync(@|$)/.test(w))))
    .map((words) => words.slice(words.findIndex((w) => /^supasync(@|$)/.test(w)) + 1));
}

describe('the CLI checker itself', () => {
  it('catches unknown commands, options, choices and bad values', () => {
    expect(cliProblems(['nope'])).toEqual(['unknown command nope']);
    expect(cliProblems(['plan', '-c', 'x', '--frobnicate'])).toEqual(['plan: unknown option --frobnicate']);
    expect(cliProblems(['plan', '-c', 'x', '--format', 'html'])).toEqual(['plan --format: html is not one of text, markdown, json']);
    expect(cliProblems(['plan'])).toEqual(['plan: missing --config']);
    expect(cliProblems(['run', '-c', 'x', '--jitter', '10'])[0]).toMatch(/--jitter: "10" is not a duration/);
    expect(cliProblems(['run', '-c', 'x', '--schedule', '* *'])[0]).toMatch(/--schedule/);
    expect(cliProblems(['run', '-c', 'x', '--shard', 'hostname/3'])).toEqual([]);
    expect(cliProblems(['run', '-c', 'x', '--shard', '3/3'])[0]).toMatch(/--shard: .*shard 3 does not exist/);
    expect(cliProblems(['apply', '-c', 'x', '--yes', '--allow-risky'])).toEqual([]);
  });

  it('and `validate -c examples/` skips the Kubernetes and GitHub Actions files', async () => {
    const result = await runCli(['validate', '-c', 'examples/']);
    expect(result.code, result.stderr).toBe(0);
  });
});
