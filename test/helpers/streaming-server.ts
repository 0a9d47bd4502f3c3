/**
 * A server that answers every request with a huge JSON body (issue 13 item 7's tests): chunked, or
 * announced by a 4 GiB content-length, streamed with backpressure until the client goes away or
 * FULL_BODY bytes were sent. It reports how many bytes it managed to hand to each socket.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const MiB = 1024 * 1024;
/** What the server would send in all: far more than the cap, small enough to end if nobody stops it. */
export const FULL_BODY = 96 * MiB;
const CHUNK = Buffer.from(`"${'a'.repeat(64 * 1024 - 3)}",`);

function drainedOrClosed(res: http.ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const go = () => {
      res.off('drain', go).off('close', go);
      resolve();
    };
    res.on('drain', go).on('close', go);
  });
}

export interface StreamingServer {
  url: string;
  requests: number;
  /** Bytes the server wrote into its sockets, per request, once each response is over. */
  finished: Promise<number>[];
  close(): Promise<void>;
}

/** Streams `FULL_BODY` bytes of a JSON array, with backpressure, until the client goes away. */
export async function startStreamingServer(mode: 'chunked' | 'content-length'): Promise<StreamingServer> {
  const finished: Promise<number>[] = [];
  const server = http.createServer((req, res) => {
    let done!: (n: number) => void;
    finished.push(new Promise<number>((resolve) => (done = resolve)));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (mode === 'content-length') headers['content-length'] = String(4 * 1024 * MiB); // a 4 GiB answer
    res.writeHead(200, headers);
    let closed = false;
    res.on('close', () => (closed = true));
    void (async () => {
      let sent = 0;
      res.write('[');
      while (!closed && sent < FULL_BODY) {
        sent += CHUNK.length;
        if (!res.write(CHUNK) && !closed) await drainedOrClosed(res);
      }
      if (!closed) res.end('"z"]');
      if (!closed) await once(res, 'close');
      done(req.socket.bytesWritten);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return finished.length;
    },
    finished,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}
