#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Count the PASS/FAIL/SKIP lines every suite wrote and print one summary line.
dir=${1:-build/results}
p=$(cat "$dir"/*.txt 2>/dev/null | grep -c '^PASS ')
f=$(cat "$dir"/*.txt 2>/dev/null | grep -c '^FAIL ')
s=$(cat "$dir"/*.txt 2>/dev/null | grep -c '^SKIP ')
echo
if [ "$f" -gt 0 ]; then
	echo "failures:"
	cat "$dir"/*.txt | grep '^FAIL ' | sed 's/^/  /'
fi
if [ "$s" -gt 0 ]; then
	echo "skipped (not passes):"
	cat "$dir"/*.txt | grep '^SKIP ' | sed 's/^/  /'
fi
echo "$p passed, $f failed, $s skipped"
[ "$p" -gt 0 ] && [ "$f" -eq 0 ]
