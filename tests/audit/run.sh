#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# erofs-diotrace audit on this host: build EROFS images of known content,
# mount them file-backed, read known byte ranges buffered and check that the
# audit counts exactly those pages as double-cached.  Needs root (mount(2),
# drop_caches).  JSON is checked by build/tests/audit-jsoncheck (json-c).
SUITE=audit
. "$(dirname "$0")/../lib.sh"

DT=${DT_BIN:-$DT_ROOT/build/erofs-diotrace}
FBM=$DT_ROOT/build/tests/fbmount
JC=$DT_ROOT/build/tests/audit-jsoncheck
W=$DT_ROOT/build/audit-test
PG=$(getconf PAGESIZE)
LOOP=

cleanup() {
	local d
	for d in "$W"/mnt/*; do
		mountpoint -q "$d" 2>/dev/null && umount "$d"
	done
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need() {
	if [ "$(id -u)" != 0 ]; then
		t_skip "audit suite" "needs root (mount(2), drop_caches)"; t_done
	fi
	for f in "$DT" "$FBM" "$JC"; do
		[ -x "$f" ] || { t_fail "audit suite" "$f not built (make all helpers)"; t_done; }
	done
	command -v mkfs.erofs >/dev/null || { t_skip "audit suite" "mkfs.erofs (erofs-utils) missing"; t_done; }
}

drop_all() { sync; echo 3 > /proc/sys/vm/drop_caches; }

# audit_json ARGS...: JSON report parsed into $W/out.txt (rc of the tool in $RC)
audit_json() {
	"$DT" audit -J "$@" > "$W/out.json" 2> "$W/err"
	RC=$?
	"$JC" < "$W/out.json" > "$W/out.txt" 2> "$W/jc.err" || { cat "$W/jc.err"; return 1; }
}

# F-line field of one file: fval MOUNT PATH FIELD (layout|labels|erofs|backing|double)
fval() {
	awk -v m="$1" -v p="$2" -v f="$3" '$1 == "F" && $2 == m && $3 == p {
		i = f == "layout" ? 4 : f == "labels" ? 5 : f == "erofs" ? 6 : f == "backing" ? 7 : 8
		print $i }' "$W/out.txt"
}

# T-line field of one mount: tval MOUNT FIELD (erofs|backing|double|btotal|unattr)
tval() {
	awk -v m="$1" -v f="$2" '$1 == "T" && $2 == m {
		i = f == "erofs" ? 3 : f == "backing" ? 4 : f == "double" ? 5 : f == "btotal" ? 6 : 7
		print $i }' "$W/out.txt"
}

# check NAME ACTUAL EXPECTED
check() {
	if [ "$2" = "$3" ]; then t_pass "$1"; else t_fail "$1" "got '$2', want '$3'"; fi
}

make_images() {
	mkdir -p "$W/src" "$W/mnt/plain" "$W/mnt/chunk" "$W/mnt/lz4" "$W/mnt/bdev"
	head -c $((256 * PG)) /dev/urandom > "$W/src/big"
	head -c 10000 /dev/urandom > "$W/src/tail"
	head -c $((4 * PG)) /dev/urandom > "$W/src/sparse"
	dd if=/dev/urandom of="$W/src/sparse" bs=$PG seek=100 count=4 conv=notrunc 2>/dev/null
	yes 'erofs-diotrace audit compressible line' | head -c $((256 * PG)) > "$W/src/text"
	mkfs.erofs --quiet -T0 "$W/plain.img" "$W/src" &&
	mkfs.erofs --quiet -T0 --chunksize=8192 "$W/chunk.img" "$W/src" 2>/dev/null &&
	mkfs.erofs --quiet -T0 -zlz4 -Eztailpacking "$W/lz4.img" "$W/src" 2>/dev/null
}

# mount file-backed and switch EROFS readahead off, so a read caches what it reads
mount_fb() {
	local img=$1 dir=$2 bdi
	"$FBM" "$img" "$dir" || return 1
	audit_json "$dir" || return 1
	bdi=$(awk '$1 == "M" { sub("^erofs/", "", $5); print $5 }' "$W/out.txt")
	[ -w "/sys/class/bdi/$bdi/read_ahead_kb" ] || return 2
	echo 0 > "/sys/class/bdi/$bdi/read_ahead_kb"
}

setup() {
	local r
	need
	case $(stat -f -c %T "$DT_ROOT/build") in
	tmpfs|ramfs) t_skip "audit suite" "build/ is on tmpfs, which cannot back EROFS images"; t_done ;;
	esac
	rm -rf "$W"; mkdir -p "$W"
	make_images || { t_fail "mkfs.erofs builds plain, chunk-based and lz4 images"; t_done; }
	t_pass "mkfs.erofs builds plain, chunk-based and lz4 images"
	P=$W/mnt/plain C=$W/mnt/chunk L=$W/mnt/lz4
	for r in "plain $P" "chunk $C" "lz4 $L"; do
		set -- $r
		mount_fb "$W/$1.img" "$2"
		case $? in
		0) ;;
		2) t_skip "audit suite" "no bdi read_ahead_kb for $2: reads would not be exact"; t_done ;;
		*) t_fail "file-backed mount of $1.img" "$(cat "$W/err" "$W/jc.err" 2>/dev/null)"; t_done ;;
		esac
	done
	t_pass "file-backed mounts of the three images"
}

read_pages() { dd if="$1" of=/dev/null bs=$PG skip="$2" count="$3" 2>/dev/null; }

t_plain() {
	drop_all
	audit_json "$P"
	check "plain: after drop_caches nothing is double-cached" "$(tval "$P" double)/$(tval "$P" erofs)" "0/0"
	read_pages "$P/big" 3 5
	audit_json "$P"
	check "plain: 5 pages read -> EROFS-cached = double-cached = 5 pages" \
		"$(fval "$P" big erofs)/$(fval "$P" big double)/$(tval "$P" double)" "$((5 * PG))/$((5 * PG))/$((5 * PG))"
	check "plain: layout of big is plain" "$(fval "$P" big layout)" "plain"
	b=$(fval "$P" big backing)
	[ "$b" -ge $((5 * PG)) ] 2>/dev/null && t_pass "plain: backing-cached covers the read" ||
		t_fail "plain: backing-cached covers the read" "backing=$b"
	cat "$P/tail" > /dev/null
	audit_json "$P"
	check "inline: whole 10000-byte file -> 3 pages double, layout inline, label tail" \
		"$(fval "$P" tail erofs)/$(fval "$P" tail double)/$(fval "$P" tail layout)/$(fval "$P" tail labels)" \
		"$((3 * PG))/$((3 * PG))/inline/tail"
	check "plain: total double = 5 + 3 pages" "$(tval "$P" double)" "$((8 * PG))"
}

t_text() {
	"$DT" audit "$P" > "$W/table" 2>&1
	check "table: DOUBLE of big is 20K (human size)" \
		"$(awk '$NF == "big" { print $3 }' "$W/table")" "$((5 * PG / 1024))K"
	"$DT" audit -b "$P" > "$W/table" 2>&1
	check "table -b: DOUBLE of big in bytes" "$(awk '$NF == "big" { print $3 }' "$W/table")" "$((5 * PG))"
	cp "$W/out.txt" "$W/cachestat.txt"
	audit_json --method mincore "$P"
	check "mincore method: same numbers as cachestat" \
		"$(grep -v '^M' "$W/out.txt" | md5sum)" "$(grep -v '^M' "$W/cachestat.txt" | md5sum)"
	audit_json --sort double --top 1 "$P"
	check "--sort double --top 1: only big" "$(awk '$1 == "F" { print $3 }' "$W/out.txt" | tr '\n' ' ')" "big "
	audit_json "$P/tail"
	check "FILE argument: only that file" "$(awk '$1 == "F" { print $3 }' "$W/out.txt" | tr '\n' ' ')" "tail "
	audit_json
	grep -q "^M $P file 1" "$W/out.txt" && t_pass "no argument: lists the file-backed mount" ||
		t_fail "no argument: lists the file-backed mount" "$(head -3 "$W/out.txt")"
}

t_backing_drop() {
	dd if="$W/plain.img" iflag=nocache count=0 2>/dev/null
	audit_json "$P"
	check "image cache dropped: EROFS side kept, double 0" \
		"$(fval "$P" big erofs)/$(fval "$P" big backing)/$(fval "$P" big double)" "$((5 * PG))/0/0"
	audit_json "$P"
	res=$(fincore -nb -o RES "$W/plain.img" 2>/dev/null | tr -d " ")
	check "the audit leaves nothing in the image cache (fincore)" "$(tval "$P" btotal)/$res" "0/0"
}

t_assert() {
	drop_all
	read_pages "$P/big" 0 5
	"$DT" audit --assert-max-double $((5 * PG - 1)) "$P" > /dev/null 2> "$W/err"
	check "--assert-max-double below the double bytes exits 1" "$?" 1
	"$DT" audit --assert-max-double 20K "$P" > /dev/null 2> "$W/err"
	check "--assert-max-double at the double bytes exits 0" "$?" 0
	mv "$W/plain.img" "$W/plain.moved"
	audit_json --assert-max-double 1G "$P"
	check "image moved after mount: exit 2, trusted=false, one-line reason" \
		"$RC/$(awk '$1 == "R" { print $2 }' "$W/out.txt")/$(wc -l < "$W/err")/$(grep -c 'cannot be trusted.*moved' "$W/err")" "2/0/1/1"
	cp "$W/chunk.img" "$W/plain.img"
	"$DT" audit --assert-max-double 1G "$P" > /dev/null 2> "$W/err"
	check "another image at the mount's source path: exit 2 (UUID differs)" \
		"$?/$(grep -c 'UUID differs' "$W/err")" "2/1"
	mv -f "$W/plain.moved" "$W/plain.img"
}

t_chunk() {
	drop_all
	read_pages "$C/big" 3 5
	audit_json "$C"
	check "chunk-based: 5 pages read -> 5 pages double, layout chunked" \
		"$(fval "$C" big erofs)/$(fval "$C" big double)/$(fval "$C" big layout)" "$((5 * PG))/$((5 * PG))/chunked"
	drop_all
	read_pages "$C/sparse" 8 8
	audit_json "$C"
	check "chunk-based sparse: zero chunks deduplicated, 8 pages double, label shared" \
		"$(fval "$C" sparse erofs)/$(fval "$C" sparse double)/$(fval "$C" sparse labels)" "$((8 * PG))/$((8 * PG))/shared"
	# the file has 10 distinct backing pages (2 data chunks at each end, one
	# shared zero chunk); how many are cached depends on the image's readahead
	b=$(fval "$C" sparse backing)
	[ "$b" -ge $((2 * PG)) ] 2>/dev/null && [ "$b" -le $((10 * PG)) ] &&
		t_pass "chunk-based sparse: backing counts the shared chunk once" ||
		t_fail "chunk-based sparse: backing counts the shared chunk once" "backing=$b, want 2..10 pages"
}

t_sparse() {
	drop_all
	read_pages "$P/sparse" 0 8
	audit_json "$P"
	# mkfs.erofs 1.5 stores a hole of a flat file as zeros: mapped, so double;
	# a layout with a real hole has only the 4 data pages behind it
	want=$((8 * PG))
	case $(fval "$P" sparse labels) in *hole*) want=$((4 * PG)) ;; esac
	check "sparse: 4 data + 4 hole pages read -> double as mapped" "$(fval "$P" sparse double)" "$want"
}

t_lz4() {
	drop_all
	cat "$L/text" > /dev/null
	read_pages "$L/big" 0 2
	audit_json "$L"
	check "lz4: compressed file labelled, cached, excluded from double" \
		"$(fval "$L" text layout)/$(fval "$L" text labels)/$(fval "$L" text erofs)/$(fval "$L" text double)/$(fval "$L" text backing)" \
		"compressed/compressed/$((256 * PG))/0/-"
	check "lz4: incompressible file stored plain counts 2 pages; total double 2 pages" \
		"$(fval "$L" big layout)/$(fval "$L" big double)/$(tval "$L" double)" "plain/$((2 * PG))/$((2 * PG))"
	u=$(tval "$L" unattr)
	[ "$u" -gt 0 ] 2>/dev/null && t_pass "lz4: compressed clusters show as unattributed image cache" ||
		t_fail "lz4: compressed clusters show as unattributed image cache" "unattributed=$u"
	drop_all
	audit_json "$P" "$C" "$L"
	check "after drop_caches: no mount has double-cached bytes" \
		"$(awk '$1 == "T" { printf "%s ", $5 }' "$W/out.txt")" "0 0 0 "
}

t_watch() {
	"$DT" audit -J --watch 0.2 --count 3 "$P" "$L" > "$W/lines" 2> "$W/err"
	check "--watch --json: 3 JSON lines, each a valid report" "$("$JC" --lines < "$W/lines" | awk '$1 == "N" { print $2 }')" 3
	"$DT" audit --watch 0.2 --count 2 "$P" "$L" > "$W/lines" 2> "$W/err"
	check "--watch text: header + 2 samples x 2 mounts" "$(wc -l < "$W/lines")" 5
}

# unmount between two --watch samples: later samples are unknown, exit 2
t_vanish() {
	local v=$W/mnt/v i pid
	mkdir -p "$v"
	"$FBM" "$W/plain.img" "$v" || { t_fail "vanished mount" "cannot mount"; return; }
	# 2 s between samples: the unmount lands before the second one even on
	# a loaded machine
	"$DT" audit --watch 2 --count 3 "$v" > "$W/lines" 2> "$W/err" &
	pid=$!
	for i in $(seq 50); do
		[ "$(wc -l < "$W/lines")" -ge 2 ] && break
		sleep 0.1
	done
	"$FBM" -u "$v"
	wait $pid
	check "mount vanished mid-watch: exit 2, later samples unknown, reason given" \
		"$?/$(awk 'NR > 2 && $2 == "-" && /untrusted/' "$W/lines" | wc -l)/$(grep -c 'vanished mid-scan' "$W/err" | sed 's/^[1-9][0-9]*$/y/')" "2/2/y"
}

# bad input: one line on stderr, nothing on stdout, exit 2
t_bad() {
	local name=$1 pat=$2; shift 2
	"$DT" audit "$@" > "$W/o" 2> "$W/err"
	rc=$?
	if [ $rc -eq 2 ] && [ ! -s "$W/o" ] && [ "$(wc -l < "$W/err")" = 1 ] && grep -q "$pat" "$W/err"; then
		t_pass "$name"
	else
		t_fail "$name" "rc=$rc stderr=$(head -c 200 "$W/err")"
	fi
}

t_errors() {
	t_bad "non-EROFS path: one-line error" "not on an EROFS mount" "$W/src"
	t_bad "missing path: one-line error" "No such file" "$W/nope"
	t_bad "bad --sort: one-line error" "invalid sort key" --sort bogus "$P"
	t_bad "bad --assert-max-double: one-line error" "invalid --assert-max-double" --assert-max-double 12Q "$P"
	# numbers are whole strings, in range, never rounded or wrapped to 0
	t_bad "--assert-max-double 1e20: refused, not 0" "'1e20': unknown unit" --assert-max-double 1e20 "$P"
	t_bad "--assert-max-double inf: refused, not 0" "'inf': not a number" --assert-max-double inf "$P"
	t_bad "--assert-max-double nan: refused" "'nan': not a number" --assert-max-double nan "$P"
	t_bad "--assert-max-double 16P: refused" "'16P': unknown unit" --assert-max-double 16P "$P"
	t_bad "--assert-max-double 17592186044417M: out of range, not wrapped" "out of range" \
		--assert-max-double 17592186044417M "$P"
	t_bad "--assert-max-double -1: refused" "'-1': not a number" --assert-max-double -1 "$P"
	t_bad "--top 1x: refused" "invalid --top '1x'" --top 1x "$P"
	t_bad "--watch 0: refused" "invalid --watch interval '0': out of range" --watch 0 "$P"
	t_bad "--watch inf: refused" "invalid --watch interval 'inf'" --watch inf "$P"
	t_bad "--count 0: refused" "invalid --count '0': out of range" --watch 1 --count 0 "$P"
}

# a failed write of the report: exit 2, one line naming the output
# t_out_err NAME PATTERN STDOUT ARGS...
t_out_err() {
	local name=$1 pat=$2 out=$3; shift 3
	"$DT" audit "$@" > "$out" 2> "$W/err"
	rc=$?
	if [ $rc -eq 2 ] && [ "$(wc -l < "$W/err")" = 1 ] && grep -q "$pat" "$W/err"; then
		t_pass "$name"
	else
		t_fail "$name" "rc=$rc stderr=$(head -c 200 "$W/err")"
	fi
}

t_write_errors() {
	t_out_err "table to a full stdout: exit 2, named" "writing the report to stdout failed" /dev/full "$P"
	t_out_err "JSON to a full stdout: exit 2, named" "writing the report to stdout failed" /dev/full -J "$P"
	t_out_err "-o /dev/full: exit 2, named" "writing the report to /dev/full failed" "$W/o" -o /dev/full "$P"
	t_out_err "--watch to a full stdout: stops, exit 2" "writing the report to stdout failed" /dev/full \
		-J --watch 0.1 --count 50 "$P"
	"$DT" audit -o "$W/o.txt" "$P" > "$W/o" 2> "$W/err"
	rc=$?
	if [ $rc -eq 0 ] && [ ! -s "$W/o" ] && grep -q "^MOUNT $P " "$W/o.txt"; then
		t_pass "-o FILE: the table goes to FILE, nothing to stdout"
	else
		t_fail "-o FILE: the table goes to FILE, nothing to stdout" "rc=$rc: $(head -c 200 "$W/err")"
	fi
}

# a file name with an escape sequence, a newline and a byte that is not UTF-8
t_ctl_names() {
	local d=$W/mnt/ctl esc
	esc=$(printf '\033')
	mkdir -p "$W/srcctl" "$d"
	printf data > "$W/srcctl/$(printf 'ctl\033[2J\nx\377y')"
	if ! mkfs.erofs --quiet "$W/ctl.img" "$W/srcctl" >/dev/null 2>&1 || ! "$FBM" "$W/ctl.img" "$d"; then
		t_fail "file name with control bytes" "cannot build or mount $W/ctl.img"
		return
	fi
	"$DT" audit -n "$d" > "$W/ctl.txt" 2> "$W/err"
	if [ "$(wc -l < "$W/ctl.txt")" = 3 ] && ! grep -q "$esc" "$W/ctl.txt" &&
	   grep -qF 'ctl\x1b[2J\x0ax\xffy' "$W/ctl.txt"; then
		t_pass "table: control bytes of a file name escaped (one line a file, no raw ESC)"
	else
		t_fail "table: control bytes of a file name escaped" "$(od -c "$W/ctl.txt" | head -5)"
	fi
	"$DT" audit -J "$d" > "$W/ctl.json" 2> "$W/err"
	if iconv -f UTF-8 -t UTF-8 "$W/ctl.json" > /dev/null 2>&1 && "$JC" < "$W/ctl.json" > /dev/null 2>&1; then
		t_pass "JSON: a file name that is not UTF-8 still gives valid UTF-8 JSON"
	else
		t_fail "JSON: a file name that is not UTF-8 still gives valid UTF-8 JSON" "see $W/ctl.json"
	fi
	umount "$d"
}

# an unprivileged caller gets EPERM from cachestat and lies from mincore:
# the audit must say so (exit 2) and print no numbers, never zeros
t_unpriv() {
	local m
	if ! command -v setpriv >/dev/null || ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$DT"; then
		t_skip "unprivileged caller" "setpriv missing or $DT not reachable by uid 65534"
		return
	fi
	for m in cachestat mincore; do
		setpriv --reuid=65534 --regid=65534 --clear-groups "$DT" audit -J --method $m \
			--assert-max-double 1G "$P" > "$W/out.json" 2> "$W/err"
		RC=$?
		"$JC" < "$W/out.json" > "$W/out.txt" 2> "$W/jc.err"
		check "unprivileged, $m: exit 2, untrusted, no numbers, one-line reason" \
			"$RC/$(awk '$1 == "R" { print $2 "/" $3 }' "$W/out.txt")/$(fval "$P" big erofs)/$(grep -c 'cannot be trusted' "$W/err")" \
			"2/0/-/-/1"
	done
}

t_bdev() {
	LOOP=$(losetup -f --show -r "$W/plain.img" 2>/dev/null) &&
		mount -t erofs -o ro "$LOOP" "$W/mnt/bdev" 2>/dev/null ||
		{ t_skip "block-device-backed mount" "no loop device here"; return; }
	audit_json "$W/mnt/bdev"
	check "block-device-backed: exit 0, kind bdev, no backing side, one-line note" \
		"$RC/$(awk '$1 == "M" { print $3 }' "$W/out.txt")/$(tval "$W/mnt/bdev" backing)/$(grep -c 'block-device-backed' "$W/err")" \
		"0/bdev/-/1"
	umount "$W/mnt/bdev"
	losetup -d "$LOOP" && LOOP=
}

setup
t_plain
t_text
t_backing_drop
t_assert
t_chunk
t_sparse
t_lz4
t_watch
t_vanish
t_errors
t_write_errors
t_ctl_names
t_unpriv
t_bdev
t_done
