/**
 * Reads a section needs at once, each settled before the section's read ends: a failure is thrown
 * only when every request is done, so that no request of a failed read is still in flight (and
 * retrying) after its cycle has ended.
 */
export async function readAll<T extends readonly unknown[]>(reads: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(reads);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
