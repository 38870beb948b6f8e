#!/usr/bin/env bash
# A sealed network namespace: `lo` up and a veth pair eth0 <-> eth0peer whose BOTH ends live inside
# the namespace. eth0 holds 10.99.0.2/24 and the default route points at the peer (10.99.0.1), so a
# packet addressed to anything outside dies inside the namespace instead of reaching the host's network.
#
# Usage: sealed-netns.sh create NAME     make the namespace (fails if it exists)
#        sealed-netns.sh destroy NAME    kill every process still inside it (by PID), then delete it
# Environment: K8TS_NETNS_ADDR (default 10.99.0.2/24), K8TS_NETNS_PEER (default 10.99.0.1/24).
set -euo pipefail

addr=${K8TS_NETNS_ADDR:-10.99.0.2/24}
peer=${K8TS_NETNS_PEER:-10.99.0.1/24}

create() {
  local ns=$1
  ip netns add "$ns"
  if ! {
    ip -n "$ns" link set lo up &&
      ip -n "$ns" link add eth0 type veth peer name eth0peer &&
      ip -n "$ns" addr add "$addr" dev eth0 &&
      ip -n "$ns" addr add "$peer" dev eth0peer &&
      ip -n "$ns" link set eth0peer up &&
      ip -n "$ns" link set eth0 up &&
      ip -n "$ns" route add default via "${peer%/*}" dev eth0
  }; then
    destroy "$ns"
    return 1
  fi
}

destroy() {
  local ns=$1 pids tries
  [[ -e /run/netns/$ns ]] || return 0
  # Processes can fork while we kill, so repeat until the namespace is empty (about 5 s at most).
  for ((tries = 0; tries < 50; tries++)); do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [[ -z $pids ]] && break
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 0.1
  done
  ip netns del "$ns"
}

case ${1:-} in
  create) create "${2:?namespace name}" ;;
  destroy) destroy "${2:?namespace name}" ;;
  *) echo "usage: $0 create|destroy NAME" >&2; exit 2 ;;
esac
