# SPDX-License-Identifier: GPL-2.0-only
# Sourced by tests/tracer-host/run.sh (same suite, same helpers): run --plot,
# run --debug, and what -v / --probes mean.

# a gnuplot in front of the real one that keeps the script and its data file
# ($W/gp/data), so the samples can be checked, then draws with the real one
plot_wrapper() {
	real=$(command -v gnuplot)
	mkdir -p "$W/gp" "$W/gpbin"
	cat > "$W/gpbin/gnuplot" <<EOF
#!/bin/sh
cat > "$W/gp/script"
f=\$(sed -n "s/^plot '\\([^']*\\)'.*/\\1/p" "$W/gp/script")
cp "\$f" "$W/gp/data"
exec "$real" "$W/gp/script"
EOF
	chmod +x "$W/gpbin/gnuplot"
}

# --- run --plot: samples each second, the SVG has every series ------------
check_plot() {
	if ! command -v gnuplot >/dev/null || ! command -v xmllint >/dev/null; then
		t_skip "run --plot" "needs gnuplot and xmllint (apt-get install gnuplot-nox libxml2-utils)"
		return
	fi
	plot_wrapper
	drop_caches
	rm -f "$W/p.svg" "$W/gp/data"
	big=$(stat -c %s "$W/mnt/big")
	small=$(stat -c %s "$W/mnt/small")
	PATH="$W/gpbin:$PATH" $TO "$T" run --plot "$W/p.svg" --mount "$W/mnt" -o "$W/p.rep" -- \
		sh -c "cat '$W/mnt/big' > /dev/null; sleep 2; cat '$W/mnt/small' > /dev/null; exit 3" \
		2> "$W/p.err"
	rc=$?
	if [ $rc -eq 3 ] && xmllint --noout "$W/p.svg" 2> "$W/p.xml"; then
		t_pass "run --plot: CMD's exit status, a well-formed SVG (xmllint)"
	else
		t_fail "run --plot: CMD's exit status, a well-formed SVG" "rc=$rc $(head -c 300 "$W/p.err" "$W/p.xml" 2>&1)"
	fi
	miss=
	for s in "EROFS cache" "image cache" "double-cached" "read direct (total)" "read buffered (total)"; do
		grep -qF "$s" "$W/p.svg" || miss="$miss [$s]"
	done
	grep -q "bytes (MiB)\|bytes (KiB)" "$W/p.svg" || miss="$miss [y axis in KiB/MiB]"
	[ -z "$miss" ] && t_pass "run --plot: every series named, the y axis in human units" ||
		t_fail "run --plot: every series named, human units" "missing:$miss"
	# the samples: >= 3 rows (0 s, 1 s, 2 s, the end) in time order; the
	# buffered total ends at the bytes cat read, nothing went direct; the
	# EROFS cache holds big once cat has read it
	awk -v want=$((big + small)) -v big="$big" '
		{ n++; if ($1 < t) bad = bad " time went back"; t = $1
		  if ($2 != "NaN" && $2 + 0 >= big) cached = 1
		  last5 = $5; last6 = $6 }
		END { if (n < 3) bad = bad " " n " samples"
		      if (last6 != want) bad = bad " buffered " last6 " != " want
		      if (last5 != 0) bad = bad " direct " last5
		      if (!cached) bad = bad " EROFS cache never held big"
		      print bad }' "$W/gp/data" > "$W/p.chk"
	[ -s "$W/gp/data" ] && [ -z "$(tr -d ' \n' < "$W/p.chk")" ] &&
		t_pass "run --plot: a sample a second; buffered bytes = bytes read; EROFS cache grows" ||
		t_fail "run --plot: samples" "$(cat "$W/p.chk") $(head -5 "$W/gp/data" 2>&1)"

	# gnuplot failing midway: exit 2 with a message, the old SVG untouched,
	# no temporary file beside it
	mkdir -p "$W/badgp"
	printf '#!/bin/sh\nf=$(sed -n "s/^set output .\\(.*\\).$/\\1/p")\necho partial > "$f"\nexit 1\n' \
		> "$W/badgp/gnuplot"
	chmod +x "$W/badgp/gnuplot"
	echo old > "$W/q.svg"
	PATH="$W/badgp:$PATH" $TO "$T" run --plot "$W/q.svg" --mount "$W/mnt" -o /dev/null -- true 2> "$W/q.err"
	rc=$?
	if [ $rc -eq 2 ] && [ "$(cat "$W/q.svg")" = old ] && grep -q "gnuplot failed" "$W/q.err" &&
	   [ -z "$(ls -A "$W" | grep '^\.q\.svg')" ]; then
		t_pass "run --plot, gnuplot failing: exit 2, said, the old file intact, no partial file"
	else
		t_fail "run --plot, gnuplot failing" "rc=$rc svg=$(head -c 40 "$W/q.svg") $(ls -A "$W" | grep q.svg) $(head -c 300 "$W/q.err")"
	fi
	# refused before CMD runs: no directory to write in; same file as -o
	rm -f "$W/ran"
	$TO "$T" run --plot "$W/nodir/p.svg" --mount "$W/mnt" -o /dev/null -- touch "$W/ran" 2> "$W/r.err"
	rc=$?
	[ $rc -eq 2 ] && [ ! -e "$W/ran" ] && grep -q -- "--plot $W/nodir/p.svg" "$W/r.err" &&
		t_pass "run --plot into a missing directory: exit 2 before CMD runs" ||
		t_fail "run --plot into a missing directory" "rc=$rc ran=$([ -e "$W/ran" ] && echo yes) $(head -c 300 "$W/r.err")"
	$TO "$T" run --plot "$W/s.svg" -o "$W/s.svg" -- touch "$W/ran" 2> "$W/r.err"
	one_line_err "run --plot FILE -o FILE: refused" $? 2 "are the same file" "$W/r.err"
	# a mount given that is not EROFS: no sample could mean anything
	$TO "$T" run --plot "$W/t.svg" --mount / -o /dev/null -- touch "$W/ran" 2> "$W/r.err"
	rc=$?
	[ $rc -eq 2 ] && [ ! -e "$W/ran" ] && [ ! -e "$W/t.svg" ] &&
		t_pass "run --plot --mount on a non-EROFS directory: exit 2, no file" ||
		t_fail "run --plot --mount /" "rc=$rc $(head -c 300 "$W/r.err")"
}

