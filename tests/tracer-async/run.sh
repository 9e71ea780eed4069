#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# test-tracer-async: `erofs-diotrace run --assert` on the `fixed` kernel for
# psync, libaio and io_uring O_DIRECT reads at queue depth 1 and 16, on a
# `directio` mount over ext4 (backing reads queued: async user reads end in
# ki_complete) and over ramfs.  Every run must PASS with nothing lost, fio
# must verify every block, and on `directio` the async engines must show
# their queued reads completed and correlated.
SUITE=tracer-async
# DEBUG=1: the --debug kernel (KASAN, lockdep, kmemleak; vm-run follows
# DT_DEBUG): the completion path runs in irq context, where KASAN matters most
# (there only the `directio` cells: the ones whose completions are async)
MOUNTS="dio ram"
[ "${DEBUG:-0}" = 1 ] && SUITE=tracer-async-debug && export DT_DEBUG=1 && MOUNTS=dio
. "$(dirname "$0")/../lib.sh"

R=$DT_ROOT
J=$R/build/tests/dt-jget
W=$R/build/tests/$SUITE
VO=$W/out
FLAVOUR=${DT_ASYNC_FLAVOUR:-fixed}

if [ ! -x "$R/tests/vm/vm-run" ] || ! command -v qemu-system-x86_64 >/dev/null; then
	t_skip "all" "tests/vm/vm-run or qemu-system-x86_64 is not available here"
	t_done
fi
rm -rf "$W" && mkdir -p "$W/src" "$VO"
if ! fio --name=w --filename="$W/src/fio.dat" --rw=write --bs=4k --size=6M \
	--verify=crc32c --do_verify=0 --verify_state_save=0 --output=/dev/null > "$W/setup.log" 2>&1 ||
   ! mkfs.erofs --quiet -Enoinline_data "$W/fio.erofs" "$W/src" >> "$W/setup.log" 2>&1; then
	t_fail "setup" "could not write the fio data or its image, see $W/setup.log"
	t_done
fi
cd "$R" || exit 1
timeout -s KILL 1500 tests/vm/vm-run --flavour "$FLAVOUR" --mem 1G --timeout 1200 --out "$VO" -- \
	"tests/tracer-async/guest.sh $W '$MOUNTS'" > "$W/vm.log" 2>&1
t_guest $? "$FLAVOUR guest traced async reads" "$W/vm.log"
if [ ! -s "$VO/cells.txt" ] || grep -q '^setup' "$VO/cells.txt"; then
	t_fail "guest setup" "$(grep '^setup' "$VO/cells.txt" 2>/dev/null || echo "no $VO/cells.txt")"
	t_done
fi

j() { "$J" "$VO/$1.json" "$2" 2>/dev/null; }

while read -r tag run bytes err; do
	[ "$tag" = record ] && continue
	name="$tag: fio verifies every block and run --assert gives PASS, nothing lost"
	v=$(j "$tag" verdict)
	lost=$(j "$tag" evidence.lost)
	reads=$(j "$tag" summary.reads)
	if [ "$run" = 0 ] && [ "$v" = PASS ] && [ "$bytes" = 6291456 ] && [ "$err" = 0 ] &&
	   [ "$lost" = 0 ] && [ "${reads:-0}" -gt 0 ]; then
		t_pass "$name ($reads reads)"
	else
		t_fail "$name" "run exit $run, verdict '$v', fio read $bytes error $err, lost '$lost'; $(grep -E '^  - ' "$VO/$tag.txt" | head -n 2 | tr '\n' ' ')"
	fi
	q=$(j "$tag" evidence.async.queued)
	c=$(j "$tag" evidence.async.completed)
	case $tag in
	dio-libaio-*|dio-io_uring-*)
		name="$tag: queued reads (-EIOCBQUEUED) end in ki_complete, every one correlated"
		if [ "${q:-0}" -gt 0 ] && [ "$q" = "$c" ]; then
			t_pass "$name ($q queued)"
		else
			t_fail "$name" "queued '$q', completions '$c'"
		fi ;;
	*-psync-*)
		name="$tag: a synchronous read is never queued"
		if [ "$q" = 0 ]; then t_pass "$name"; else t_fail "$name" "queued '$q'"; fi ;;
	esac
done < "$VO/cells.txt"

# the probe table: async completions are bound on this kernel (roles in enum order)
name="REQ_DONE bound by fentry on the aio/io_uring completions"
if [ "$(j dio-io_uring-16 roles.8.name)" = req_done ] &&
   [ "$(j dio-io_uring-16 roles.8.bound)" = true ] &&
   j dio-io_uring-16 roles.8.program | grep -q '^fentry'; then
	t_pass "$name"
else
	t_fail "$name" "roles.8: $(j dio-io_uring-16 roles.8.name) bound $(j dio-io_uring-16 roles.8.bound) by $(j dio-io_uring-16 roles.8.program)"
fi
# the recorded stream replays to the same verdict, and the crash checks hold
name="a guest-recorded io_uring stream replays PASS with its end marker"
if grep -q '^record 0 ' "$VO/cells.txt" && "$R/build/erofs-diotrace" replay --assert "$VO/uring.txtrec" > "$W/replay.txt" 2>&1 &&
   grep -q '^!end ' "$VO/uring.txtrec"; then
	t_pass "$name"
else
	t_fail "$name" "$(grep '^record' "$VO/cells.txt"): $(tail -n 2 "$W/replay.txt" | tr '\n' ' ')"
fi
t_done
