/**
 * Randomized (seeded) checks of server-side apply over Deployment-shaped objects:
 * a lone applier converges on its configuration, applying twice changes nothing, ownership is exact, and
 * another manager's fields survive the applier's changes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clone } from '../patch/json-value.js';
import { randomDeployment, rng } from '../patch/testing.js';
import { conflictError, serverSideApply, updateManagedFields } from './server-side-apply.js';
import { FieldSet } from './field-set.js';
import { toFieldSet } from './typed.js';
import { Schema } from '../patch/merge-keys.js';

type Obj = Record<string, any>;
const DEPLOY = { group: 'apps', version: 'v1', kind: 'Deployment' };
const NOW = new Date('2024-01-01T00:00:00Z');

const apply = (live: Obj | undefined, applied: Obj, manager: string, force = false): { object: Obj | null; conflicts: any[] } =>
  serverSideApply({ live, applied, manager, force, gvk: DEPLOY, now: NOW }) as { object: Obj | null; conflicts: any[] };
const withoutManaged = (o: Obj): Obj => {
  const c = clone(o);
  delete c.metadata.managedFields;
  return c;
};

/** Drops empty lists: nobody owns them, and upstream's typed objects omit them anyway. */
function dropEmptyLists(v: any): any {
  if (Array.isArray(v)) return v.map(dropEmptyLists);
  if (v && typeof v === 'object') {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) if (!(Array.isArray(x) && x.length === 0)) out[k] = dropEmptyLists(x);
    return out;
  }
  return v;
}

/** Sorts merged lists by key, for comparisons where only membership matters. */
function canonical(o: Obj): Obj {
  const c = dropEmptyLists(withoutManaged(o));
  const sortBy = (xs: Obj[] | undefined, k: string): void => { xs?.sort((a, b) => String(a[k]).localeCompare(String(b[k]))); };
  sortBy(c.spec.template.spec.containers, 'name');
  for (const ct of c.spec.template.spec.containers ?? []) { sortBy(ct.env, 'name'); sortBy(ct.ports, 'containerPort'); }
  c.metadata.finalizers?.sort();
  sortBy(c.spec.template.spec.volumes, 'name');
  return c;
}

test('a lone applier converges on each new configuration; re-applying is a no-op (300 steps)', () => {
  const r = rng(11);
  let live: Obj | undefined;
  for (let i = 0; i < 300; i++) {
    const cfg = randomDeployment(r);
    const { object, conflicts } = apply(live, cfg, 'kubectl');
    assert.deepEqual(conflicts, [], `step ${i}`);
    assert.deepEqual(canonical(object!), canonical(cfg), `step ${i}`);
    const mf = object!.metadata.managedFields as Obj[];
    assert.equal(mf.length, 1, `step ${i}`);
    assert.deepEqual(FieldSet.fromFieldsV1(mf[0]!.fieldsV1).toFieldsV1(), toFieldSet({ spec: cfg.spec, metadata: { labels: cfg.metadata.labels, ...(cfg.metadata.finalizers ? { finalizers: cfg.metadata.finalizers } : {}) } }, Schema.forKind(DEPLOY)).toFieldsV1(), `step ${i}`);
    const again = apply(object!, cfg, 'kubectl');
    assert.deepEqual(again.object, object, `step ${i}: idempotent`);
    live = object!;
  }
});

test('another writer\'s fields survive; its changed fields conflict until forced (200 cases)', () => {
  const r = rng(5);
  for (let i = 0; i < 200; i++) {
    const cfg = randomDeployment(r);
    const created = apply(undefined, cfg, 'kubectl').object!;
    // another writer adds a label and an annotation, and changes replicas
    const edited = clone(created);
    edited.metadata.labels = { ...edited.metadata.labels, 'other-label': 'o' };
    edited.metadata.annotations = { note: 'n' };
    edited.spec.replicas = 10;
    const after = updateManagedFields(created, edited, 'editor', 'Update', NOW);
    // the applier re-applies a new configuration
    const cfg2 = randomDeployment(r);
    const res = apply(after, cfg2, 'kubectl');
    const ctx = `case ${i}`;
    if (cfg2.spec.replicas !== 10) {
      assert.equal(res.object, null, ctx);
      assert.equal(conflictError(res.conflicts).message, 'Apply failed with 1 conflict: conflict with "editor" using apps/v1: .spec.replicas', ctx);
      const forced = apply(after, cfg2, 'kubectl', true).object!;
      assert.equal(forced.spec.replicas, cfg2.spec.replicas, ctx);
      assert.equal(forced.metadata.labels['other-label'], 'o', ctx);
      assert.deepEqual(forced.metadata.annotations, { note: 'n' }, ctx);
      const editor = (forced.metadata.managedFields as Obj[]).find((e) => e.manager === 'editor')!;
      assert.equal(editor.fieldsV1['f:spec'], undefined, ctx);
      assert.deepEqual(editor.fieldsV1['f:metadata'], { 'f:annotations': { '.': {}, 'f:note': {} }, 'f:labels': { 'f:other-label': {} } }, ctx);
      // the forced object, re-applied, is stable
      assert.deepEqual(apply(forced, cfg2, 'kubectl').object, forced, ctx);
    } else {
      assert.deepEqual(res.conflicts, [], ctx);
    }
  }
});
