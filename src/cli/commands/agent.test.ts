import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandError } from '../command.js';
import { agentConfigFromArgs, parseNodeLabels, parseNodeTaints } from './agent.js';

test('k3s-style flags resolve to an agent config', () => {
  const c = agentConfigFromArgs(['--server', 'https://127.0.0.1:6443', '--token', 'K10abc::server:s3cret', '--data-dir', '/tmp/x',
    '--node-label', 'a=1', '--node-label', 'b=', '--node-taint', 'k=v:NoSchedule', '--node-taint', 'gpu:NoExecute',
    '--simulate', '10', '--simulate-cpu', '500m', '--simulate-memory', '1Gi', '--simulate-pods', '20', '--simulate-pod-run-seconds', '0']);
  assert.notEqual(c, 'help');
  if (c === 'help') return;
  assert.deepEqual(c.join, { server: 'https://127.0.0.1:6443', token: 'K10abc::server:s3cret' });
  assert.equal(c.nodeName, 'k8ts-sim');
  assert.deepEqual(c.nodeLabels, { a: '1', b: '' });
  assert.deepEqual(c.nodeTaints, [{ key: 'k', value: 'v', effect: 'NoSchedule' }, { key: 'gpu', effect: 'NoExecute' }]);
  assert.deepEqual(c.simulate, { nodes: 10, cpu: '500m', memory: '1Gi', pods: '20', podRunSeconds: 0 });
  assert.equal(c.nodeLeaseDurationSeconds, 40);
  assert.equal(agentConfigFromArgs(['--help']), 'help');
});

test('bad or missing flags are one-line CommandErrors', () => {
  const fails = (args: string[], re: RegExp) => assert.throws(() => agentConfigFromArgs(args), (e: unknown) => e instanceof CommandError && re.test(e.message));
  fails([], /--server and --token \(or --kubeconfig\) are required/);
  fails(['--server', 'https://x:6443'], /required/);
  fails(['--kubeconfig', 'k', '--token', 't'], /either --kubeconfig or --server/);
  fails(['--kubeconfig', 'k', '--simulate', '0'], /invalid --simulate "0"/);
  fails(['--kubeconfig', 'k', '--simulate', '2', '--simulate-memory', 'lots'], /invalid --simulate-memory/);
  assert.throws(() => parseNodeLabels(['novalue']), /want key=value/);
  assert.throws(() => parseNodeTaints(['k=v:Sometimes']), /Effect one of NoSchedule, PreferNoSchedule, NoExecute/);
});
