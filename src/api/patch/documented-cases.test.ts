/**
 * Table of documented strategic-merge-patch behaviours (upstream's strategicpatch test scenarios, restated on
 * Pod fields): for each case the two-way patch, its result, the three-way patch and its result on the live
 * object. Mapping: scalar fields `hostname`/`subdomain`/`schedulerName`, a map `nodeSelector`, a merged list
 * of objects `containers` (key `name`), a merged list of scalars `metadata.finalizers`, an atomic list
 * `tolerations`, a retainKeys object (Deployment `spec.strategy`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from './strategic-merge.js';
import { createThreeWayMergePatch, createTwoWayMergePatch } from './three-way.js';

const POD = { group: '', version: 'v1', kind: 'Pod' };
const DEPLOY = { group: 'apps', version: 'v1', kind: 'Deployment' };

interface Case {
  name: string;
  gvk?: typeof POD;
  original?: unknown;
  modified: unknown;
  current: unknown;
  twoWay: unknown;
  twoWayResult?: unknown;
  threeWay: unknown;
  result: unknown;
}

const spec = (s: unknown): unknown => ({ spec: s });
const fin = (f: string[]): unknown => ({ metadata: { finalizers: f } });
const c = (name: string, image?: string, workingDir?: string): Record<string, string> => ({ name, ...(image ? { image } : {}), ...(workingDir ? { workingDir } : {}) });

const cases: Case[] = [
  { name: 'no original', modified: spec({ hostname: '1', subdomain: '1' }), current: spec({ hostname: '1', schedulerName: 'a' }),
    twoWay: spec({ hostname: '1', subdomain: '1' }), threeWay: spec({ subdomain: '1' }), result: spec({ hostname: '1', subdomain: '1', schedulerName: 'a' }) },
  { name: 'nothing to do', original: spec({ hostname: '1' }), modified: spec({ hostname: '1' }), current: spec({ hostname: '1' }),
    twoWay: {}, threeWay: {}, result: spec({ hostname: '1' }) },
  { name: 'add a field', original: spec({ hostname: '1' }), modified: spec({ hostname: '1', subdomain: '1' }), current: spec({ hostname: '1', schedulerName: 'a' }),
    twoWay: spec({ subdomain: '1' }), threeWay: spec({ subdomain: '1' }), result: spec({ hostname: '1', subdomain: '1', schedulerName: 'a' }) },
  { name: 'add a field, live changed another', original: spec({ hostname: '1' }), modified: spec({ hostname: '1', subdomain: '1' }), current: spec({ hostname: 'a', schedulerName: 'a' }),
    twoWay: spec({ subdomain: '1' }), threeWay: spec({ hostname: '1', subdomain: '1' }), result: spec({ hostname: '1', subdomain: '1', schedulerName: 'a' }) },
  { name: 'add a field and delete one', original: spec({ hostname: '1' }), modified: spec({ subdomain: '1' }), current: spec({ hostname: 'a', schedulerName: 'a' }),
    twoWay: spec({ hostname: null, subdomain: '1' }), threeWay: spec({ hostname: null, subdomain: '1' }), result: spec({ subdomain: '1', schedulerName: 'a' }) },
  { name: 'delete from a nested map, live changed another key', original: spec({ nodeSelector: { k1: '1', k2: '1' } }), modified: spec({ nodeSelector: { k1: '1' } }),
    current: spec({ nodeSelector: { k1: 'a', k2: '1', other: 'a' } }),
    twoWay: spec({ nodeSelector: { k2: null } }), threeWay: spec({ nodeSelector: { k1: '1', k2: null } }), result: spec({ nodeSelector: { k1: '1', other: 'a' } }) },
  { name: 'delete every field', original: spec({ hostname: '1', subdomain: '1' }), modified: spec({}), current: spec({ hostname: '1', subdomain: 'a', schedulerName: 'a' }),
    twoWay: spec({ hostname: null, subdomain: null }), threeWay: spec({ hostname: null, subdomain: null }), result: spec({ schedulerName: 'a' }) },
  { name: 'atomic list replaced', original: spec({ tolerations: [{ key: '1' }, { key: '2' }] }), modified: spec({ tolerations: [{ key: '2' }, { key: '3' }] }),
    current: spec({ tolerations: [{ key: '1' }, { key: '4' }] }),
    twoWay: spec({ tolerations: [{ key: '2' }, { key: '3' }] }), threeWay: spec({ tolerations: [{ key: '2' }, { key: '3' }] }), result: spec({ tolerations: [{ key: '2' }, { key: '3' }] }) },
  { name: 'delete every item of a merged list', original: spec({ containers: [c('1'), c('2')] }), modified: spec({ containers: [] }),
    current: spec({ containers: [c('1', 'x'), c('2', 'y')] }),
    twoWay: spec({ containers: [{ name: '1', $patch: 'delete' }, { name: '2', $patch: 'delete' }] }),
    threeWay: spec({ containers: [{ name: '1', $patch: 'delete' }, { name: '2', $patch: 'delete' }] }), result: spec({ containers: [] }) },
  { name: 'empty merged lists', original: spec({ containers: [] }), modified: spec({ containers: [] }), current: spec({ containers: [] }),
    twoWay: {}, threeWay: {}, result: spec({ containers: [] }) },
  { name: 'explicit null overrides the live value', original: spec({ hostname: '2' }), modified: spec({ hostname: '1', subdomain: '1', schedulerName: null }),
    current: spec({ hostname: 'a', schedulerName: 'a' }),
    twoWay: spec({ hostname: '1', subdomain: '1', schedulerName: null }), twoWayResult: spec({ hostname: '1', subdomain: '1' }),
    threeWay: spec({ hostname: '1', subdomain: '1', schedulerName: null }), result: spec({ hostname: '1', subdomain: '1' }) },
  { name: 'explicit null removes an original field', original: spec({ hostname: 'o', subdomain: 'o' }), modified: spec({ hostname: 'm', subdomain: null }),
    current: spec({ hostname: 'o', subdomain: 'o', schedulerName: 'c' }),
    twoWay: spec({ hostname: 'm', subdomain: null }), twoWayResult: spec({ hostname: 'm' }),
    threeWay: spec({ hostname: 'm', subdomain: null }), result: spec({ hostname: 'm', schedulerName: 'c' }) },
  { name: 'unchanged retainKeys object is left out', gvk: DEPLOY, original: spec({ paused: false, strategy: { type: 'Recreate' } }),
    modified: spec({ paused: false, replicas: 2, strategy: { type: 'Recreate' } }), current: spec({ paused: false, minReadySeconds: 3, strategy: { type: 'Recreate' } }),
    twoWay: spec({ replicas: 2 }), threeWay: spec({ replicas: 2 }), result: spec({ paused: false, replicas: 2, minReadySeconds: 3, strategy: { type: 'Recreate' } }) },
  { name: 'delete from a merged list of scalars', original: fin(['1', '2', '3']), modified: fin(['1', '2']), current: fin(['1', '2', '3', '4']),
    twoWay: { metadata: { '$setElementOrder/finalizers': ['1', '2'], '$deleteFromPrimitiveList/finalizers': ['3'] } },
    threeWay: { metadata: { '$setElementOrder/finalizers': ['1', '2'], '$deleteFromPrimitiveList/finalizers': ['3'] } }, result: fin(['1', '2', '4']) },
  { name: 'add to and delete from a merged list of scalars', original: fin(['1', '2', '3']), modified: fin(['1', '2', '4']), current: fin(['1', '2', '3', '4']),
    twoWay: { metadata: { '$setElementOrder/finalizers': ['1', '2', '4'], '$deleteFromPrimitiveList/finalizers': ['3'], finalizers: ['4'] } },
    threeWay: { metadata: { '$setElementOrder/finalizers': ['1', '2', '4'], '$deleteFromPrimitiveList/finalizers': ['3'] } }, result: fin(['1', '2', '4']) },
  { name: 'merge lists of objects', original: spec({ containers: [c('1'), c('2', '2')] }),
    modified: spec({ containers: [c('4', '4'), c('1'), c('2', '2'), c('3', '3')] }),
    current: spec({ containers: [c('1', undefined, 'a'), c('2', '2', 'b')] }),
    twoWay: spec({ '$setElementOrder/containers': [{ name: '4' }, { name: '1' }, { name: '2' }, { name: '3' }], containers: [c('4', '4'), c('3', '3')] }),
    threeWay: spec({ '$setElementOrder/containers': [{ name: '4' }, { name: '1' }, { name: '2' }, { name: '3' }], containers: [c('4', '4'), c('3', '3')] }),
    result: spec({ containers: [c('4', '4'), c('1', undefined, 'a'), c('2', '2', 'b'), c('3', '3')] }) },
  { name: 'merge lists of objects, live changed an item', original: spec({ containers: [c('1'), c('2', '2')] }),
    modified: spec({ containers: [c('1'), c('2', '2'), c('3', '3')] }),
    current: spec({ containers: [c('1', undefined, 'a'), c('2', '3', 'b')] }),
    twoWay: spec({ '$setElementOrder/containers': [{ name: '1' }, { name: '2' }, { name: '3' }], containers: [c('3', '3')] }),
    threeWay: spec({ '$setElementOrder/containers': [{ name: '1' }, { name: '2' }, { name: '3' }], containers: [c('2', '2'), c('3', '3')] }),
    result: spec({ containers: [c('1', undefined, 'a'), c('2', '2', 'b'), c('3', '3')] }) },
  { name: 'add a field to an item of a merged list', original: spec({ containers: [c('1'), c('2', '2')] }),
    modified: spec({ containers: [c('1', '1'), c('2', '2')] }),
    current: spec({ containers: [c('1', undefined, 'a'), c('2', '2', 'b')] }),
    twoWay: spec({ '$setElementOrder/containers': [{ name: '1' }, { name: '2' }], containers: [c('1', '1')] }),
    threeWay: spec({ '$setElementOrder/containers': [{ name: '1' }, { name: '2' }], containers: [c('1', '1')] }),
    result: spec({ containers: [c('1', '1', 'a'), c('2', '2', 'b')] }) },
  { name: 'retainKeys list items: a field only the live item has is cleared', original: spec({ volumes: [{ name: 'bar' }, { name: 'foo', hostPath: { path: '/a' } }] }),
    modified: spec({ volumes: [{ name: 'bar' }, { name: 'foo', hostPath: { path: '/a' } }] }),
    current: spec({ volumes: [{ name: 'bar' }, { name: 'foo', hostPath: { path: '/a' }, emptyDir: {} }] }),
    twoWay: {},
    threeWay: spec({ '$setElementOrder/volumes': [{ name: 'bar' }, { name: 'foo' }], volumes: [{ $retainKeys: ['hostPath', 'name'], name: 'foo' }] }),
    result: spec({ volumes: [{ name: 'bar' }, { name: 'foo', hostPath: { path: '/a' } }] }) },
  { name: 'retainKeys list items: a changed source replaces the old one', original: spec({ volumes: [{ name: 'bar' }, { name: 'foo', hostPath: { path: '/old' } }] }),
    modified: spec({ volumes: [{ name: 'bar' }, { name: 'foo', configMap: { name: 'cm' } }] }),
    current: spec({ volumes: [{ name: 'bar' }, { name: 'foo', hostPath: { path: '/old' } }] }),
    twoWay: spec({ '$setElementOrder/volumes': [{ name: 'bar' }, { name: 'foo' }], volumes: [{ $retainKeys: ['configMap', 'name'], name: 'foo', configMap: { name: 'cm' }, hostPath: null }] }),
    threeWay: spec({ '$setElementOrder/volumes': [{ name: 'bar' }, { name: 'foo' }], volumes: [{ $retainKeys: ['configMap', 'name'], name: 'foo', configMap: { name: 'cm' }, hostPath: null }] }),
    result: spec({ volumes: [{ name: 'bar' }, { name: 'foo', configMap: { name: 'cm' } }] }) },
];

test('documented strategic merge patch scenarios: two-way and three-way patches and their results', () => {
  for (const k of cases) {
    const gvk = k.gvk ?? POD;
    const original = k.original ?? {};
    assert.deepEqual(createTwoWayMergePatch(original, k.modified, gvk), k.twoWay, `${k.name}: two-way patch`);
    assert.deepEqual(applyStrategicMergePatch(original, k.twoWay, gvk), k.twoWayResult ?? k.modified, `${k.name}: two-way result`);
    assert.deepEqual(createThreeWayMergePatch(k.original, k.modified, k.current, gvk), k.threeWay, `${k.name}: three-way patch`);
    assert.deepEqual(applyStrategicMergePatch(k.current, k.threeWay, gvk), k.result, `${k.name}: three-way result`);
  }
});

test('documented application-only scenarios', () => {
  const apply = (doc: unknown, patch: unknown): unknown => applyStrategicMergePatch(doc, patch, POD);
  // scalars of a merged list stay unique
  assert.deepEqual(apply(fin(['1', '2']), fin(['2', '3'])), fin(['1', '2', '3']));
  // $patch: delete on a map empties it; $patch: replace on a list or map replaces it
  assert.deepEqual(apply(spec({ nodeSelector: { a: '1' } }), spec({ nodeSelector: { $patch: 'delete' } })), spec({ nodeSelector: {} }));
  assert.deepEqual(apply(spec({ containers: [c('1'), c('2')] }), spec({ containers: [{ $patch: 'replace' }] })), spec({ containers: [] }));
  assert.deepEqual(apply(spec({ hostname: '1', subdomain: '1' }), spec({ $patch: 'replace' })), spec({}));
  assert.deepEqual(apply(spec({ hostname: '1', subdomain: '1' }), spec({ schedulerName: 'a', $patch: 'replace' })), spec({ schedulerName: 'a' }));
  // the patch's order wins for the items it names; the others keep their place
  assert.deepEqual(apply(spec({ containers: [c('1'), c('2', 'b'), c('3')] }), spec({ containers: [c('3', 'c'), c('1', 'a'), c('2', undefined, 'x')] })),
    spec({ containers: [c('3', 'c'), c('1', 'a'), c('2', 'b', 'x')] }));
  assert.deepEqual(apply(spec({ containers: [c('1'), c('2', 'b'), c('3')] }), spec({ containers: [c('3', 'c'), c('1', 'a')] })),
    spec({ containers: [c('2', 'b'), c('3', 'c'), c('1', 'a')] }));
  assert.deepEqual(apply(fin(['1', '2', '3']), fin(['3', '1', '2'])), fin(['3', '1', '2']));
  assert.deepEqual(apply(fin(['1', '2', '3']), fin(['3', '1'])), fin(['2', '3', '1']));
  // $setElementOrder may name items that are nowhere
  assert.deepEqual(apply(spec({ containers: [c('1'), c('3')] }), spec({ '$setElementOrder/containers': [{ name: '3' }, { name: '2' }, { name: '1' }], containers: [c('3', '3'), c('1', '1')] })),
    spec({ containers: [c('3', '3'), c('1', '1')] }));
  assert.deepEqual(apply(fin(['1', '3']), { metadata: { '$setElementOrder/finalizers': ['3', '2', '1'] } }), fin(['3', '1']));
  // but the patch list must follow it
  assert.throws(() => apply(spec({ containers: [c('1'), c('3'), c('2')] }), spec({ '$setElementOrder/containers': [{ name: '1' }, { name: '2' }, { name: '3' }], containers: [c('3', '3'), c('1', '1')] })), /doesn't match/);
  assert.throws(() => apply(fin(['1', '3', '2']), { metadata: { '$setElementOrder/finalizers': ['1', '2', '3'], finalizers: ['3', '1'] } }), /doesn't match/);
  // a merged list item without its key
  assert.throws(() => apply(spec({ containers: [c('1', 'a')] }), spec({ containers: [{ image: 'b' }] })), /does not contain declared merge key/);
  // retainKeys objects merge normally when the patch has no $retainKeys
  const d = (s: unknown): unknown => applyStrategicMergePatch({ spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } }, { spec: { strategy: s } }, DEPLOY);
  assert.deepEqual(d({ rollingUpdate: { maxUnavailable: 2 } }), { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 2 } } } });
  assert.deepEqual(d({ rollingUpdate: null }), { spec: { strategy: { type: 'RollingUpdate' } } });
  assert.deepEqual(d({}), { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } });
});
