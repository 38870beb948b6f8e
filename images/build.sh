#!/usr/bin/env bash
# Builds k8ts's test images from the Debian packages on this machine, without Docker or Docker Hub:
#   busybox  busybox-static with its applet links (/bin/sh, /bin/cat, ...)          tags: latest, 1.35
#   nginx    Debian's nginx binary with exactly the libraries ldd lists, the
#            configuration and default page of the official image, and busybox so
#            that `exec`/`cp` work                                                  tags: latest, 1.22
#   pause    a static C program (pause/pause.c) that waits for signals             tags: 3.10, latest
# Each image is an OCI image layout in $K8TS_IMAGE_CACHE/<name> (default ~/.cache/k8ts/images), made with
# umoci. A build is skipped when the hash of its inputs (this script, images/<name>/*, and the host files
# copied in) matches the one recorded at the last build.
# Usage: images/build.sh [NAME...]      prints "<name> <layout dir> <tags>" for every image.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${K8TS_IMAGE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/k8ts/images}
arch=$(dpkg --print-architecture)
declare -A TAGS=([busybox]="latest 1.35" [nginx]="latest 1.22" [pause]="3.10 latest")

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

# The shared libraries (and the dynamic loader) that ELF binary $1 needs, one path a line.
libraries_of() {
  ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u
}

# Copies host file $2 into rootfs $1 at the same path, dereferencing symlinks.
copy_in() {
  mkdir -p "$1$(dirname "$2")"
  cp -L "$2" "$1$2"
}

# The host files copied into image $1 (their content is part of the image's inputs).
host_inputs() {
  case $1 in
    busybox) echo /bin/busybox ;;
    nginx) echo /bin/busybox /usr/sbin/nginx /etc/nginx/mime.types; libraries_of /usr/sbin/nginx ;;
    pause) ;;
  esac
}

inputs_hash() {
  {
    sha256sum "$here/build.sh"
    [[ -d $here/$1 ]] && find "$here/$1" -type f -print0 | sort -z | xargs -0 -r sha256sum
    host_inputs "$1" | xargs -r sha256sum
    [[ $1 == pause ]] && gcc --version | head -1
    echo "$arch"
  } | sed "s#$here/##" | sha256sum | cut -d' ' -f1
}

# /etc/passwd, /etc/group and the usual empty directories.
base_rootfs() {
  local r=$1
  mkdir -p "$r"/{etc,tmp,root,proc,sys,dev,run,var/tmp,home}
  chmod 1777 "$r/tmp" "$r/var/tmp"
  chmod 700 "$r/root"
  cat >"$r/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
nginx:x:101:101:nginx user:/nonexistent:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
  cat >"$r/etc/group" <<'GROUP'
root:x:0:
daemon:x:1:
nginx:x:101:
nogroup:x:65534:
GROUP
  echo 'hosts: files dns' >"$r/etc/nsswitch.conf"
}

busybox_rootfs() {
  local r=$1 applet
  base_rootfs "$r"
  copy_in "$r" /bin/busybox
  for applet in $(/bin/busybox --list-full); do
    [[ $applet == bin/busybox ]] && continue
    mkdir -p "$r/$(dirname "$applet")"
    ln -sf /bin/busybox "$r/$applet"
  done
}

nginx_rootfs() {
  local r=$1 lib
  busybox_rootfs "$r"
  copy_in "$r" /usr/sbin/nginx
  for lib in $(libraries_of /usr/sbin/nginx); do copy_in "$r" "$lib"; done
  mkdir -p "$r"/etc/nginx/conf.d "$r"/usr/share/nginx/html "$r"/var/log/nginx "$r"/var/lib/nginx \
    "$r"/var/cache/nginx "$r"/var/lock
  cp /etc/nginx/mime.types "$r/etc/nginx/mime.types"
  cp "$here/nginx/nginx.conf" "$r/etc/nginx/nginx.conf"
  cp "$here/nginx/default.conf" "$r/etc/nginx/conf.d/default.conf"
  cp "$here/nginx/index.html" "$here/nginx/50x.html" "$r/usr/share/nginx/html/"
  # As in the official image: the logs go to the container's output, where the runtime collects them.
  ln -sf /dev/stdout "$r/var/log/nginx/access.log"
  ln -sf /dev/stderr "$r/var/log/nginx/error.log"
}

pause_rootfs() {
  gcc -static -O2 -s -o "$1/pause" "$here/pause/pause.c"
}

# Sets the array CONFIG to the `umoci config` flags of image $1.
config_args() {
  local path=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  case $1 in
    busybox) CONFIG=(--config.env "$path" --config.cmd sh) ;;
    nginx) CONFIG=(--config.env "$path" --config.env NGINX_VERSION=1.22.1 --config.exposedports 80/tcp
      --config.stopsignal SIGQUIT --config.cmd nginx --config.cmd -g --config.cmd 'daemon off;') ;;
    pause) CONFIG=(--config.entrypoint /pause --config.user 65535:65535) ;;
  esac
}

build() {
  local name=$1 hash tmp tags first tag
  hash=$(inputs_hash "$name")
  read -ra tags <<<"${TAGS[$name]}"
  first=${tags[0]}
  if [[ -f $cache/$name.inputs && $(cat "$cache/$name.inputs") == "$hash" && -f $cache/$name/index.json ]]; then
    return 0
  fi
  echo "images: building $name" >&2
  tmp=$(mktemp -d "$cache/.build-$name.XXXXXX")
  trap 'rm -rf "$tmp"' RETURN
  umoci init --layout "$tmp/oci"
  umoci new --image "$tmp/oci:$first"
  umoci unpack --image "$tmp/oci:$first" "$tmp/bundle" >/dev/null
  "${name}_rootfs" "$tmp/bundle/rootfs"
  umoci repack --image "$tmp/oci:$first" --history.created_by "k8ts images/build.sh $name" "$tmp/bundle"
  config_args "$name"
  umoci config --image "$tmp/oci:$first" --no-history --os linux --architecture "$arch" "${CONFIG[@]}"
  for tag in "${tags[@]:1}"; do umoci tag --image "$tmp/oci:$first" "$tag"; done
  umoci gc --layout "$tmp/oci"
  rm -rf "${cache:?}/$name"
  mv "$tmp/oci" "$cache/$name"
  echo "$hash" >"$cache/$name.inputs"
}

names=("$@")
((${#names[@]})) || names=(busybox nginx pause)
for name in "${names[@]}"; do
  [[ -n ${TAGS[$name]:-} ]] || { echo "images: unknown image '$name' (known: ${!TAGS[*]})" >&2; exit 2; }
  build "$name"
  echo "$name $cache/$name ${TAGS[$name]}"
done
