/**
 * The daemon's API client, shared by every reconcile (one limiter, one pool of keep-alive sockets).
 * `refresh` — at every sweep and configuration change — reads the token (`--token-file` or the
 * environment) and the API URL again: when they changed (a rotated Secret), later reconciles get a
 * new client, and the old one is closed once the reconciles holding it are done. When they cannot
 * be read, reconciles fail with that error (a configuration problem) until they can.
 */
import { createHash } from 'node:crypto';
import { createClientFromEnv, resolveClientSettings, type ClientFromEnvOptions, type ManagedApiClient } from '../api/index.js';
import type { LeasedClient } from './reconciler.js';

interface Held {
  client: ManagedApiClient;
  key: string;
  users: number;
  retired: boolean;
}

export class ClientSource {
  private current: Held | undefined;
  private failure: unknown;

  constructor(private readonly options: ClientFromEnvOptions) {}

  /** Re-reads the settings; a new client when they changed. */
  refresh(): void {
    let key: string;
    try {
      const { baseUrl, token } = resolveClientSettings({ env: this.options.env, tokenFile: this.options.tokenFile });
      // Compared as a hash: the settings hold the token.
      key = createHash('sha256').update(`${baseUrl}\n${token}`).digest('hex');
      this.failure = undefined;
    } catch (err) {
      this.failure = err;
      return;
    }
    if (this.current?.key === key) return;
    const next: Held = { client: createClientFromEnv(this.options), key, users: 0, retired: false };
    if (this.current) this.retire(this.current);
    this.current = next;
  }

  lease(): LeasedClient {
    if (this.failure !== undefined) throw this.failure;
    if (!this.current) this.refresh();
    if (this.failure !== undefined) throw this.failure;
    const held = this.current!;
    held.users++;
    let released = false;
    return {
      client: held.client,
      release: () => {
        if (released) return;
        released = true;
        held.users--;
        if (held.retired && held.users === 0) held.client.close();
      },
    };
  }

  close(): void {
    if (this.current) this.retire(this.current);
    this.current = undefined;
  }

  private retire(held: Held): void {
    held.retired = true;
    if (held.users === 0) held.client.close();
  }
}
