/** `--listen HOST:PORT`: `0.0.0.0:9464`, `127.0.0.1:0`, `[::1]:9464`, `:9464` (every address). */
export interface ListenAddress {
  host: string;
  port: number;
}

export class ListenSyntaxError extends Error {}

export function parseListen(text: string): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  if (!match) throw new ListenSyntaxError(`"${text}" is not HOST:PORT (e.g. 0.0.0.0:9464, [::1]:9464, :9464)`);
  const port = Number(match[3]);
  if (port > 65_535) throw new ListenSyntaxError(`"${text}": port ${port} is above 65535`);
  const host = match[1] ?? match[2] ?? '';
  return { host: host || '0.0.0.0', port };
}

/** The URL a listener answers on, for the log line that announces it. */
export function listenUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
