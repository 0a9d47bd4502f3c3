/**
 * The daemon's small HTTP surface (node:http): `/healthz` (liveness), `/readyz` (readiness, JSON
 * reason) and `/metrics` (Prometheus text). GET and HEAD only; nothing else is served.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Liveness } from './liveness.js';
import type { DaemonMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';

export interface ProbeServerOptions {
  host: string;
  port: number;
  liveness: Liveness;
  readiness: () => Readiness;
  metrics: DaemonMetrics;
}

export interface ProbeServer {
  readonly host: string;
  readonly port: number;
  /** Stops accepting, ends idle keep-alive connections; `force` also cuts the active ones. */
  close(force?: boolean): Promise<void>;
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string, head: boolean): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

const json = (value: unknown) => `${JSON.stringify(value)}\n`;

export async function startProbeServer(opts: ProbeServerOptions): Promise<ProbeServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, 'application/json', json({ error: 'method not allowed' }), false);
      return;
    }
    if (path === '/healthz') {
      const lagMs = opts.liveness.lagMs();
      const live = opts.liveness.live();
      send(res, live ? 200 : 503, 'application/json', json({ status: live ? 'ok' : 'event loop stalled', event_loop_lag_ms: lagMs }), head);
    } else if (path === '/readyz') {
      const r = opts.readiness();
      send(res, r.ready ? 200 : 503, 'application/json', json({ status: r.ready ? 'ready' : 'not ready', reason: r.reason, ...(r.detail ? { detail: r.detail } : {}) }), head);
    } else if (path === '/metrics') {
      opts.metrics.render().then(
        (text) => send(res, 200, opts.metrics.contentType, text, head),
        () => send(res, 500, 'application/json', json({ error: 'metrics unavailable' }), head),
      );
    } else {
      send(res, 404, 'application/json', json({ error: 'not found', paths: ['/healthz', '/readyz', '/metrics'] }), head);
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    host: opts.host,
    port: address.port,
    close(force = false) {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        if (force) server.closeAllConnections();
        else server.closeIdleConnections();
      });
    },
  };
}
