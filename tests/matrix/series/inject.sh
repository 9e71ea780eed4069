#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Derive the injected-defect series the matrix suite judges from
# kernel/patches/fixed: each is `fixed` with one known defect put back.
#
#   tests/matrix/series/inject.sh OUTDIR
#
# OUTDIR/no-m-la/        a directory of format-patch files: the backing
#                        position of a direct read ignores pos - m_la (RFC
#                        defect 3): reads inside an extent get wrong bytes
# OUTDIR/no-eof-clamp.mbox  one mbox: the EOF clamp is skipped, so a read
#                        of the last block returns bytes past i_size
# Each edit must change exactly one line of 0002, or this script fails
# (the fixed series moved on: update the pattern here).
set -eu -o pipefail
out=${1:?usage: inject.sh OUTDIR}
root=$(cd "$(dirname "$0")/../../.." && pwd)
fixed=$root/kernel/patches/fixed

# inject NAME DIR SED: copy fixed to DIR and apply SED to its 0002
inject() {
	local name=$1 dir=$2 expr=$3 p n
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$fixed"/*.patch "$dir/"
	p=$(ls "$dir"/0002-*.patch)
	sed -i "$expr" "$p"
	n=$(diff "$fixed/$(basename "$p")" "$p" | grep -c '^>' || true)
	[ "$n" = 1 ] || { echo "inject.sh: $name: the edit changed $n lines of $(basename "$p"), want 1" >&2; exit 1; }
}

inject no-m-la "$out/no-m-la" \
	's/^+\t\t\t\t.m_pa = map.m_pa + ofs,$/+\t\t\t\t.m_pa = map.m_pa,/'
inject no-eof-clamp "$out/no-eof-clamp.d" \
	's/^+\tcount = min_t(loff_t, iov_iter_count(to), isize - pos);$/+\tcount = iov_iter_count(to);/'
# format-patch files start with their own "From <sha> <date>" line: one
# after the other they are an mbox
cat "$out/no-eof-clamp.d"/*.patch > "$out/no-eof-clamp.mbox"
rm -rf "$out/no-eof-clamp.d"
