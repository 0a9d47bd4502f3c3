/**
 * The Kubernetes and GitHub Actions examples: every file parses, every supasync command line in them
 * is one the CLI accepts (commands, flags, choices and flag values checked against the real
 * commander program), the manifests have the properties the docs promise, and the configuration
 * they ship validates.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command, Option } from 'commander';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkSchedule } from '../../src/daemon/daemon.js';
import { parseDuration } from '../../src/daemon/duration.js';
import { parseListen } from '../../src/daemon/listen.js';
import { buildProgram } from '../../src/program.js';
import { MARKDOWN_MARKER } from '../../src/reconcile/render/markdown.js';
import { ROOT, runCli } from '../helpers/cli.js';

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

function containers(doc: Doc): Doc[] {
  const pod = doc.kind === 'CronJob' ? doc.spec.jobTemplate.spec.template.spec : doc.spec?.template?.spec;
  return pod?.containers ?? [];
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
    expect(Object.keys(kube).sort()).toEqual(['config.yaml', 'cronjob.yaml', 'deployment.yaml']);
  });

  it('passes supasync only commands and options the CLI has', () => {
    const vectors = Object.values(kube)
      .flat()
      .flatMap((doc) => containers(doc))
      .filter((c) => String(c.image).includes('supasync'))
      .map((c) => [...(c.command ?? []), ...(c.args ?? [])].map(String));
    expect(vectors.length).toBe(2);
    for (const args of vectors) expect(cliProblems(args), args.join(' ')).toEqual([]);
  });

  it('runs the sidecar with probes, limits, a read-only root filesystem, non-root, and the config mounted', () => {
    const deployment = kube['deployment.yaml']!.find((d) => d.kind === 'Deployment')!;
    const c = supasyncContainer(deployment);
    const args: string[] = c.args.map(String);
    expect(args[0]).toBe('run');
    const port = parseListen(argValue(args, '--listen')!).port;
    const portOf = (p: number | string) => (typeof p === 'number' ? p : c.ports.find((x: Doc) => x.name === p).containerPort);
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(portOf(c.livenessProbe.httpGet.port)).toBe(port);
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(portOf(c.readinessProbe.httpGet.port)).toBe(port);
    expect(c.resources.limits).toMatchObject({ memory: expect.any(String), cpu: expect.anything() });
    expect(c.resources.requests).toBeDefined();
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(c.securityContext.runAsUser).not.toBe(0);
    expect(c.env.find((e: Doc) => e.name === 'SUPABASE_ACCESS_TOKEN').valueFrom.secretKeyRef).toBeDefined();
    // The shutdown timeout fits in the grace period.
    const grace = deployment.spec.template.spec.terminationGracePeriodSeconds * 1000;
    expect(parseDuration(argValue(args, '--shutdown-timeout') ?? '25s')).toBeLessThan(grace);
    expectMounts(deployment, args);
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
function expectMounts(doc: Doc, args: string[]): void {
  const pod = doc.kind === 'CronJob' ? doc.spec.jobTemplate.spec.template.spec : doc.spec.template.spec;
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
  it('has a workflow that plans pull requests with the markdown renderer and --detailed-exitcode', () => {
    expect(workflows.length).toBeGreaterThan(0);
    const { doc } = workflows[0]!;
    expect(Object.keys(doc.on)).toContain('pull_request');
    expect(doc.on).not.toHaveProperty('pull_request_target');
    expect(doc.permissions).toMatchObject({ 'pull-requests': 'write' });
    const steps: Doc[] = Object.values(doc.jobs as Record<string, Doc>).flatMap((j) => j.steps);
    const plan = commandLines(steps).find((w) => w[0] === 'plan')!;
    expect(plan).toBeDefined();
    expect(argValue(plan, '--format', '-f')).toBe('markdown');
    expect(plan).toContain('--detailed-exitcode');
    expect(argValue(plan, '--out', '-o')).toBe('plan.md');
    // One comment, found again by the marker the markdown renderer writes.
    const script = steps.find((s) => String(s.uses).startsWith('actions/github-script'))!.with.script as string;
    expect(script).toContain(MARKDOWN_MARKER);
    expect(script).toMatch(/updateComment/);
    expect(script).toMatch(/createComment/);
  });

  it('passes supasync only commands and options the CLI has', () => {
    for (const { doc, file } of workflows) {
      const steps: Doc[] = Object.values(doc.jobs as Record<string, Doc>).flatMap((j) => j.steps);
      const lines = commandLines(steps);
      expect(lines.length, file).toBeGreaterThan(0);
      for (const args of lines) expect(cliProblems(args), args.join(' ')).toEqual([]);
    }
  });
});

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
    expect(cliProblems(['apply', '-c', 'x', '--yes', '--allow-risky'])).toEqual([]);
  });

  it('and `validate -c examples/` skips the Kubernetes and GitHub Actions files', async () => {
    const result = await runCli(['validate', '-c', 'examples/']);
    expect(result.code, result.stderr).toBe(0);
  });
});
