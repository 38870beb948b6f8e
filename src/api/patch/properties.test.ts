/**
 * Randomized (seeded, so repeatable) checks of the patch algebra over Deployment-shaped objects:
 * two-way patches round trip, and three-way patches keep what only the server set.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from './strategic-merge.js';
import { createThreeWayMergePatch, createTwoWayMergePatch } from './three-way.js';
import { clone } from './json-value.js';
import { randomDeployment as gen, rng } from './testing.js';

const DEPLOY = { group: 'apps', version: 'v1', kind: 'Deployment' };
type Obj = Record<string, any>;

test('two-way patches round trip on random pairs (300 pairs, both directions)', () => {
  const r = rng(42);
  for (let i = 0; i < 300; i++) {
    const a = gen(r);
    const b = gen(r);
    const ab = createTwoWayMergePatch(a, b, DEPLOY);
    assert.deepEqual(applyStrategicMergePatch(a, ab, DEPLOY), b, `pair ${i}: ${JSON.stringify(ab)}`);
    assert.deepEqual(createTwoWayMergePatch(a, a, DEPLOY), {}, `pair ${i}: identity`);
  }
});

test('three-way patches: the result is the new configuration plus what only the server set (300 cases)', () => {
  const r = rng(7);
  for (let i = 0; i < 300; i++) {
    const original = gen(r);
    const modified = gen(r);
    // the live object: the last applied configuration plus server-side additions
    const current = clone(original);
    current.metadata.uid = 'u';
    current.metadata.labels = { ...current.metadata.labels, 'server-only': 's' };
    current.status = { replicas: 1 };
    for (const c of current.spec.template.spec.containers) c.imagePullPolicy = 'IfNotPresent';
    current.spec.template.spec.containers.push({ name: 'injected', image: 'sidecar' });

    const patch = createThreeWayMergePatch(original, modified, current, DEPLOY);
    const result = applyStrategicMergePatch(current, patch, DEPLOY) as Obj;
    const ctx = `case ${i}: ${JSON.stringify(patch)}`;
    assert.deepEqual(result.metadata.labels, { ...modified.metadata.labels, 'server-only': 's' }, ctx);
    assert.equal(result.metadata.uid, 'u', ctx);
    assert.deepEqual(result.status, { replicas: 1 }, ctx);
    assert.equal(result.spec.replicas, modified.spec.replicas, ctx);
    const names = result.spec.template.spec.containers.map((c: Obj) => c.name);
    assert.deepEqual(names.filter((n: string) => n !== 'injected'), modified.spec.template.spec.containers.map((c: Obj) => c.name), ctx);
    assert.ok(names.includes('injected'), ctx);
    for (const mc of modified.spec.template.spec.containers) {
      const rc = result.spec.template.spec.containers.find((c: Obj) => c.name === mc.name);
      assert.equal(rc.image, mc.image, ctx);
      assert.deepEqual(rc.args, mc.args, ctx);
      assert.deepEqual((rc.env ?? []).map((e: Obj) => e.name), (mc.env ?? []).map((e: Obj) => e.name), ctx);
      if (original.spec.template.spec.containers.some((c: Obj) => c.name === mc.name)) assert.equal(rc.imagePullPolicy, 'IfNotPresent', ctx);
    }
    assert.deepEqual(result.metadata.finalizers ?? [], modified.metadata.finalizers ?? [], ctx);
    assert.deepEqual(result.spec.template.spec.tolerations, modified.spec.template.spec.tolerations, ctx);
    assert.deepEqual(result.spec.strategy, modified.spec.strategy, ctx);
    // applying the same configuration again against the result changes nothing
    const again = createThreeWayMergePatch(modified, modified, result, DEPLOY);
    assert.deepEqual(applyStrategicMergePatch(result, again, DEPLOY), result, `${ctx} / again ${JSON.stringify(again)}`);
  }
});
