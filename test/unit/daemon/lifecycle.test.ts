import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { logSink } from '../../helpers/log-sink.js';
import { ExitCode } from '../../../src/errors.js';
import { createLifecycle, type LifecycleHooks } from '../../../src/daemon/lifecycle.js';
import { settle } from './fake-clock.js';

function setup(inFlight: number) {
  const { lines, logger } = logSink<{ msg: string; [k: string]: unknown }>();
  const calls: string[] = [];
  let drain!: () => void;
  const drained = new Promise<void>((r) => (drain = r));
  let fireTimeout!: () => void;
  const hooks: LifecycleHooks = {
    inFlight: () => inFlight,
    quiesce: async () => void calls.push('quiesce'),
    drained: () => drained,
    abort: () => void calls.push('abort'),
    closeServer: async (force) => void calls.push(`close${force ? ' (force)' : ''}`),
    release: () => void calls.push('release'),
  };
  const signals = new EventEmitter();
  const lifecycle = createLifecycle({
    logger,
    shutdownTimeoutMs: 25_000,
    hooks,
    signals,
    wait: (_ms, signal) =>
      new Promise<void>((resolve, reject) => {
        fireTimeout = resolve;
        signal.addEventListener('abort', () => reject(new Error('aborted')));
      }),
  });
  return { lifecycle, calls, lines, drain, timeout: () => fireTimeout(), signals, msgs: () => lines.map((l) => l.msg) };
}

describe('lifecycle', () => {
  it('on SIGTERM stops taking work, waits for the reconciles in flight, closes and exits 0', async () => {
    const t = setup(2);
    t.signals.emit('SIGTERM', 'SIGTERM');
    expect(t.lifecycle.stopping).toBe(true);
    await settle();
    expect(t.calls).toEqual(['quiesce']);
    expect(t.lines[0]).toMatchObject({ msg: 'shutting down: finishing the projects in flight', reason: 'SIGTERM', in_flight: 2, timeout: '25s' });
    t.drain();
    expect(await t.lifecycle.done).toBe(ExitCode.ok);
    expect(t.calls).toEqual(['quiesce', 'close', 'release']);
    expect(t.lines.at(-1)).toMatchObject({ msg: 'stopped', exit_code: 0 });
    expect(t.signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('with nothing in flight just shuts down', async () => {
    const t = setup(0);
    t.lifecycle.stop('test');
    t.drain();
    expect(await t.lifecycle.done).toBe(ExitCode.ok);
    expect(t.msgs()).toEqual(['shutting down', 'stopped']);
  });

  it('aborts the reconciles in flight and exits 1 when they outlast the shutdown timeout', async () => {
    const t = setup(1);
    t.signals.emit('SIGINT', 'SIGINT');
    await settle();
    t.timeout();
    expect(await t.lifecycle.done).toBe(ExitCode.runtime);
    expect(t.calls).toEqual(['quiesce', 'abort', 'close (force)', 'release']);
    expect(t.msgs()).toContain('shutdown timeout: abandoning the projects in flight');
  });

  it('exits 1 at once on a second signal', async () => {
    const t = setup(1);
    t.signals.emit('SIGTERM', 'SIGTERM');
    await settle();
    t.signals.emit('SIGTERM', 'SIGTERM');
    expect(await t.lifecycle.done).toBe(ExitCode.runtime);
    expect(t.calls).toEqual(['quiesce', 'abort', 'close (force)', 'release']);
    expect(t.msgs()).toContain('second signal: stopping at once, abandoning the projects in flight');
    t.drain(); // the drain that comes late changes nothing
    await settle();
    expect(t.msgs().filter((m) => m === 'stopped')).toHaveLength(1);
  });
});
