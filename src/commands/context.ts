/** What the one-shot commands share besides the engine (src/reconcile) and the client (src/api). */
export type { ConfigOptions } from '../reconcile/selection.js';
export type { ClientOptions } from '../api/shared-client.js';

/** Colour only on a terminal, and never with --no-color or NO_COLOR. */
export function useColor(flag: boolean | undefined, stream: NodeJS.WriteStream): boolean {
  return flag !== false && Boolean(stream.isTTY) && !process.env.NO_COLOR;
}
