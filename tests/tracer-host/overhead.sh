#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Tracer overhead, side by side in one run (a benchmark: prints figures,
# asserts nothing).  Needs root and a file-backed EROFS mount it makes:
#   traced/untraced: dd bs=4k of a warm 64 MiB EROFS file, read(2) time
#   bystander: an untraced dd bs=1 (2M syscalls each way) with and without
#              a tracer attached to another process
# Usage: tests/tracer-host/overhead.sh [TOOL]   (default build/erofs-diotrace)
R=$(cd "$(dirname "$0")/../.." && pwd)
T=${1:-$R/build/erofs-diotrace}
FB=$R/build/tests/fbmount
W=$R/build/tests/overhead
N=${N:-5}

cleanup() {
	grep -qs " $W/mnt " /proc/mounts && "$FB" -u "$W/mnt"
	[ -n "${tp:-}" ] && kill "$tp" 2>/dev/null
	[ -n "${sl:-}" ] && kill "$sl" 2>/dev/null
	return 0
}
trap cleanup EXIT INT TERM
cleanup
rm -rf "$W" && mkdir -p "$W/src" "$W/mnt" || exit 1
head -c $((64 << 20)) /dev/urandom > "$W/src/f" &&
mkfs.erofs --quiet "$W/img" "$W/src" >/dev/null 2>&1 && "$FB" "$W/img" "$W/mnt" || exit 1
cat "$W/mnt/f" > /dev/null

# "wall cpu" seconds of CMD (cpu = its user + system time)
secs() { /usr/bin/time -f '%e %S %U' "$@" 2>&1 >/dev/null | tail -1 | awk '{ print $1, $2 + $3 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
col() { awk -v c=$1 '{ print $c }' "$2" | median; }
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $2 / $1 }'; }

READER="dd if=$W/mnt/f of=/dev/null bs=4k"
ZERO="dd if=/dev/zero of=/dev/null bs=1 count=1M"

i=0; : > "$W/u"; : > "$W/t"
while [ $i -lt $N ]; do
	secs sh -c "$READER 2>/dev/null" >> "$W/u"
	timeout -s KILL 120 "$T" run -o /dev/null -- \
		/usr/bin/time -f '%e %S %U' -o "$W/one" sh -c "$READER 2>/dev/null"
	tail -1 "$W/one" | awk '{ print $1, $2 + $3 }' >> "$W/t"
	i=$((i + 1))
done

: > "$W/b0"; : > "$W/b1"
for with in 0 1 0 1 0 1 0 1 0 1; do
	if [ $with = 1 ]; then
		sleep 1000 & sl=$!
		timeout -s KILL 600 "$T" run -o /dev/null -p $sl 2> /dev/null & tp=$!
		sleep 2
	fi
	secs sh -c "$ZERO 2>/dev/null" >> "$W/b$with"
	if [ $with = 1 ]; then
		kill $sl; wait $tp; tp= sl=
	fi
done

printf '%-46s %9s %9s %6s\n' "median of $N, seconds" untraced traced ratio
for c in 1 2; do
	k=$([ $c = 1 ] && echo wall || echo cpu)
	printf '%-46s %9s %9s %6s\n' "dd bs=4k, 64 MiB warm EROFS file, $k" \
		$(col $c "$W/u") $(col $c "$W/t") $(ratio $(col $c "$W/u") $(col $c "$W/t"))
	printf '%-46s %9s %9s %6s\n' "untraced dd bs=1 1M, tracer on other pid, $k" \
		$(col $c "$W/b0") $(col $c "$W/b1") $(ratio $(col $c "$W/b0") $(col $c "$W/b1"))
done
