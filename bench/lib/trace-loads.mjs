// Preloaded with `node --import` by the benchmark (never by the product): records every module a
// command loads — ES modules through a loader hook, CommonJS ones from require's cache — and writes
// the list to $SUPASYNC_BENCH_LOADS at exit.
import { writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
const esm = new Set();
port1.on('message', (url) => esm.add(url));
port1.unref();
register('./trace-loads-hooks.mjs', { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });

process.on('exit', () => {
  const cjs = Object.keys(createRequire(import.meta.url).cache).map((p) => `file://${p}`);
  writeFileSync(process.env.SUPASYNC_BENCH_LOADS, JSON.stringify([...new Set([...esm, ...cjs])].sort()));
});
