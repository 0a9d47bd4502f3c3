/**
 * Container test plumbing: is there a Docker engine, the local base image, the image built once per
 * run from the repository's Dockerfile, and one-shot / long-running containers of it whose exit
 * codes and output the tests read.
 *
 * testcontainers' Ryuk reaper image cannot be pulled here (no registry), so it is disabled and every
 * container is removed by the tests themselves.
 */
import { execFileSync } from 'node:child_process';
import type { Readable } from 'node:stream';
import { GenericContainer, StartupCheckStrategy, Wait, getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';
import { ROOT } from '../helpers/cli.js';

export type { StartedTestContainer };

// Read when the first container starts (not at import): the reaper image cannot be pulled here.
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';

export const BASE_IMAGE = process.env.SUPASYNC_BASE_IMAGE ?? 'supasync-base:local';
export const IMAGE = 'supasync:container-test';
export const TOKEN = 'sbp_0123456789abcdef0123456789abcdef01234567';
export const EMULATOR_PORT = 54321;
export const PROBE_PORT = 9464;

/** Whether a Docker engine answers; the reason when not. */
export function dockerEngine(): { ok: true } | { ok: false; reason: string } {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 15_000 });
    return { ok: true };
  } catch (err) {
    const e = err as { code?: string; stderr?: Buffer };
    return { ok: false, reason: e.code === 'ENOENT' ? 'the docker command is not installed' : (e.stderr?.toString().trim() || String(err)) };
  }
}

function imageExists(tag: string): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', tag], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The local base image (built from this machine's node when missing), then the supasync image.
 *
 * With the vfs storage driver every layer is a full copy on disk (the build stage's are ~750 MB), so:
 * - the build and deps stages are built and tagged first with the docker CLI, so that their cached
 *   layers (`npm ci` above all) survive as the parents of a tag, and without the three LABEL layers
 *   testcontainers adds to what it builds (each a full copy, a minute apiece under vfs);
 * - the image itself is then built by testcontainers from the Dockerfile, every stage from cache;
 * - images that no tag holds any more (earlier runs) are pruned once they are 15 minutes old, so that
 *   a build running beside this one is left alone.
 */
export async function buildImage(): Promise<void> {
  if (BASE_IMAGE === 'supasync-base:local' && !imageExists(BASE_IMAGE)) {
    execFileSync('bash', [`${ROOT}/scripts/docker-base-image.sh`, BASE_IMAGE], { stdio: 'inherit' });
  }
  for (const target of ['build', 'deps']) {
    try {
      execFileSync('docker', ['build', '--quiet', '--target', target, '--build-arg', `BASE_IMAGE=${BASE_IMAGE}`, '-t', `${IMAGE}-${target}`, ROOT], {
        stdio: 'pipe',
        timeout: 20 * 60_000,
      });
    } catch (err) {
      const e = err as { stderr?: Buffer; stdout?: Buffer };
      throw new Error(`docker build --target ${target} failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
    }
  }
  await GenericContainer.fromDockerfile(ROOT).withBuildArgs({ BASE_IMAGE }).build(IMAGE, { deleteOnExit: false });
  try {
    execFileSync('docker', ['image', 'prune', '--force', '--filter', 'until=15m'], { stdio: 'pipe' });
  } catch {
    // Only housekeeping.
  }
}

/** Ready once the container has stopped, whatever its exit code (the tests check it). */
class StoppedStartupCheck extends StartupCheckStrategy {
  override async checkStartupState(
    dockerClient: Parameters<StartupCheckStrategy['checkStartupState']>[0],
    containerId: string,
  ): Promise<'PENDING' | 'SUCCESS'> {
    const info = await dockerClient.getContainer(containerId).inspect();
    return info.State.Running || info.State.Paused || !info.State.FinishedAt || info.State.FinishedAt.startsWith('0001-') ? 'PENDING' : 'SUCCESS';
  }
}

export interface ContainerResult {
  code: number;
  output: string;
}

async function exitCodeOf(id: string): Promise<number> {
  const client = await getContainerRuntimeClient();
  const info = await client.container.inspect(client.container.getById(id));
  return info.State.ExitCode;
}

export async function collect(stream: Readable): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) text += chunk as string;
  return text;
}

export interface RunOptions {
  /** `container:<id>`: share that container's network namespace (its 127.0.0.1). */
  networkMode?: string;
  env?: Record<string, string>;
  files?: Record<string, string>;
  entrypoint?: string[];
}

function configure(args: string[], opts: RunOptions) {
  let c = new GenericContainer(IMAGE).withCommand(args).withEnvironment(opts.env ?? {});
  if (opts.networkMode) c = c.withNetworkMode(opts.networkMode);
  if (opts.entrypoint) c = c.withEntrypoint(opts.entrypoint);
  const files = Object.entries(opts.files ?? {});
  if (files.length) c = c.withCopyContentToContainer(files.map(([target, content]) => ({ target, content, mode: 0o644 })));
  return c;
}

/** Runs a one-shot command in a new container of the image; returns its exit code and output. */
export async function runOnce(args: string[], opts: RunOptions = {}): Promise<ContainerResult> {
  const started = await configure(args, opts).withWaitStrategy(new StoppedStartupCheck()).withStartupTimeout(60_000).start();
  try {
    const code = await exitCodeOf(started.getId());
    const output = await collect(await started.logs());
    return { code, output };
  } finally {
    await started.stop({ remove: true, timeout: 0 });
  }
}

/** Starts a long-running container of the image; the caller stops it. */
export async function startLong(args: string[], opts: RunOptions & { waitForLog?: RegExp; ports?: number[] }): Promise<StartedTestContainer> {
  let c = configure(args, opts).withStartupTimeout(60_000);
  if (opts.waitForLog) c = c.withWaitStrategy(Wait.forLogMessage(opts.waitForLog));
  if (opts.ports?.length) c = c.withExposedPorts(...opts.ports);
  return c.start();
}

/** Sends SIGTERM (docker stop, with a grace of `graceSeconds` before SIGKILL); exit code and how long it took. */
export async function stopWithSigterm(container: StartedTestContainer, graceSeconds: number): Promise<{ code: number; ms: number; output: string }> {
  const started = Date.now();
  await container.stop({ remove: false, timeout: graceSeconds * 1000 });
  const ms = Date.now() - started;
  const code = await exitCodeOf(container.getId());
  const output = await collect(await container.logs());
  const client = await getContainerRuntimeClient();
  await client.container.remove(client.container.getById(container.getId()), { removeVolumes: true });
  return { code, ms, output };
}

/** JSON log lines of a daemon's output. */
export function jsonLines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
