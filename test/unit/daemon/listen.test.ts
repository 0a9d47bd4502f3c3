import { describe, expect, it } from 'vitest';
import { ListenSyntaxError, listenUrl, parseListen } from '../../../src/daemon/listen.js';

describe('parseListen', () => {
  it.each([
    ['0.0.0.0:9464', { host: '0.0.0.0', port: 9464 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    [':9464', { host: '0.0.0.0', port: 9464 }],
    ['[::1]:9464', { host: '::1', port: 9464 }],
    ['[::]:80', { host: '::', port: 80 }],
    ['localhost:8080', { host: 'localhost', port: 8080 }],
  ])('%s', (text, expected) => {
    expect(parseListen(text)).toEqual(expected);
  });

  it.each(['9464', 'localhost', '::1:9464', 'host:', 'host:65536', 'host:-1', '[::1]', 'a:b'])('refuses %j', (text) => {
    expect(() => parseListen(text)).toThrow(ListenSyntaxError);
  });
});

describe('listenUrl', () => {
  it('brackets IPv6 hosts', () => {
    expect(listenUrl('::1', 9464)).toBe('http://[::1]:9464');
    expect(listenUrl('127.0.0.1', 9464)).toBe('http://127.0.0.1:9464');
  });
});
