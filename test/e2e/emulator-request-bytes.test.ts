/**
 * The request log counts the bytes each request took on the wire (benchmarks compare clients by
 * it): exactly the request line, headers and body, also for several requests on one keep-alive
 * connection and after a control request on it.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REF, TOKEN, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

/** Sends raw HTTP/1.1 requests one after another on one connection; resolves once each is answered. */
async function sendOnOneConnection(port: number, requests: string[]): Promise<void> {
  const socket: Socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  for (const [i, request] of requests.entries()) {
    socket.write(request);
    // Each answer here carries a Content-Length; wait for the (i+1)th complete response.
    await new Promise<void>((resolve) => {
      const check = () => (countResponses(received) > i ? resolve() : setTimeout(check, 5));
      check();
    });
  }
  socket.destroy();
}

function countResponses(text: string): number {
  let count = 0;
  let rest = text;
  for (;;) {
    const head = rest.indexOf('\r\n\r\n');
    if (head < 0) return count;
    const length = Number(/content-length: (\d+)/i.exec(rest.slice(0, head))?.[1] ?? 0);
    if (rest.length < head + 4 + length) return count;
    rest = rest.slice(head + 4 + length);
    count++;
  }
}

describe('emulator request log: bytes on the wire', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('counts request line, headers and body of each request on a keep-alive connection', async () => {
    emu.clearRequests();
    const get = `GET /v1/projects/${REF}/postgrest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`;
    const body = JSON.stringify({ max_rows: 321 });
    const patch =
      `PATCH /v1/projects/${REF}/postgrest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const control = 'GET /_emulator/faults HTTP/1.1\r\nHost: x\r\n\r\n';
    await sendOnOneConnection(emu.port, [get, patch, control, get]);

    const log = emu.requests();
    expect(log.map((e) => [e.method, e.status, e.bytes])).toEqual([
      ['GET', 200, Buffer.byteLength(get)],
      ['PATCH', 200, Buffer.byteLength(patch)],
      ['GET', 200, Buffer.byteLength(get)],
    ]);
  });
});
