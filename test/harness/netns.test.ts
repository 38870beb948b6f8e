import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createSealedNetns, runCommand, SEALED_NETNS_SCRIPT } from './netns.js';

test('a sealed netns has only lo, eth0 and eth0peer, and a default route to the peer', async () => {
  const ns = await createSealedNetns();
  try {
    assert.match(ns.name, /^k8ts-test-[0-9a-f]{8}$/);
    const links = await ns.run('ip', ['-o', 'link', 'show']);
    const names = links.stdout.split('\n').filter(Boolean).map((l) => l.split(':')[1]!.trim().split('@')[0]);
    assert.deepEqual(names.sort(), ['eth0', 'eth0peer', 'lo']);
    // None of the host's interfaces (by MAC address) is visible inside.
    const hostLinks = await runCommand('ip', ['-o', 'link', 'show']);
    const macs = (s: string) => new Set([...s.matchAll(/link\/ether ([0-9a-f:]+)/g)].map((m) => m[1]));
    for (const mac of macs(hostLinks.stdout)) assert.ok(!macs(links.stdout).has(mac), `host MAC ${mac} seen inside`);
    const route = await ns.run('ip', ['route', 'show', 'default']);
    assert.match(route.stdout, /default via 10\.99\.0\.1 dev eth0/);
  } finally {
    await ns.destroy();
  }
});

test('a packet to the outside cannot leave, while the peer answers', async () => {
  const ns = await createSealedNetns();
  try {
    const peer = await ns.run('busybox', ['ping', '-c1', '-W1', '10.99.0.1']);
    assert.equal(peer.code, 0, peer.stdout + peer.stderr);
    const outside = await ns.run('busybox', ['ping', '-c1', '-W1', '8.8.8.8']);
    assert.notEqual(outside.code, 0, 'ping to 8.8.8.8 got an answer from inside a sealed netns');
    const tcp = await ns.run('curl', ['-s', '--connect-timeout', '1', 'http://8.8.8.8/']);
    assert.notEqual(tcp.code, 0, 'a TCP connection to 8.8.8.8 succeeded from inside a sealed netns');
    // The peer end counted the packets: they arrived there and died.
    const stats = await ns.run('ip', ['-s', 'link', 'show', 'eth0peer']);
    const rx = Number(stats.stdout.split('\n')[3]!.trim().split(/\s+/)[1]);
    assert.ok(rx > 0, stats.stdout);
  } finally {
    await ns.destroy();
  }
});

test('destroy kills started processes and stray ones, and deletes the netns; twice is fine', async () => {
  const ns = await createSealedNetns({ graceMs: 500 });
  const sleeper = ns.exec('sleep', ['1000'], { stdio: 'ignore' });
  // A process not started through exec(): it is found with `ip netns pids`.
  const stray = await ns.run('sh', ['-c', 'sleep 1000 >/dev/null 2>&1 & echo $!']);
  const strayPid = Number(stray.stdout.trim());
  assert.ok(strayPid > 0);
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(existsSync(`/proc/${sleeper.pid}`) && existsSync(`/proc/${strayPid}`));
  await ns.destroy();
  await ns.destroy();
  const gone = (pid: number) => !existsSync(`/proc/${pid}`) || /^\S+ \S+ Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/\(.*\)/, 'x'));
  assert.ok(gone(sleeper.pid!), 'started process survived');
  assert.ok(gone(strayPid), 'stray process survived');
  assert.ok(!existsSync(`/run/netns/${ns.name}`));
  assert.throws(() => ns.exec('true'));
});

test('in-netns.sh runs a command inside and removes the netns even when it fails', async () => {
  const script = path.join(path.dirname(SEALED_NETNS_SCRIPT), 'in-netns.sh');
  const ok = await runCommand(script, ['sh', '-c', 'echo $K8TS_TEST_NETNS; ip -o link show | wc -l']);
  assert.equal(ok.code, 0, ok.stderr);
  const [name, count] = ok.stdout.trim().split('\n');
  assert.equal(count!.trim(), '3');
  assert.ok(!existsSync(`/run/netns/${name}`));
  const bad = await runCommand(script, ['sh', '-c', 'echo $K8TS_TEST_NETNS; sleep 1000 & exit 7']);
  assert.equal(bad.code, 7);
  assert.ok(!existsSync(`/run/netns/${bad.stdout.trim()}`));
});
