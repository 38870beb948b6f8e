import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factory } from './inter-pod-affinity.js';
import { ERR_REASON_AFFINITY, ERR_REASON_ANTI_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY } from './filtering.js';
import { filterAll, instantiate, scoreAll } from '../../testing/plugin-harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import type { Pod } from '../../framework/types.js';

const ZONE = 'topology.kubernetes.io/zone';

/** n1,n2 in zone a; n3 in zone b. */
function cluster(placed: Record<string, Pod[]>) {
  return [
    makeNode('n1').label(ZONE, 'a').info(...(placed.n1 ?? [])),
    makeNode('n2').label(ZONE, 'a').info(...(placed.n2 ?? [])),
    makeNode('n3').label(ZONE, 'b').info(...(placed.n3 ?? [])),
  ];
}

test('InterPodAffinity Filter: required affinity, anti-affinity, and existing pods anti-affinity', () => {
  const db = makePod('db').label('app', 'db').obj();
  const cases: { name: string; placed: Record<string, Pod[]>; pod: ReturnType<typeof makePod>; want: Record<string, string> }[] = [
    {
      name: 'affinity to db in the same zone',
      placed: { n1: [db] },
      pod: makePod('web').podAffinity('affinity', ZONE, { app: 'db' }),
      want: { n1: 'ok', n2: 'ok', n3: ERR_REASON_AFFINITY },
    },
    {
      name: 'affinity by hostname',
      placed: { n2: [db] },
      pod: makePod('web').podAffinity('affinity', 'kubernetes.io/hostname', { app: 'db' }),
      want: { n1: ERR_REASON_AFFINITY, n2: 'ok', n3: ERR_REASON_AFFINITY },
    },
    {
      name: 'no match anywhere, but the pod matches its own term: first of a group goes anywhere',
      placed: {},
      pod: makePod('web').label('app', 'web').podAffinity('affinity', ZONE, { app: 'web' }),
      want: { n1: 'ok', n2: 'ok', n3: 'ok' },
    },
    {
      name: 'no match anywhere and not self-matching',
      placed: {},
      pod: makePod('web').podAffinity('affinity', ZONE, { app: 'db' }),
      want: { n1: ERR_REASON_AFFINITY, n2: ERR_REASON_AFFINITY, n3: ERR_REASON_AFFINITY },
    },
    {
      name: 'anti-affinity spreads away from the zone with a match',
      placed: { n1: [db] },
      pod: makePod('db2').podAffinity('anti', ZONE, { app: 'db' }),
      want: { n1: ERR_REASON_ANTI_AFFINITY, n2: ERR_REASON_ANTI_AFFINITY, n3: 'ok' },
    },
    {
      name: "an existing pod's anti-affinity keeps matching pods out of its zone",
      placed: { n3: [makePod('loner').label('app', 'loner').podAffinity('anti', ZONE, { app: 'web' }).obj()] },
      pod: makePod('web').label('app', 'web'),
      want: { n1: 'ok', n2: 'ok', n3: ERR_REASON_EXISTING_ANTI_AFFINITY },
    },
    {
      name: 'other namespaces do not count',
      placed: { n1: [makePod('db', 'other').label('app', 'db').obj()] },
      pod: makePod('db2').podAffinity('anti', ZONE, { app: 'db' }),
      want: { n1: 'ok', n2: 'ok', n3: 'ok' },
    },
  ];
  for (const c of cases) {
    const nodes = cluster(c.placed);
    assert.deepEqual(filterAll(instantiate(factory, nodes), c.pod.info(), nodes), c.want, c.name);
  }
});

test('InterPodAffinity Score: preferred terms sum per topology, min–max normalized', () => {
  const nodes = cluster({ n1: [makePod('cache').label('app', 'cache').obj()], n3: [makePod('noisy').label('app', 'noisy').obj()] });
  const p = instantiate(factory, nodes);
  const pod = makePod('web').podAffinity('affinity', ZONE, { app: 'cache' }, 10).podAffinity('anti', ZONE, { app: 'noisy' }, 5).info();
  // zone a: +10, zone b: −5 → normalized a=100, b=0.
  assert.deepEqual(scoreAll(p, pod, nodes), { n1: 100, n2: 100, n3: 0 });
  assert.equal(scoreAll(p, makePod('plain').info(), nodes), 'skip');
});

test("InterPodAffinity Score: existing pods' required affinity attracts matching pods (hardPodAffinityWeight)", () => {
  const nodes = cluster({ n3: [makePod('follower').podAffinity('affinity', ZONE, { app: 'leader' }).obj()] });
  const p = instantiate(factory, nodes);
  assert.deepEqual(scoreAll(p, makePod('leader').label('app', 'leader').info(), nodes), { n1: 0, n2: 0, n3: 100 });
});
