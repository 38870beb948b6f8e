import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../api/types.js';
import { evictionMessage, rankForEviction } from './eviction.js';

const pod = (uid: string, resources?: object): Pod => ({ metadata: { uid, name: uid }, spec: { containers: [{ name: 'c', ...(resources ? { resources } : {}) }] } } as Pod);

test('eviction order: BestEffort before Burstable before Guaranteed, larger memory users first', () => {
  const guaranteed = pod('g', { limits: { cpu: '1', memory: '1Gi' } });
  const burstable = pod('b', { requests: { memory: '10Mi' } });
  const small = pod('be-small');
  const big = pod('be-big');
  const usage = (uid: string) => ({ 'be-big': 500, 'be-small': 10 } as Record<string, number>)[uid] ?? 0;
  assert.deepEqual(rankForEviction([guaranteed, burstable, small, big], usage).map((p) => p.metadata!.uid), ['be-big', 'be-small', 'b', 'g']);
  assert.equal(evictionMessage('memory'), 'The node was low on resource: memory. ');
});
