import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/types.js';
import { admitPod } from './admission.js';

const pod = (uid: string, port?: number, hostIP?: string, protocol = 'TCP'): Pod => ({
  metadata: { uid, name: uid },
  spec: { containers: [{ name: 'c', ports: port ? [{ containerPort: 80, hostPort: port, hostIP, protocol }] : [] }] },
} as Pod);

test('hostPort conflicts reject the newcomer with NodePorts; other protocols, ports and IPs are fine', () => {
  const running = [pod('a', 8080), pod('b', 9090, '10.0.0.1')];
  assert.equal(admitPod(pod('n1'), running), undefined);
  assert.equal(admitPod(pod('n2', 8081), running), undefined);
  assert.equal(admitPod(pod('n3', 8080, undefined, 'UDP'), running), undefined);
  assert.equal(admitPod(pod('n4', 9090, '10.0.0.2'), running), undefined);
  assert.equal(admitPod(pod('n5', 8080), running)?.reason, 'NodePorts');
  assert.match(admitPod(pod('n6', 9090), running)!.message, /^Pod was rejected: Predicate NodePorts failed/);
  assert.equal(admitPod(pod('a', 8080), running), undefined, 'a pod does not conflict with itself');
});
