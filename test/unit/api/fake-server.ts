/**
 * A throwaway node:http server for the client's own tests: each request is answered by the next
 * scripted step (the last one repeats). End-to-end behaviour against the real emulator is tested
 * elsewhere; this only has to produce the failures the client must handle.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Step =
  | { status: number; body?: unknown; raw?: string; headers?: Record<string, string>; delayMs?: number }
  | { reset: true }
  | { hangMs: number };

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
  /** The client's port: equal for two requests on one kept-alive connection. */
  clientPort: number | undefined;
}

export interface FakeServer {
  url: string;
  seen: SeenRequest[];
  /** Most requests being handled at the same time. */
  peakOpen: number;
  close(): Promise<void>;
}

export async function startFakeServer(steps: Step[] | ((n: number, req: SeenRequest) => Step)): Promise<FakeServer> {
  const seen: SeenRequest[] = [];
  let open = 0;
  let peakOpen = 0;
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: performance.now(), clientPort: req.socket.remotePort };
      seen.push(entry);
      open++;
      peakOpen = Math.max(peakOpen, open);
      res.on('close', () => open--);
      const n = seen.length - 1;
      const step = typeof steps === 'function' ? steps(n, entry) : (steps[Math.min(n, steps.length - 1)] as Step);
      if ('reset' in step) {
        req.socket.resetAndDestroy();
        return;
      }
      if ('hangMs' in step) {
        const t = setTimeout(() => res.destroyed || res.end(), step.hangMs);
        res.on('close', () => clearTimeout(t));
        return;
      }
      const text = step.raw ?? (step.body === undefined ? '' : JSON.stringify(step.body));
      const answer = () => {
        res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
        res.end(text);
      };
      if (step.delayMs) setTimeout(answer, step.delayMs);
      else answer();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    get peakOpen() {
      return peakOpen;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
