#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# One column of the matrix: every scenario on one kernel flavour, as few
# guest boots as possible.
#
#   tests/matrix/run-flavour.sh FLAVOUR WORKDIR OUTDIR [ID...]
#
# Boots tests/vm/vm-run --flavour FLAVOUR once for all the cells (default:
# every scenario of tests/matrix/scenarios); the guest writes each cell's
# results to OUTDIR/cells/ID/ as it ends (tests/matrix/guest.sh).  When the
# guest dies in a cell (oops, panic: vm-run exit 120; timeout: 124), that
# cell gets an `oops` or `timeout` file with the console's first finding,
# and a fresh guest runs the cells that are left.  OUTDIR/boots.log keeps
# every boot's vm-run output; OUTDIR/timing has the boots and seconds.
# Exit: 0 every cell has a result, 2 the guest could not run the cells.
set -u -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
flavour=${1:?usage: run-flavour.sh FLAVOUR WORKDIR OUTDIR [ID...]}
work=${2:?}
out=${3:?}
shift 3
per_boot=${MATRIX_BOOT_TIMEOUT:-1200}
# the VM lock is shared with every other guest user of the machine: waiting
# for it must not count against the boot (vm-run's --timeout starts at boot)
lock_wait=${MATRIX_LOCK_WAIT:-5400}

if [ $# -gt 0 ]; then
	ids=("$@")
else
	mapfile -t ids < <(grep -v '^#' "$here/scenarios" | cut -d'|' -f1 | sed '/^$/d')
fi
rm -rf "$out"
mkdir -p "$out/cells" || { echo "run-flavour: cannot create $out" >&2; exit 2; }
out=$(cd "$out" && pwd)
: > "$out/boots.log"

# cells without a final state (done, oops, timeout, error)
left() {
	local id
	for id in "${ids[@]}"; do
		[ -e "$out/cells/$id/done" ] || [ -e "$out/cells/$id/oops" ] ||
			[ -e "$out/cells/$id/timeout" ] || [ -e "$out/cells/$id/error" ] || echo "$id"
	done
}

t0=$(date +%s)
boots=0
while :; do
	left > "$out/todo"
	[ -s "$out/todo" ] || break
	boots=$((boots + 1))
	if [ $boots -gt $(( ${#ids[@]} + 1 )) ]; then
		echo "run-flavour: $flavour: more boots than cells; giving up" >&2
		exit 2
	fi
	echo "=== boot $boots: $(wc -l < "$out/todo") cell(s) from $(head -n 1 "$out/todo")" >> "$out/boots.log"
	(cd "$root" && timeout -s KILL $((per_boot + lock_wait)) tests/vm/vm-run --quiet --flavour "$flavour" \
		--timeout "$per_boot" --out "$out" -- "tests/matrix/guest.sh $work $out/todo") \
		> "$out/boot.log" 2>&1
	rc=$?
	cat "$out/boot.log" >> "$out/boots.log"
	# the cell that was running when the guest stopped
	cur=
	while read -r id; do
		if [ -e "$out/cells/$id/start" ] && [ ! -e "$out/cells/$id/done" ]; then
			cur=$id
			break
		fi
	done < "$out/todo"
	finding=$(grep -m 1 -E 'guest kernel reported a problem' "$out/boot.log" | sed 's/.*reported a problem: //')
	case $rc in
	0) ;;
	120)
		# a WARNING after the last cell ended is in that cell's console.txt
		[ -n "$cur" ] && echo "${finding:-oops on the console}" > "$out/cells/$cur/oops"
		;;
	124|137)
		[ -n "$cur" ] && echo "guest did not finish within ${per_boot}s" > "$out/cells/$cur/timeout"
		;;
	*)
		[ -n "$cur" ] && echo "guest stopped (vm-run exit $rc): $(tail -n 1 "$out/boot.log")" > "$out/cells/$cur/error"
		;;
	esac
	if [ -z "$cur" ] && [ -s "$(left > "$out/todo.after"; echo "$out/todo.after")" ] &&
	   cmp -s "$out/todo" "$out/todo.after"; then
		# nothing ran at all: the guest cannot run the cells
		echo "run-flavour: $flavour: the guest ran no cell (vm-run exit $rc): $(tail -n 2 "$out/boot.log" | tr '\n' ' ')" >&2
		while read -r id; do
			mkdir -p "$out/cells/$id"
			echo "the guest ran no cell (vm-run exit $rc), see $out/boots.log" > "$out/cells/$id/error"
		done < "$out/todo"
		echo "boots=$boots seconds=$(( $(date +%s) - t0 ))" > "$out/timing"
		exit 2
	fi
done
rm -f "$out/todo" "$out/todo.after" "$out/boot.log"
echo "boots=$boots seconds=$(( $(date +%s) - t0 ))" > "$out/timing"
exit 0
