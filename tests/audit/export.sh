#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# audit's exports as operators consume them: the OpenMetrics file served by
# the real node_exporter (textfile collector) and checked by promtool, the
# --plot SVG checked by xmllint, and the bad cases (unwritable -o, a full
# directory, a mount that vanishes between samples, --top 0) leaving no
# partial file where node_exporter reads.  Needs root (mount(2)).
SUITE=audit-export
. "$(dirname "$0")/../lib.sh"

DT=${DT_BIN:-$DT_ROOT/build/erofs-diotrace}
FBM=$DT_ROOT/build/tests/fbmount
JC=$DT_ROOT/build/tests/audit-jsoncheck
W=$DT_ROOT/build/audit-export
TD=$W/textfile			# node_exporter's textfile directory
PG=$(getconf PAGESIZE)
NE=$(command -v prometheus-node-exporter || command -v node_exporter)
NEPID=

cleanup() {
	local d
	[ -n "$NEPID" ] && kill "$NEPID" 2>/dev/null && wait "$NEPID" 2>/dev/null
	for d in "$W"/full "$W"/mnt/*; do
		mountpoint -q "$d" 2>/dev/null && umount "$d"
	done
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check() {
	if [ "$2" = "$3" ]; then t_pass "$1"; else t_fail "$1" "got '$2', want '$3'"; fi
}

need() {
	local t
	if [ "$(id -u)" != 0 ]; then
		t_skip "export suite" "needs root (mount(2))"; t_done
	fi
	for t in "$DT" "$FBM" "$JC"; do
		[ -x "$t" ] || { t_fail "export suite" "$t not built (make all helpers)"; t_done; }
	done
	for t in mkfs.erofs promtool xmllint gnuplot curl "$NE"; do
		command -v "$t" > /dev/null ||
			{ t_fail "export suite" "${t:-prometheus-node-exporter} missing: run scripts/install-deps.sh"; t_done; }
	done
	case $(stat -f -c %T "$DT_ROOT/build") in
	tmpfs|ramfs) t_skip "export suite" "build/ is on tmpfs, which cannot back EROFS images"; t_done ;;
	esac
}

setup() {
	need
	rm -rf "$W"; mkdir -p "$W/src" "$W/mnt/p" "$W/mnt/v" "$TD"
	head -c $((64 * PG)) /dev/urandom > "$W/src/big"
	head -c $((8 * PG)) /dev/urandom > "$W/src/mid"
	head -c 10000 /dev/urandom > "$W/src/tail"
	head -c $((2 * PG)) /dev/urandom > "$W/src/q\"b\\s"
	for i in $(seq 20); do echo "small $i" > "$W/src/s$i"; done
	mkfs.erofs --quiet -T0 "$W/p.img" "$W/src" && cp "$W/p.img" "$W/v.img" &&
		"$FBM" "$W/p.img" "$W/mnt/p" && "$FBM" "$W/v.img" "$W/mnt/v" ||
		{ t_fail "export suite" "cannot build or mount the test images"; t_done; }
	P=$W/mnt/p
}

# what the later checks expect cached: four files, both sides
warm() {
	sync; echo 3 > /proc/sys/vm/drop_caches
	cat "$P/big" "$P/mid" "$P/tail" "$P/q\"b\\s" > /dev/null
}

# a free TCP port on the loopback
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_node_exporter() {
	local port i
	port=$(free_port)
	"$NE" --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
		--collector.textfile --collector.textfile.directory="$TD" > "$W/ne.log" 2>&1 &
	NEPID=$!
	URL=http://127.0.0.1:$port/metrics
	for i in $(seq 100); do
		curl -sf "$URL" > /dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# value of one scraped series: sval 'NAME{LABELS}' (no awk -v: it eats backslashes)
sval() {
	S=$1 awk 'index($0, ENVIRON["S"] " ") == 1 { print $NF }' "$W/scrape"
}

t_openmetrics() {
	local f v want n bad=0 name i rc
	# the export between two identical JSON reports: the page cache did not
	# move under it (another process dropping caches), so the numbers compare
	for i in 1 2 3; do
		"$DT" audit -J "$P" > "$W/a.json" && "$JC" < "$W/a.json" > "$W/a.txt" ||
			{ t_fail "openmetrics" "audit -J failed"; return; }
		"$DT" audit -f openmetrics -t 3 -o "$TD/erofs.prom" "$P" 2> "$W/err"
		rc=$?
		"$DT" audit -J "$P" | "$JC" > "$W/b.txt" 2>&1
		cmp -s <(grep -v '^M' "$W/a.txt") <(grep -v '^M' "$W/b.txt") && break
	done
	check "openmetrics -o: exit 0, nothing on stderr" "$rc/$(wc -c < "$W/err")" "0/0"
	promtool check metrics < "$TD/erofs.prom" > "$W/promtool" 2>&1
	check "promtool check metrics accepts the file" "$?/$(cat "$W/promtool")" "0/"
	"$DT" audit -f openmetrics "$P" | promtool check metrics > "$W/promtool" 2>&1
	check "promtool accepts openmetrics on stdout (no --top)" "$?/$(cat "$W/promtool")" "0/"
	check "the file ends with OpenMetrics' # EOF (whole)" "$(tail -n 1 "$TD/erofs.prom")" "# EOF"
	check "-o FILE is world-readable (node_exporter runs as its own user)" \
		"$(stat -c %a "$TD/erofs.prom")" 644
	start_node_exporter || { t_fail "node_exporter serves the textfile directory" "$(tail -3 "$W/ne.log")"; return; }
	curl -sf "$URL" > "$W/scrape"
	check "node_exporter: node_textfile_scrape_error 0" "$(sval node_textfile_scrape_error)" 0
	# every per-mount series carries the number audit --json gives
	set -- $(awk -v m="$P" '$1 == "T" && $2 == m { print $3, $4, $5, $6, $7 }' "$W/a.txt")
	for f in "erofs_cached_bytes $1" "image_file_data_cached_bytes $2" "double_cached_bytes $3" \
		 "image_cached_bytes $4" "unattributed_cached_bytes $5" \
		 "files $(awk -v m="$P" '$1 == "F" && $2 == m' "$W/a.txt" | wc -l)" "trusted 1"; do
		set -- $f
		v=$(sval "erofs_diotrace_$1{mount=\"$P\"}")
		[ -n "$v" ] && awk -v a="$v" -v b="$2" 'BEGIN { exit !(a + 0 == b + 0) }' ||
			{ bad=1; t_fail "scraped erofs_diotrace_$1 equals audit --json" "scraped '$v', json '$2'"; }
	done
	[ $bad = 0 ] && t_pass "scraped per-mount series equal audit --json (7 series)"
	n=$(grep "^erofs_diotrace_files_by_layout{" "$W/scrape" | grep -cF "mount=\"$P\"")
	v=$(awk -v m="$P" '/^erofs_diotrace_files_by_layout/ && index($0, "mount=\"" m "\"") { s += $NF } END { print s }' "$W/scrape")
	check "layout counts: 5 layouts, summing to the file count" "$n/$v" "5/$(sval "erofs_diotrace_files{mount=\"$P\"}")"
	# --top 3: the three files with the most double-cached bytes, as in the JSON
	want=$(awk -v m="$P" '$1 == "F" && $2 == m && $8 > 0 { print $8, $3 }' "$W/a.txt" |
		sort -k1,1nr -k2 | head -3 | awk '{ printf "%s=%s ", $2, $1 }')
	v=$(grep '^erofs_diotrace_file_double_cached_bytes{' "$W/scrape" |
		sed 's/.*path="\(.*\)"} \(.*\)/\1=\2/' | sort -t= -k2,2nr -k1 | tr '\n' ' ')
	check "--top 3: per-file series of the 3 most double-cached files, values as JSON" "$v" "$want"
	check "--top 3: per-file series bounded" "$(grep -c '^erofs_diotrace_file_erofs_cached_bytes{' "$W/scrape")" 3
	"$DT" audit -f openmetrics -t 10 -o "$TD/erofs.prom" "$P" && curl -sf "$URL" > "$W/scrape"
	check "a path with \" and \\ is escaped in its label (and scraped)" \
		"$(sval "erofs_diotrace_file_double_cached_bytes{mount=\"$P\",path=\"q\\\"b\\\\s\"}")" $((2 * PG))
	check "node_exporter still reads it without error" "$(sval node_textfile_scrape_error)" 0
}

# no file but the target and no temporary file left in the textfile directory
only_target() {
	ls -A "$1" | tr '\n' ' '
}

t_bad_output() {
	local old
	"$DT" audit -f openmetrics -o "$P/x.prom" "$P" > "$W/o" 2> "$W/err"
	check "unwritable -o (read-only EROFS): exit 2, one line naming -o, nothing written" \
		"$?/$(wc -l < "$W/err")/$(grep -c -- "-o $P/x.prom: cannot create" "$W/err")/$(wc -c < "$W/o")" "2/1/1/0"
	"$DT" audit -f openmetrics -o "$W/nodir/x.prom" "$P" > /dev/null 2> "$W/err"
	check "-o in a missing directory: exit 2, one line" "$?/$(wc -l < "$W/err")/$(grep -c 'No such file' "$W/err")" "2/1/1"
	# a directory that fills up mid-write: the old file stays whole
	mkdir -p "$W/full"
	mount -t tmpfs -o size=16k tmpfs "$W/full" || { t_fail "full directory" "cannot mount tmpfs"; return; }
	echo 'erofs_diotrace_old 1' > "$W/full/e.prom"
	head -c 16384 /dev/zero > "$W/full/fill" 2> /dev/null
	old=$(md5sum < "$W/full/e.prom")
	"$DT" audit -f openmetrics -t 10 -o "$W/full/e.prom" "$P" > /dev/null 2> "$W/err"
	check "full directory: exit 2, one line, old file intact, no temporary file left" \
		"$?/$(wc -l < "$W/err")/$(md5sum < "$W/full/e.prom")/$(only_target "$W/full")" "2/1/$old/e.prom fill "
	umount "$W/full"
	t_bad1 "--top 0 with openmetrics: refused" "--top 0 with openmetrics" -f openmetrics -t 0 -o "$TD/erofs.prom" "$P"
	t_bad1 "--top 1001 with openmetrics: refused" "--top 1001" -f openmetrics -t 1001 "$P"
	t_bad1 "openmetrics --watch to stdout: refused" "needs -o FILE" -f openmetrics -w 1 "$P"
	t_bad1 "bad --format: refused" "invalid format 'prom'" -f prom "$P"
	check "refused runs left the served file alone" "$(only_target "$TD")" "erofs.prom "
}

# t_bad1 NAME PATTERN ARGS...: exit 2, one line on stderr, nothing on stdout
t_bad1() {
	local name=$1 pat=$2; shift 2
	"$DT" audit "$@" > "$W/o" 2> "$W/err"
	rc=$?
	if [ $rc = 2 ] && [ ! -s "$W/o" ] && [ "$(wc -l < "$W/err")" = 1 ] && grep -q -- "$pat" "$W/err"; then
		t_pass "$name"
	else
		t_fail "$name" "rc=$rc stderr=$(head -c 200 "$W/err")"
	fi
}

# the mount goes away between two samples of a --watch export: every file
# node_exporter could read is whole, and the last says the mount is untrusted
t_vanish() {
	local v=$W/mnt/v pid i
	"$DT" audit -f openmetrics -w 2 -c 3 -o "$TD/v.prom" "$v" 2> "$W/err" &
	pid=$!
	for i in $(seq 50); do
		[ -s "$TD/v.prom" ] && break
		sleep 0.1
	done
	grep -q "^erofs_diotrace_erofs_cached_bytes{mount=\"$v\"}" "$TD/v.prom" 2>/dev/null &&
		t_pass "watch export: first sample has the mount's numbers" ||
		t_fail "watch export: first sample has the mount's numbers" "$(head -c 300 "$TD/v.prom" 2>&1)"
	"$FBM" -u "$v"
	wait $pid
	check "mount vanished between samples: exit 2, reason on stderr" \
		"$?/$(grep -c 'vanished mid-scan' "$W/err" | sed 's/^[1-9][0-9]*$/y/')" "2/y"
	promtool check metrics < "$TD/v.prom" > "$W/promtool" 2>&1
	check "after the vanish: the file is whole (promtool, # EOF), trusted 0, no byte series" \
		"$?/$(tail -n 1 "$TD/v.prom")/$(grep -c "^erofs_diotrace_trusted{mount=\"$v\"} 0$" "$TD/v.prom")/$(grep -c "^erofs_diotrace_erofs_cached_bytes{" "$TD/v.prom")" "0/# EOF/1/0"
	check "no temporary file left in the textfile directory" "$(only_target "$TD")" "erofs.prom v.prom "
	curl -sf "$URL" > "$W/scrape"
	check "node_exporter serves the untrusted sample without error" \
		"$(sval node_textfile_scrape_error)/$(sval "erofs_diotrace_trusted{mount=\"$v\"}")" "0/0"
}

t_plot() {
	local svg=$W/cache.svg i k
	"$DT" audit -b -w 0.5 -c 6 --plot "$svg" "$P" > "$W/lines" 2> "$W/err" &
	pid=$!
	sleep 0.7; dd if="$W/p.img" iflag=nocache count=0 2>/dev/null	# image cache dropped
	sleep 1; cat "$P"/s* > /dev/null
	wait $pid
	check "--watch --plot: exit 0, 6 samples" "$?/$(($(wc -l < "$W/lines") - 1))" "0/6"
	xmllint --noout "$svg" 2> "$W/xml"
	check "the SVG is well-formed XML (xmllint)" "$?/$(head -c 200 "$W/xml")" "0/"
	k=0
	for i in "EROFS cache $P" "image cache $P" "double-cached $P"; do
		grep -qF ">$i<" "$svg" && k=$((k + 1))
	done
	check "the SVG has the three series of the mount in its key" "$k" 3
	check "the SVG stands alone (no script, no external reference)" \
		"$(grep -c '<script\|xlink:href=.http' "$svg")" 0
	grep -q "cached (KiB)\|cached (MiB)" "$svg" && t_pass "the y axis is in human units" ||
		t_fail "the y axis is in human units" "$(grep -o 'cached ([^)]*)' "$svg" | head -1)"
	t_bad1 "--plot without --watch: refused" "give --watch" --plot "$svg" "$P"
	env PATH=/nonexistent "$DT" audit -w 1 -c 1 --plot "$svg" "$P" > "$W/o" 2> "$W/err"
	check "--plot without gnuplot in PATH: refused before sampling, one line" \
		"$?/$(wc -c < "$W/o")/$(wc -l < "$W/err")/$(grep -c 'needs gnuplot' "$W/err")" "2/0/1/1"
	# a gnuplot that fails: exit 2, one line, the old SVG left as it was
	mkdir -p "$W/fakebin"
	printf '#!/bin/sh\ncat > /dev/null\nexit 1\n' > "$W/fakebin/gnuplot"
	chmod +x "$W/fakebin/gnuplot"
	k=$(md5sum < "$svg")
	PATH=$W/fakebin:$PATH "$DT" audit -w 0.1 -c 2 --plot "$svg" "$P" > /dev/null 2> "$W/err"
	check "gnuplot failing: exit 2, one line, the old SVG intact, no temporary file" \
		"$?/$(wc -l < "$W/err")/$(grep -c 'gnuplot failed' "$W/err")/$(md5sum < "$svg")/$(ls -A "$W" | grep -c '^\.cache\.svg')" \
		"2/1/1/$k/0"
	t_bad1 "--plot into a missing directory: refused before sampling" "cannot create" \
		-w 1 -c 1 --plot "$W/nodir/x.svg" "$P"
}

# the image is checked once a mount, its inodes read through its cache:
# a warm mount costs no device read, a cold one a few, never one a file
direct_reads() {
	"$DT" audit -J "$1" | grep -o '"image_direct_reads":[0-9]*' | cut -d: -f2
}

t_cost() {
	local n
	find "$P" -type f -exec cat {} + > /dev/null
	check "warm mount: the audit reads nothing from the device" "$(direct_reads "$P")" 0
	sync; echo 3 > /proc/sys/vm/drop_caches
	n=$(direct_reads "$P")
	[ -n "$n" ] && [ "$n" -le 2 ] && t_pass "cold mount, 24 files: at most 2 direct reads ($n)" ||
		t_fail "cold mount, 24 files: at most 2 direct reads" "got '$n'"
	check "cold audit leaves the image uncached (fincore)" \
		"$(fincore -nb -o RES "$W/p.img" | tr -d ' ')" 0
}

setup
t_cost
warm
t_openmetrics
t_bad_output
t_vanish
t_plot
t_done
