/** The shared CRI contract suite (src/kubelet/cri/testing/suite.ts), run against k8ts's containerd. */
import { runtimeServiceSuite } from '../../src/kubelet/cri/testing/suite.js';
import { startTestRuntime } from '../harness/runtime.js';

runtimeServiceSuite('containerd over gRPC', async () => {
  const rt = await startTestRuntime();
  return {
    runtime: rt.cri,
    image: 'docker.io/library/busybox:latest',
    longRunning: ['sleep', '3600'],
    sandboxConfig: (name) => rt.sandboxConfig(name),
    containerConfig: (name, image, extra) => rt.containerConfig(name, image, extra),
    teardown: () => rt.stop(),
  };
});
