/**
 * Test helpers for the patch and apply algebra: a seeded PRNG and random Deployment-shaped objects (with
 * merged lists of objects and scalars, atomic lists, retainKeys unions) for property tests.
 */
type Obj = Record<string, any>;

/** mulberry32: a small deterministic PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomDeployment(r: () => number): Obj {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const some = <T>(xs: T[]): T[] => xs.filter(() => r() < 0.5);
  const shuffle = <T>(xs: T[]): T[] => xs.map((x) => [r(), x] as const).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
  const containers = shuffle(some(['a', 'b', 'c', 'd'])).map((name) => {
    const c: Obj = { name, image: `${name}:${pick(['1', '2', '3'])}` };
    if (r() < 0.5) c.env = shuffle(some(['X', 'Y', 'Z'])).map((n) => ({ name: n, value: pick(['1', '2']) }));
    if (r() < 0.4) c.ports = shuffle(some([80, 443, 8080])).map((p) => ({ containerPort: p, ...(r() < 0.3 ? { name: `p${p}` } : {}) }));
    if (r() < 0.3) c.args = some(['--a', '--b', '--c']);
    return c;
  });
  const d: Obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', labels: Object.fromEntries(some(['app', 'tier', 'env', 'team']).map((k) => [k, pick(['x', 'y'])])) },
    spec: { replicas: pick([1, 2, 3]), template: { metadata: { labels: { app: 'd' } }, spec: { containers } } },
  };
  if (r() < 0.5) d.metadata.finalizers = shuffle(some(['f.io/a', 'f.io/b', 'f.io/c']));
  if (r() < 0.4) d.spec.template.spec.tolerations = some([{ key: 'k1' }, { key: 'k2' }]);
  if (r() < 0.4) d.spec.strategy = pick([{ type: 'Recreate' }, { type: 'RollingUpdate', rollingUpdate: { maxSurge: pick([1, 2]) } }]);
  if (r() < 0.3) d.spec.template.spec.volumes = some(['v1', 'v2']).map((name) => (r() < 0.5 ? { name, emptyDir: {} } : { name, configMap: { name: 'cm' } }));
  return d;
}

