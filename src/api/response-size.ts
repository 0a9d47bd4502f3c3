/**
 * The cap on an answer's size. got buffers a whole body before handing it over, so an endless or
 * huge answer (a broken proxy, a hostile endpoint) would take the process's memory with it: 1 GB
 * took 2.2 GB of RSS, 4 GB crashed V8. The watcher below cancels the request — which closes the
 * socket, so the rest is never downloaded — as soon as the announced length or the bytes received
 * pass the cap. Bytes are counted as they arrive: the client asks for uncompressed answers, so
 * they are also the bytes held in memory.
 */
import type { CancelableRequest, Response } from 'got';

/**
 * Largest answer body accepted, 8 MiB. The largest answers supasync reads (auth config, an SSO
 * provider list, a project's secrets) are tens of KiB; the example containers run in 192 MiB.
 */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface SizeWatch {
  /** Set once the answer was found too large and the request cancelled. */
  readonly exceeded: boolean;
  /** The status of the answer, once its head arrived. */
  readonly status: number | undefined;
}

export const tooLargeDetail = (max: number): string => `response larger than ${Math.round(max / (1024 * 1024))} MiB`;

export function watchResponseSize(pending: CancelableRequest<Response<string>>, max: number): SizeWatch {
  const watch = { exceeded: false, status: undefined as number | undefined };
  pending.on('request', (request) => request.once('response', (res) => (watch.status = res.statusCode)));
  pending.on('downloadProgress', ({ transferred, total }) => {
    if (watch.exceeded) return;
    // `total` is the content-length (checked on the first event, before any byte is read);
    // `transferred` counts the bytes of a chunked answer as they come.
    if (transferred > max || (total !== undefined && total > max)) {
      watch.exceeded = true;
      pending.cancel();
    }
  });
  return watch;
}
