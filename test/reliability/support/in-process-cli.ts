/**
 * The CLI's `main()` (src/program.ts) run in this process, with process.stdout / process.stderr
 * writes captured: the same command line, parsing, handlers and error printing as the built CLI,
 * without the ~0.5 s of a process start. Calls must not overlap (the streams are shared).
 */
import { main } from '../../../src/program.js';

export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
}

type Write = typeof process.stdout.write;

function capture(stream: NodeJS.WriteStream, sink: string[]): () => void {
  const original = stream.write;
  stream.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
    sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') (done as () => void)();
    return true;
  }) as Write;
  return () => {
    stream.write = original;
  };
}

let busy = false;

export async function runMain(args: string[]): Promise<MainResult> {
  if (busy) throw new Error('runMain calls must not overlap');
  busy = true;
  const out: string[] = [];
  const err: string[] = [];
  const restoreOut = capture(process.stdout, out);
  const restoreErr = capture(process.stderr, err);
  try {
    const code = await main(['node', 'supasync', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    restoreOut();
    restoreErr();
    busy = false;
  }
}