# --- run --debug: libbpf's and the verifier's output, each candidate's fate -
check_debug() {
	$TO "$T" run --debug -o /dev/null -- true 2> "$W/d.err"
	rc=$?
	groups=$(grep -c "^erofs-diotrace debug: [A-Za-z_ .]*: candidate " "$W/d.err")
	libbpf=$(grep -c "^erofs-diotrace debug: libbpf: " "$W/d.err")
	vlog=$(grep -c "^erofs-diotrace debug: processed [0-9]* insns" "$W/d.err")
	if [ $rc -eq 0 ] && [ "$groups" -gt 0 ] && [ "$libbpf" -gt 0 ] && [ "$vlog" -gt 0 ]; then
		t_pass "run --debug: every candidate's fate, libbpf's messages, the verifier's logs"
	else
		t_fail "run --debug" "rc=$rc candidates=$groups libbpf=$libbpf verifier=$vlog"
	fi
	# every group the probe table names was tried under --debug
	$TO "$T" run --probes -o /dev/null -- true 2> "$W/pr.err"
	miss=
	[ "$(sed -n 's/^  \([A-Z][A-Za-z_ .]*\): .*/\1/p' "$W/pr.err" | wc -l)" -gt 0 ] || miss=" [no probe table]"
	for g in $(sed -n 's/^  \([A-Z][A-Za-z_ .]*\): .*/\1/p' "$W/pr.err" | tr ' ' '~'); do
		g=$(echo "$g" | tr '~' ' ')
		grep -q "^erofs-diotrace debug: $g: candidate " "$W/d.err" || miss="$miss [$g]"
	done
	[ -z "$miss" ] && t_pass "run --debug tries a candidate for every role --probes lists" ||
		t_fail "run --debug: a candidate for every role" "missing:$miss"
	$TO "$T" run -o /dev/null -- true 2> "$W/nd.err"
	DIOTRACE_LIBBPF_LOG=1 $TO "$T" run -o /dev/null -- true 2> "$W/env.err"
	if ! grep -q "debug:\|libbpf" "$W/nd.err" && grep -q "^erofs-diotrace debug: libbpf: " "$W/env.err"; then
		t_pass "without --debug: no debug output; DIOTRACE_LIBBPF_LOG is --debug's alias"
	else
		t_fail "debug output only when asked" "$(head -c 200 "$W/nd.err") / $(grep -c debug "$W/env.err")"
	fi
}

# --- -v is per-read detail (as replay's); --probes is the probe table ------
check_verbose() {
	$TO "$T" run -v -o "$W/v.rep" -- cat "$W/mnt/small" > /dev/null 2> "$W/v.err"
	$TO "$T" run --verbose -o "$W/vv.rep" -- cat "$W/mnt/small" > /dev/null 2> /dev/null
	$TO "$T" run -o "$W/nv.rep" -- cat "$W/mnt/small" > /dev/null 2> /dev/null
	$TO "$T" run --probes -o /dev/null -- true 2> "$W/pr.err"
	v=$(grep -c "^  #[0-9]* .* PASS$" "$W/v.rep")
	vv=$(grep -c "^  #[0-9]* .* PASS$" "$W/vv.rep")
	nv=$(grep -c "^  #[0-9]* .* PASS$" "$W/nv.rep")
	if [ "$v" -gt 0 ] && [ "$v" = "$vv" ] && [ "$nv" -lt "$v" ] &&
	   ! grep -q "^  REQ: " "$W/v.err" && grep -q "^  REQ: " "$W/pr.err"; then
		t_pass "run -v = --verbose: per-read lines, no probe table; --probes prints the table"
	else
		t_fail "run -v / --verbose / --probes" "v=$v verbose=$vv none=$nv $(head -c 200 "$W/v.err")"
	fi
	miss=
	for c in run replay audit; do
		"$T" $c --help | grep -q "^ *-v, --verbose " || miss="$miss $c"
	done
	[ -z "$miss" ] && t_pass "-v, --verbose is one option in run, replay and audit --help" ||
		t_fail "-v, --verbose in every command's --help" "not in:$miss"
}
