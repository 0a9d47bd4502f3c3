import { describe, expect, it } from 'vitest';
import { readAll } from '../../../src/providers/read-all.js';

describe('readAll', () => {
  it('gives every result in order', async () => {
    expect(await readAll<[number, string]>([Promise.resolve(1), Promise.resolve('two')])).toEqual([1, 'two']);
  });

  it('fails with the first failure only once every read has settled: nothing is left in flight', async () => {
    let release!: (value: string) => void;
    const slow = new Promise<string>((resolve) => (release = resolve));
    let settled = false;
    const result = readAll<[string, string]>([Promise.reject(new Error('401')), slow]).finally(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    release('late');
    await expect(result).rejects.toThrow('401');
  });
});
