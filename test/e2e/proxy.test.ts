/**
 * Issue 13 item 13: HTTPS_PROXY / NO_PROXY (and the lower-case forms), end to end. The built CLI
 * plans against `https://api.supabase.test:<port>` — a TLS server in front of the emulator, with a
 * certificate made here and trusted through NODE_EXTRA_CA_CERTS — through a proxy in this process
 * that records every CONNECT and every byte it tunnels. The host name resolves to 127.0.0.1 only
 * through test/helpers/hosts-preload.mjs, so nothing leaves the machine, and the client cannot
 * treat it as loopback (which is never proxied).
 */
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runCli, type CliResult } from '../helpers/cli.js';
import { REF, TOKEN, loggedRequests, clearRequestLog, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

const HOST = 'api.supabase.test';
const PROXY_USER = 'egress';
const PROXY_PASSWORD = 'proxy-pw-canary-7c1e9a';

interface Connect {
  target: string;
  headers: http.IncomingHttpHeaders;
}

interface RecordingProxy {
  port: number;
  connects: Connect[];
  /** Requests sent to the proxy as plain http (absolute URIs): none may ever come. */
  plain: string[];
  /** Everything clients sent into tunnels. */
  tunnelled(): Buffer;
  reset(): void;
  close(): Promise<void>;
}

/** A CONNECT proxy that sends every tunnel to `upstreamPort` on 127.0.0.1; with `auth`, 407 unless it matches. */
async function startProxy(upstreamPort: () => number, auth?: string): Promise<RecordingProxy> {
  const connects: Connect[] = [];
  const plain: string[] = [];
  let bytes: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    plain.push(`${req.method} ${req.url}`);
    res.writeHead(403).end();
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    connects.push({ target: req.url ?? '', headers: req.headers });
    sockets.add(client);
    if (auth && req.headers['proxy-authorization'] !== `Basic ${Buffer.from(auth).toString('base64')}`) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="egress"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = net.connect(upstreamPort(), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      client.on('data', (d: Buffer) => bytes.push(d));
      client.pipe(upstream).pipe(client);
    });
    sockets.add(upstream);
    const done = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', done).on('close', done);
    client.on('error', done).on('close', done);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    connects,
    plain,
    tunnelled: () => Buffer.concat(bytes),
    reset() {
      connects.length = 0;
      plain.length = 0;
      bytes = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** TLS in front of the emulator: `https://api.supabase.test:<port>`. */
async function startTlsFront(key: string, cert: string, emulatorPort: number): Promise<{ port: number; connections: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = tls.createServer({ key, cert }, (socket) => {
    const upstream = net.connect(emulatorPort, '127.0.0.1');
    sockets.add(socket).add(upstream);
    socket.pipe(upstream).pipe(socket);
    const done = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', done).on('close', done);
    upstream.on('error', done).on('close', done);
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

let emu: TestEmulator;
let front: Awaited<ReturnType<typeof startTlsFront>>;
let proxy: RecordingProxy;
let authProxy: RecordingProxy;
let ws: Workspace;

const NO_PROXY_VARS = { HTTPS_PROXY: undefined, https_proxy: undefined, HTTP_PROXY: undefined, http_proxy: undefined, ALL_PROXY: undefined, all_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined };

beforeAll(async () => {
  emu = await startTestEmulator();
  const pems = await generate([{ name: 'commonName', value: HOST }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: HOST }] }],
  });
  ws = workspace({ 'config/auth.yaml': `project: ${REF}\nauth:\n  site_url: https://app.example.com\n` });
  writeFileSync(ws.path('ca.pem'), pems.cert);
  front = await startTlsFront(pems.private, pems.cert, Number(new URL(emu.url).port));
  proxy = await startProxy(() => front.port);
  authProxy = await startProxy(() => front.port, `${PROXY_USER}:${PROXY_PASSWORD}`);
});
afterAll(async () => {
  await Promise.all([proxy?.close(), authProxy?.close(), front?.close(), emu?.close()]);
  ws?.remove();
});
beforeEach(async () => {
  proxy.reset();
  authProxy.reset();
  await clearRequestLog(emu);
});

function plan(env: Record<string, string | undefined>, args: string[] = []): Promise<CliResult> {
  return runCli(['plan', '-c', ws.path('config'), '--log-level', 'debug', ...args], {
    env: {
      ...NO_PROXY_VARS,
      SUPABASE_API_URL: `https://${HOST}:${front.port}`,
      SUPABASE_ACCESS_TOKEN: TOKEN,
      NODE_EXTRA_CA_CERTS: ws.path('ca.pem'),
      NODE_OPTIONS: `--import ${ROOT}test/helpers/hosts-preload.mjs`,
      SUPASYNC_TEST_HOSTS: `${HOST}=127.0.0.1`,
      ...env,
    },
  });
}

const everything = (r: CliResult) => r.stdout + r.stderr;

describe('through an egress proxy', () => {
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'ALL_PROXY'] as const) {
    it(`${name}: https goes through CONNECT; the proxy never sees the token`, async () => {
      const result = await plan({ [name]: `http://127.0.0.1:${proxy.port}` });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/Plan: |No changes/);
      expect(proxy.connects.length).toBeGreaterThan(0);
      for (const c of proxy.connects) {
        expect(c.target).toBe(`${HOST}:${front.port}`);
        expect(Object.keys(c.headers)).not.toContain('authorization');
      }
      expect(proxy.plain).toEqual([]);
      // Inside the tunnel: TLS, so neither the token nor a request line in clear.
      const tunnelled = proxy.tunnelled().toString('latin1');
      expect(tunnelled.length).toBeGreaterThan(0);
      expect(tunnelled).not.toContain(TOKEN);
      expect(tunnelled).not.toContain('/v1/projects');
      // ...and the requests did reach the API.
      expect((await loggedRequests(emu)).some((r) => r.path === `/v1/projects/${REF}/config/auth`)).toBe(true);
    });
  }

  it('NO_PROXY (and no_proxy) naming the API host bypass the proxy', async () => {
    for (const [noProxyVar, value] of [['NO_PROXY', `other.example,.supabase.test`], ['no_proxy', `${HOST}:${front.port}`], ['NO_PROXY', '*']] as const) {
      proxy.reset();
      const before = front.connections;
      const result = await plan({ HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`, [noProxyVar]: value });
      expect(result.code, `${noProxyVar}=${value}: ${result.stderr}`).toBe(0);
      expect(proxy.connects, `${noProxyVar}=${value}`).toEqual([]);
      expect(front.connections).toBeGreaterThan(before); // it reached the API, straight
    }
  });

  it('a NO_PROXY entry for another host or port does not bypass it', async () => {
    const result = await plan({ HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: `example.com,${HOST}:1` });
    expect(result.code, result.stderr).toBe(0);
    expect(proxy.connects.length).toBeGreaterThan(0);
  });

  it('a loopback API is never proxied, whatever the variables say', async () => {
    const result = await plan({
      SUPABASE_API_URL: emu.url,
      HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
      HTTP_PROXY: `http://127.0.0.1:${proxy.port}`,
      ALL_PROXY: `http://127.0.0.1:${proxy.port}`,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(proxy.connects).toEqual([]);
    expect(proxy.plain).toEqual([]);
  });
});

describe('proxy credentials', () => {
  it('are sent to the proxy that asks for them, and appear in no output', async () => {
    const result = await plan({ HTTPS_PROXY: `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${authProxy.port}` });
    expect(result.code, result.stderr).toBe(0);
    expect(authProxy.connects.length).toBeGreaterThan(0);
    expect(everything(result)).not.toContain(PROXY_PASSWORD);
    expect(everything(result)).toContain(`"proxy":"http://127.0.0.1:${authProxy.port}"`); // the debug line, without them
  });

  it('a 407 is a clear error naming the credentials, never quoting them', async () => {
    const result = await plan({ HTTPS_PROXY: `http://${PROXY_USER}:wrong-${PROXY_PASSWORD}@127.0.0.1:${authProxy.port}` }, ['--format', 'json']);
    expect(result.code).toBe(1);
    expect(everything(result)).toContain('the proxy asked for credentials (407)');
    expect(everything(result)).not.toContain(PROXY_PASSWORD);
    expect(everything(result)).not.toContain(Buffer.from(`${PROXY_USER}:wrong-${PROXY_PASSWORD}`).toString('base64'));
    expect(result.stderr).not.toMatch(/Internal error|\n\s+at /);
  });

  it('an unusable proxy URL stops the command before anything is sent (exit 3), naming the variable, not the value', async () => {
    for (const [value, message] of [
      [`socks5://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:1080`, 'HTTPS_PROXY: socks5 proxies are not supported'],
      [`http://${PROXY_USER}:${PROXY_PASSWORD}@[bad`, 'HTTPS_PROXY is not a valid proxy URL'],
    ] as const) {
      const result = await plan({ HTTPS_PROXY: value });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(message);
      expect(everything(result)).not.toContain(PROXY_PASSWORD);
    }
    expect(await loggedRequests(emu)).toEqual([]);
  });
});
