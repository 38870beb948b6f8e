#!/usr/bin/env bash
# Runs CMD inside a fresh sealed network namespace (see sealed-netns.sh) and deletes the namespace, with
# every process left in it, when CMD ends -- also when it fails or this script is interrupted.
# Usage: test/harness/in-netns.sh CMD [ARGS...]      (exit status is CMD's)
# The namespace name is exported to CMD as K8TS_TEST_NETNS. CMD enters only the network namespace (nsenter
# --net): `ip netns exec` would remount /sys and so hide /sys/fs/cgroup, which containerd and runc need.
set -uo pipefail
(($#)) || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
ns=k8ts-test-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
cleanup() { "$here/sealed-netns.sh" destroy "$ns"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
"$here/sealed-netns.sh" create "$ns" || exit 1
K8TS_TEST_NETNS=$ns nsenter --net="/run/netns/$ns" "$@" &
child=$!
# Wait in the background-friendly way so that INT/TERM reach our traps while CMD runs.
wait "$child"
status=$?
exit "$status"
