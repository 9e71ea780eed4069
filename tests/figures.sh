#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# tests/figures.sh RESULTS_DIR: the time figures of a `make test` run, printed
# just before its summary line: wall time in all and per suite (RESULTS_DIR/times, one
# "SUITE SECONDS" line each, written by the test loop), and every guest kernel
# built during the run (its cache info: flavour, cold/derived/incremental,
# build seconds), so that a cold run shows what its kernels cost.
dir=${1:-build/results}
cache=${DIOTRACE_CACHE:-/var/cache/erofs-diotrace}
[ -s "$dir/times" ] || exit 0
t0=$(cat "$dir/.t0" 2>/dev/null) || t0=
now=$(date +%s)
echo
echo "time: ${t0:+$((now - t0)) s in all; }per suite, slowest first:"
sort -k2,2nr "$dir/times" | awk '{ printf "  %-28s %6d s\n", $1, $2 }'
[ -n "$t0" ] || exit 0
built=$(for f in "$cache"/kernels/*/info; do
	[ -f "$f" ] || continue
	at=$(sed -n "s/^BUILT_AT=//p" "$f")
	at=$(date -d "$at" +%s 2>/dev/null) || continue
	[ "$at" -ge "$t0" ] || continue
	(. "$f" && printf '  %-28s %6d s  %s\n' "$FLAVOUR$([ "$DEBUG" = 1 ] && echo -debug)" \
		"$BUILD_SECONDS" "${BUILD_KIND:-cold}")
done)
if [ -n "$built" ]; then
	echo "guest kernels built during this run (the rest came from $cache):"
	echo "$built"
else
	echo "guest kernels: all from the cache ($cache), none built during this run"
fi
