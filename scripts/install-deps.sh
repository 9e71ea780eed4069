#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Install the Debian 12 packages erofs-diotrace builds and tests with.
# Idempotent: does nothing when every package is already installed.
set -euo pipefail

pkgs=(
	build-essential pkg-config clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev
	libjson-c-dev libyajl-dev libcmocka-dev erofs-utils fio e2fsprogs util-linux python3
	libxml2-dev	# dt-matrix (make matrix) writes JUnit with xmlwriter
	# kernel build + VM
	linux-source-6.12 flex bison bc libssl-dev dwarves cpio busybox-static
	qemu-system-x86 xz-utils
	# audit exports and install tests: node_exporter serves the metrics,
	# promtool checks them, gnuplot draws --plot, xmllint checks the SVG,
	# man -l renders the pages; bc for make bench-audit
	prometheus-node-exporter prometheus gnuplot-nox libxml2-utils man-db curl bc
)

# the guest kernels are built from one pinned source version (kernel/VERSION)
# shellcheck source=../kernel/VERSION
. "$(dirname "$0")/../kernel/VERSION"

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "$(dpkg-query -W -f='${Version}' "$PKG" 2>/dev/null)" != "$DEBVER" ]; then
	missing=("${missing[@]/#$PKG/}")
	missing+=("$PKG=$DEBVER")
fi
read -r -a missing <<< "${missing[*]}"	# drop the emptied slot
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]}; run as root (or: sudo apt-get install ${missing[*]})" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends --allow-downgrades "${missing[@]}" || {
	echo "install-deps: apt-get could not install: ${missing[*]}" >&2
	echo "install-deps: if $PKG=$DEBVER is gone from the archive, pin a newer one in kernel/VERSION and re-port kernel/patches/" >&2
	exit 1
}
