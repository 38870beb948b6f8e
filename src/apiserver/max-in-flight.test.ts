import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/errors.js';
import { parseRequestInfo } from './handlers/request-info.js';
import { MaxInFlight } from './max-in-flight.js';

const info = (method: string, url: string) => {
  const u = new URL(url, 'https://x');
  return parseRequestInfo(method, u.pathname, u.searchParams);
};

test('beyond the limits requests get 429 with Retry-After; watches and streams hold no slot', () => {
  const limit = new MaxInFlight(2, 1);
  const r1 = limit.acquire(info('GET', '/api/v1/pods'));
  limit.acquire(info('GET', '/api/v1/pods'));
  assert.throws(() => limit.acquire(info('GET', '/api/v1/pods')), (e: unknown) => e instanceof ApiError && e.code === 429 && e.details?.retryAfterSeconds === 1);
  for (let i = 0; i < 5; i++) limit.acquire(info('GET', '/api/v1/pods?watch=true'));
  limit.acquire(info('GET', '/api/v1/namespaces/d/pods/p/log'));
  const w = limit.acquire(info('POST', '/api/v1/namespaces/d/pods'));
  assert.throws(() => limit.acquire(info('DELETE', '/api/v1/namespaces/d/pods/p')), (e: unknown) => e instanceof ApiError && e.reason === 'TooManyRequests');
  w();
  w();
  limit.acquire(info('DELETE', '/api/v1/namespaces/d/pods/p'));
  r1();
  limit.acquire(info('GET', '/version'));
});
