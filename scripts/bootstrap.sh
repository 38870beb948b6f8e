#!/usr/bin/env bash
# Installs what k8ts needs on a fresh machine of this kind (Debian 12, Node 20), then builds it.
# Idempotent: a second run only rebuilds what changed. Debian packages are installed only when the
# process is root and a needed command is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: the command each one provides, then the package.
DEBIAN_PACKAGES=(
  "etcd:etcd-server" "etcdctl:etcd-client"
  "iptables:iptables" "conntrack:conntrack" "ip:iproute2"
  "containerd:containerd" "runc:runc" "/usr/lib/cni/bridge:containernetworking-plugins"
  "docker-registry:docker-registry" "skopeo:skopeo" "umoci:umoci"
  "/bin/busybox:busybox-static" "/usr/sbin/nginx:nginx-light" "openssl:openssl"
  "gcc:gcc" "/usr/lib/x86_64-linux-gnu/libc.a:libc6-dev" "curl:curl" "python3:python3" "nsenter:util-linux" "zstd:zstd"
)
missing=()
for entry in "${DEBIAN_PACKAGES[@]}"; do
  cmd=${entry%%:*} pkg=${entry#*:}
  if [[ $cmd == /* ]]; then [[ -e $cmd ]] || missing+=("$pkg"); else command -v "$cmd" >/dev/null || missing+=("$pkg"); fi
done
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]]; then
    echo "k8ts bootstrap: installing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "k8ts bootstrap: not root, so not installing: ${missing[*]} (features that need them are off)" >&2
  fi
fi

# npm packages, then the TypeScript build.
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "k8ts bootstrap: installing npm packages" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "k8ts bootstrap: building" >&2
npx tsc -p .
touch dist/.built
