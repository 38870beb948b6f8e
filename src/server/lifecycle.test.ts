import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAll, StartupError, type Component } from './lifecycle.js';

function recorder() {
  const calls: string[] = [];
  const comp = (name: string, fail = false): Component<null> => ({
    name,
    async start() {
      calls.push(`start ${name}`);
      if (fail) throw new Error(`${name} is broken`);
      return { detail: `${name}-detail`, stop: async () => { calls.push(`stop ${name}`); } };
    },
  });
  return { calls, comp };
}

test('components start in order, log one ready line each, and stop in reverse', async () => {
  const { calls, comp } = recorder();
  const lines: string[] = [];
  const stop = await startAll([comp('store'), comp('apiserver')], null, (l) => lines.push(l));
  assert.deepEqual(lines, ['store ready (store-detail)', 'apiserver ready (apiserver-detail)']);
  await stop();
  assert.deepEqual(calls, ['start store', 'start apiserver', 'stop apiserver', 'stop store']);
});

test('a component that fails stops the ones already started and names itself', async () => {
  const { calls, comp } = recorder();
  await assert.rejects(startAll([comp('store'), comp('apiserver', true), comp('scheduler')], null, () => {}),
    (err: unknown) => err instanceof StartupError && err.message === 'apiserver: apiserver is broken');
  assert.deepEqual(calls, ['start store', 'start apiserver', 'stop store']);
});
