/**
 * The store conformance suite, written once and run against every backend (as upstream's
 * storage/testing/store_tests.go and Hono's runTest): each backend's `*.test.ts` calls
 * `runStoreConformance(name, newStore)`.
 *
 * Every test opens its own store with `newStore()` and closes it at the end. Tests work under their
 * own key prefix, so a backend may hand out stores that share one server (etcd).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  isStoreError, MAX_VALUE_BYTES, type Store, type StoreError, type StoreErrorCode, type WatchEvent,
} from '../store.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

let counter = 0;
/** A key prefix no other test (or earlier run against a shared server) uses. */
function freshPrefix(): string {
  return `/registry/conformance${counter++}-${randomBytes(4).toString('hex')}/`;
}

async function rejectsWith(p: Promise<unknown> | (() => unknown), code: StoreErrorCode): Promise<StoreError> {
  let caught: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    caught = err;
  }
  assert.ok(isStoreError(caught, code), `expected StoreError ${code}, got ${caught === undefined ? 'success' : String(caught)}`);
  return caught as StoreError;
}

/** Records a watch's events and its error; `until` waits for a condition with a deadline. */
function record(store: Store, prefix: string, from: number) {
  const events: WatchEvent[] = [];
  let error: StoreError | undefined;
  let wake = () => {};
  const w = store.watch(prefix, from, (evs) => { events.push(...evs); wake(); }, (err) => { error = err; wake(); });
  const until = async (what: string, cond: () => boolean, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what} (have ${events.length} events, error ${error?.message})`);
      await new Promise<void>((r) => { wake = r; setTimeout(r, 20); });
    }
  };
  return {
    events, get error() { return error; }, until,
    count: (n: number) => until(`${n} events`, () => events.length >= n),
    close: () => w.close(),
  };
}

/** A compact description of events for comparisons: "put key rev value" / "delete key rev prevValue". */
function show(ev: WatchEvent, prefix: string): string {
  const key = ev.kv.key.slice(prefix.length);
  const prev = ev.prev ? ` prev=${dec(ev.prev.value)}@${ev.prev.modRevision}` : '';
  return `${ev.type} ${key} ${ev.kv.modRevision} ${dec(ev.kv.value)}${prev}`;
}

export interface ConformanceOptions {
  /** Tests per key: "many keys" creates this many (default 3000). */
  manyKeys?: number;
}

export function runStoreConformance(name: string, newStore: () => Promise<Store>, options: ConformanceOptions = {}): void {
  const it = (title: string, fn: (store: Store, prefix: string) => Promise<void>) =>
    test(title, async () => {
      const store = await newStore();
      try {
        await fn(store, freshPrefix());
      } finally {
        await store.close();
      }
    });

  describe(`store conformance: ${name}`, () => {
    it('every write advances the one global revision by exactly one', async (s, p) => {
      const r0 = await s.currentRevision();
      const r1 = await s.create(`${p}a`, enc('1'));
      const r2 = await s.create(`${p}b`, enc('1'));
      const r3 = await s.update(`${p}a`, enc('2'), r1);
      const d = await s.delete(`${p}b`, r2);
      assert.ok(r1 > r0);
      assert.deepEqual([r2, r3, d.revision], [r1 + 1, r1 + 2, r1 + 3]);
      assert.equal(await s.currentRevision(), d.revision);
      const got = await s.get(`${p}a`);
      assert.equal(got.revision, d.revision);
      assert.deepEqual({ ...got.kv!, value: dec(got.kv!.value) }, { key: `${p}a`, value: '2', createRevision: r1, modRevision: r3 });
      assert.equal((await s.get(`${p}b`)).kv, undefined);
      assert.equal((await s.get(`${p}never`)).kv, undefined);
    });

    it('create fails with KeyExists when the key is live, and works again after delete', async (s, p) => {
      const r1 = await s.create(`${p}k`, enc('v1'));
      const err = await rejectsWith(s.create(`${p}k`, enc('v2')), 'KeyExists');
      assert.equal(dec(err.current?.value ?? enc('')), 'v1');
      assert.equal(dec((await s.get(`${p}k`)).kv!.value), 'v1');
      await s.delete(`${p}k`);
      const r2 = await s.create(`${p}k`, enc('v3'));
      const kv = (await s.get(`${p}k`)).kv!;
      assert.ok(r2 > r1);
      assert.equal(kv.createRevision, r2);
      assert.equal(dec(kv.value), 'v3');
    });

    it('update and delete are guarded by modRevision: Conflict carries the current value', async (s, p) => {
      const r1 = await s.create(`${p}k`, enc('v1'));
      const r2 = await s.update(`${p}k`, enc('v2'), r1);
      const c1 = await rejectsWith(s.update(`${p}k`, enc('stale'), r1), 'Conflict');
      assert.equal(c1.current?.modRevision, r2);
      assert.equal(dec(c1.current!.value), 'v2');
      assert.equal(c1.current?.createRevision, r1);
      const c2 = await rejectsWith(s.delete(`${p}k`, r1), 'Conflict');
      assert.equal(dec(c2.current!.value), 'v2');
      await rejectsWith(s.update(`${p}missing`, enc('x'), r1), 'NotFound');
      await rejectsWith(s.delete(`${p}missing`), 'NotFound');
      await rejectsWith(s.delete(`${p}missing`, r1), 'NotFound');
      const d = await s.delete(`${p}k`, r2);
      assert.equal(d.revision, r2 + 1);
      assert.deepEqual({ ...d.prev, value: dec(d.prev.value) }, { key: `${p}k`, value: 'v2', createRevision: r1, modRevision: r2 });
      await rejectsWith(s.update(`${p}k`, enc('x'), r2), 'NotFound');
      await rejectsWith(s.delete(`${p}k`, r2), 'NotFound');
    });

    it('list returns live keys under the prefix in byte order, paged at one revision', async (s, p) => {
      const names = ['b', 'a', 'c/1', 'c', 'B', 'd', 'e', 'f', 'g', 'h'];
      const revs = new Map<string, number>();
      for (const n of names) revs.set(n, await s.create(`${p}${n}`, enc(`v-${n}`)));
      await s.create(`${p.slice(0, -1)}-sibling/x`, enc('outside'));
      await s.delete(`${p}h`);
      const sorted = names.filter((n) => n !== 'h').sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));

      const all = await s.list(p);
      assert.deepEqual(all.kvs.map((kv) => kv.key.slice(p.length)), sorted);
      assert.equal(all.remaining, 0);
      assert.equal(all.continue, undefined);
      assert.equal(dec(all.kvs[0]!.value), `v-${sorted[0]}`);
      assert.equal(all.kvs[0]!.modRevision, revs.get(sorted[0]!));

      const page1 = await s.list(p, { limit: 4 });
      assert.deepEqual(page1.kvs.map((kv) => kv.key.slice(p.length)), sorted.slice(0, 4));
      assert.equal(page1.remaining, sorted.length - 4);
      assert.ok(page1.continue);
      // Writes between pages must not show: every page is served at the first page's revision.
      await s.delete(`${p}d`);
      await s.create(`${p}cc`, enc('new'));
      const e = (await s.get(`${p}e`)).kv!;
      await s.update(`${p}e`, enc('changed'), e.modRevision);
      const page2 = await s.list(p, { limit: 4, continue: page1.continue });
      assert.equal(page2.revision, page1.revision);
      assert.deepEqual(page2.kvs.map((kv) => kv.key.slice(p.length)), sorted.slice(4, 8));
      assert.equal(dec(page2.kvs.find((kv) => kv.key === `${p}e`)!.value), 'v-e');
      const page3 = await s.list(p, { limit: 4, continue: page2.continue });
      assert.deepEqual(page3.kvs.map((kv) => kv.key.slice(p.length)), sorted.slice(8));
      assert.equal(page3.continue, undefined);
      assert.equal(page3.remaining, 0);

      const now = await s.list(p);
      assert.ok(now.kvs.some((kv) => kv.key === `${p}cc`));
      assert.ok(!now.kvs.some((kv) => kv.key === `${p}d`));
      const old = await s.list(p, { revision: page1.revision });
      assert.deepEqual(old.kvs.map((kv) => kv.key.slice(p.length)), sorted);
      const counted = await s.list(p, { countOnly: true });
      assert.equal(counted.kvs.length, 0);
      assert.equal(counted.remaining, sorted.length);
    });

    it('watch from an old revision delivers every later event in order, then follows new writes', async (s, p) => {
      const r1 = await s.create(`${p}a`, enc('1'));
      const from = await s.update(`${p}a`, enc('2'), r1);
      const r3 = await s.create(`${p}b`, enc('1'));
      const r4 = await s.update(`${p}a`, enc('3'), from);
      const r5 = (await s.delete(`${p}b`, r3)).revision;
      await s.create(`${p.slice(0, -1)}-sibling/x`, enc('outside'));
      const w = record(s, p, from);
      try {
        await w.count(3);
        const r6 = await s.create(`${p}c`, enc('1'));
        await w.count(4);
        assert.deepEqual(w.events.map((e) => show(e, p)), [
          `put b ${r3} 1`,
          `put a ${r4} 3 prev=2@${from}`,
          `delete b ${r5} 1 prev=1@${r3}`,
          `put c ${r6} 1`,
        ]);
        assert.equal(w.events[1]!.kv.createRevision, r1);
        assert.equal(w.error, undefined);
      } finally {
        w.close();
      }
    });

    it('watch sees concurrent writes with no gaps, no duplicates, in revision order', async (s, p) => {
      const base = await s.create(`${p}seed`, enc('0'));
      const writes: Promise<number>[] = [];
      const watchers: ReturnType<typeof record>[] = [];
      for (let i = 0; i < 100; i++) {
        writes.push(s.create(`${p}k${i}`, enc(String(i))));
        if (i % 20 === 0) watchers.push(record(s, p, base));
      }
      const revs = await Promise.all(writes);
      try {
        for (const w of watchers) {
          await w.count(100);
          await new Promise((r) => setTimeout(r, 50));
          const got = w.events.map((e) => e.kv.modRevision);
          assert.deepEqual(got, [...revs].sort((a, b) => a - b));
          assert.equal(w.events.length, 100);
        }
      } finally {
        for (const w of watchers) w.close();
      }
    });

    it('watch from 0 starts at the current revision; close stops delivery', async (s, p) => {
      await s.create(`${p}before`, enc('x'));
      const w = record(s, p, 0);
      await new Promise((r) => setTimeout(r, 100));
      const r = await s.create(`${p}after`, enc('y'));
      await w.count(1);
      assert.deepEqual(w.events.map((e) => show(e, p)), [`put after ${r} y`]);
      w.close();
      await s.create(`${p}closed`, enc('z'));
      await new Promise((res) => setTimeout(res, 100));
      assert.equal(w.events.length, 1);
    });

    it('watch and list at a compacted revision fail with Compacted; live keys survive compaction', async (s, p) => {
      const r1 = await s.create(`${p}a`, enc('1'));
      let rev = r1;
      for (let i = 2; i <= 5; i++) rev = await s.update(`${p}a`, enc(String(i)), rev);
      const rb = await s.create(`${p}b`, enc('b'));
      await s.delete(`${p}b`, rb);
      const rc = await s.create(`${p}c`, enc('c'));
      const compactAt = await s.currentRevision();
      await s.compact(compactAt);

      const w = record(s, p, r1);
      await w.until('Compacted error', () => w.error !== undefined);
      assert.equal(w.error!.code, 'Compacted');
      assert.ok((w.error!.compactedRevision ?? 0) >= compactAt - 1, `compactedRevision ${w.error!.compactedRevision}`);
      assert.equal(w.events.length, 0);
      w.close();
      await rejectsWith(s.list(p, { revision: r1 }), 'Compacted');

      const a = (await s.get(`${p}a`)).kv!;
      assert.deepEqual([dec(a.value), a.createRevision, a.modRevision], ['5', r1, rev]);
      assert.equal((await s.get(`${p}b`)).kv, undefined);
      assert.deepEqual((await s.list(p)).kvs.map((kv) => `${kv.key.slice(p.length)}=${dec(kv.value)}@${kv.modRevision}`),
        [`a=5@${rev}`, `c=c@${rc}`]);
      // History after the compacted revision still streams, with previous values.
      const w2 = record(s, p, compactAt);
      try {
        const ru = await s.update(`${p}a`, enc('6'), rev);
        const rd = (await s.delete(`${p}c`, rc)).revision;
        await w2.count(2);
        assert.deepEqual(w2.events.map((e) => show(e, p)), [`put a ${ru} 6 prev=5@${rev}`, `delete c ${rd} c prev=c@${rc}`]);
        assert.equal(w2.error, undefined);
        await s.compact(rd);
        assert.equal(dec((await s.get(`${p}a`)).kv!.value), '6');
        await rejectsWith(s.update(`${p}a`, enc('7'), rev), 'Conflict');
        await s.update(`${p}a`, enc('7'), ru);
      } finally {
        w2.close();
      }
    });

    it('values up to MAX_VALUE_BYTES are stored intact; larger ones fail with ValueTooLarge', async (s, p) => {
      const big = randomBytes(MAX_VALUE_BYTES);
      const r = await s.create(`${p}big`, big);
      assert.ok(Buffer.from((await s.get(`${p}big`)).kv!.value).equals(big));
      const tooBig = new Uint8Array(MAX_VALUE_BYTES + 1);
      const err = await rejectsWith(s.create(`${p}huge`, tooBig), 'ValueTooLarge');
      assert.match(err.message, /huge/);
      await rejectsWith(s.update(`${p}big`, tooBig, r), 'ValueTooLarge');
      assert.equal((await s.get(`${p}huge`)).kv, undefined);
      const listed = await s.list(p);
      assert.equal(listed.kvs.length, 1);
      assert.equal(listed.kvs[0]!.value.byteLength, MAX_VALUE_BYTES);
    });

    it('invalid keys fail with InvalidKey', async (s, p) => {
      const bad = ['', 'registry/no-leading-slash', `${p}new\nline`, `${p}caf\u00e9`, `${p}${'x'.repeat(2048)}`, `${p}tab\t`];
      for (const key of bad) {
        await rejectsWith(s.create(key, enc('x')), 'InvalidKey');
        await rejectsWith(s.get(key), 'InvalidKey');
        await rejectsWith(s.update(key, enc('x'), 1), 'InvalidKey');
        await rejectsWith(s.delete(key), 'InvalidKey');
      }
      await rejectsWith(s.list('no-slash'), 'InvalidKey');
      await rejectsWith(() => s.watch('', 0, () => {}, () => {}), 'InvalidKey');
      await rejectsWith(s.list(p, { continue: 'garbage' }), 'InvalidKey');
    });

    const many = options.manyKeys ?? 3000;
    it(`many keys: ${many} concurrent creates list back complete and in order`, async (s, p) => {
      const keys = Array.from({ length: many }, (_, i) => `${p}ns${i % 7}/pod-${String(i).padStart(6, '0')}`);
      const revs = await Promise.all(keys.map((k) => s.create(k, enc(k))));
      assert.equal(new Set(revs).size, many);
      const all = await s.list(p);
      const sorted = [...keys].sort();
      assert.deepEqual(all.kvs.map((kv) => kv.key), sorted);
      assert.ok(all.kvs.every((kv) => dec(kv.value) === kv.key));
      const paged: string[] = [];
      let cont: string | undefined;
      let pages = 0;
      do {
        const page = await s.list(p, { limit: 500, continue: cont });
        paged.push(...page.kvs.map((kv) => kv.key));
        assert.equal(page.remaining, many - paged.length);
        cont = page.continue;
        pages++;
      } while (cont);
      assert.equal(pages, Math.ceil(many / 500));
      assert.deepEqual(paged, sorted);
      const ns3 = await s.list(`${p}ns3/`);
      assert.equal(ns3.kvs.length, sorted.filter((k) => k.startsWith(`${p}ns3/`)).length);
    });

    it('concurrent compare-and-swap on one key: exactly one writer wins each round', async (s, p) => {
      let rev = await s.create(`${p}counter`, enc('0'));
      for (let round = 1; round <= 20; round++) {
        const attempts = Array.from({ length: 16 }, (_, i) => s.update(`${p}counter`, enc(`${round}:${i}`), rev));
        const results = await Promise.allSettled(attempts);
        const won = results.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<number>[];
        const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
        assert.equal(won.length, 1, `round ${round}: ${won.length} winners`);
        assert.ok(lost.every((r) => isStoreError(r.reason, 'Conflict')), String(lost[0]?.reason));
        assert.equal(won[0]!.value, rev + 1);
        rev = won[0]!.value;
        const kv = (await s.get(`${p}counter`)).kv!;
        assert.equal(kv.modRevision, rev);
        assert.match(dec(kv.value), new RegExp(`^${round}:`));
      }
    });
  });
}
