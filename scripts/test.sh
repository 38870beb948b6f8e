#!/usr/bin/env bash
# The whole test suite: unit tests beside the code (src/**/*.test.ts), then end-to-end tests (test/e2e).
# Usage: scripts/test.sh [path-filter]   e.g. scripts/test.sh storage
#
# As root the suite runs inside a sealed network namespace (test/harness/in-netns.sh) that is deleted
# afterwards, so every address a test uses lives inside it and no packet can leave the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
filter=${1:-}
mapfile -t files < <(find dist/src dist/test -name '*.test.js' | sort | grep -- "$filter" || true)
if ((${#files[@]} == 0)); then echo "no test files match '$filter'" >&2; exit 1; fi
# One file at a time: end-to-end tests start clusters and must not compete for the two cores.
run=(node --enable-source-maps --test --test-concurrency=1 --test-reporter=spec "${files[@]}")
if [[ $(id -u) == 0 ]]; then
  exec test/harness/in-netns.sh "${run[@]}"
fi
echo "scripts/test.sh: not root, so tests that need network namespaces, containerd or iptables will fail" >&2
exec "${run[@]}"
