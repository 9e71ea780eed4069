#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Suite test-matrix: `make matrix` on unpatched, rfc and fixed matches the
# checked-in expectations; its JUnit passes an XSD and its TAP perl's
# TAP::Parser; series with an injected defect are caught through PATCHES=
# (exit 1, the matching cells FAIL or OOPS); a series that does not apply
# and one that does not compile give exit 2 with the reason; dt-matrix's
# judging and its checked writes on synthetic cells.
SUITE=matrix
. "$(dirname "$0")/../lib.sh"
cd "$DT_ROOT" || exit 1
M=tests/matrix
W=$DT_ROOT/build/matrix-suite
mkdir -p "$W"
t0=$(date +%s)

# jq-less JSON queries: python3's json module
jq() { python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for line in sys.argv[2:]:
    print(eval(line, {"d": d, "cell": lambda f, s: [c for c in d["cells"] if c["flavour"] == f and c["scenario"] == s][0]}))' "$@"; }

# TAP through perl's TAP::Parser: prints "plan run failed todo skipped parse_errors"
tap_check() {
	perl -MTAP::Parser -e '
		my $p = TAP::Parser->new({ source => $ARGV[0] });
		while (my $r = $p->next) { }
		my @e = $p->parse_errors;
		printf "%s %d %d %d %d %d%s\n", $p->plan, $p->tests_run, scalar($p->failed),
			scalar($p->todo), scalar($p->skipped), scalar(@e), @e ? " ($e[0])" : "";
		exit(($p->version // 0) == 13 ? 0 : 1);' "$1"
}

# JUnit: the XSD, then python3's parser for the counts
junit_check() {
	xmllint --noout --schema "$M/junit.xsd" "$1" 2>&1 | tail -n 1 &&
	python3 -c 'import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
n = len(r.findall("testsuite/testcase"))
f = len(r.findall("testsuite/testcase/failure"))
e = len(r.findall("testsuite/testcase/error"))
assert all(int(s.get("tests")) == len(s.findall("testcase")) for s in r.findall("testsuite"))
assert sum(int(s.get("failures")) for s in r.findall("testsuite")) == f
print(n, f, e)' "$1"
}

# --- 1. the known flavours against their expectations ---------------------------
k=$W/known
timeout -s KILL 14400 $M/matrix.sh --out "$k" > "$W/known.log" 2>&1
rc=$?
if [ $rc = 0 ]; then
	t_pass "make matrix on unpatched rfc fixed: every cell matches tests/matrix/expect (exit 0)"
else
	t_fail "make matrix on unpatched rfc fixed matches tests/matrix/expect" \
		"exit $rc: $(grep -E '^(regression|unexpected|could not judge)' "$W/known.log" | head -n 6 | tr '\n' ';')"
fi
if [ -s "$k/matrix.json" ]; then
	got=$(jq "$k/matrix.json" 'cell("unpatched", "size-4k")["status"]' \
		'cell("rfc", "scatter-2m")["status"]' 'cell("rfc", "scatter-2m")["data"]["detail"]' \
		'cell("rfc", "last-block")["status"]' 'cell("rfc", "chunk-in-1m")["status"]' \
		'sorted(set(c["status"] for c in d["cells"] if c["flavour"] == "fixed" and c["scenario"] != "lz4-open"))' \
		'[cell(f, "lz4-open")["status"] for f in ("unpatched", "rfc", "fixed")]' | tr '\n' '|')
	case $got in
	"EINVAL|FAIL|"*EIO*"|OOPS|FAIL|['PASS']|['EINVAL', 'EINVAL', 'EINVAL']|")
		t_pass "the matrix shows the known facts: unpatched O_DIRECT EINVAL; rfc scattered 2 MiB FAIL with EIO, last block OOPS, read inside a chunk FAIL; fixed all PASS; a compressed file EINVAL everywhere" ;;
	*) t_fail "the matrix shows the known facts" "got: $got" ;;
	esac
	# JUnit and TAP of the same run
	j=$(junit_check "$k/matrix-junit.xml")
	n=$(jq "$k/matrix.json" 'len(d["cells"])')
	if [ "$(echo "$j" | tail -n 1)" = "$n 0 0" ] && echo "$j" | grep -q validates; then
		t_pass "JUnit validates against tests/matrix/junit.xsd: $n testcases, 0 failures, 0 errors"
	else
		t_fail "JUnit validates against tests/matrix/junit.xsd" "$j (want $n 0 0)"
	fi
	t=$(tap_check "$k/matrix.tap")
	xf=$(jq "$k/matrix.json" 'sum(1 for c in d["cells"] if c["outcome"] == "expected" and c["status"] in ("FAIL", "OOPS"))')
	if [ "$t" = "1..$n $n 0 0 $(jq "$k/matrix.json" 'd["summary"]["na"]') 0" ] &&
	   [ "$(grep -c '# XFAIL' "$k/matrix.tap")" = "$xf" ]; then
		t_pass "TAP 13 parses with TAP::Parser: plan 1..$n, $n run, 0 failed, $xf XFAIL lines"
	else
		t_fail "TAP 13 parses with TAP::Parser" "got '$t', XFAIL lines $(grep -c '# XFAIL' "$k/matrix.tap") want $xf"
	fi
	grep -q "^matrix: JUnit  $k/matrix-junit.xml" "$W/known.log" &&
		grep -q "^matrix: TAP    $k/matrix.tap" "$W/known.log" &&
		t_pass "make matrix prints where each report went" ||
		t_fail "make matrix prints where each report went" "see $W/known.log"
else
	t_fail "make matrix wrote $k/matrix.json" "see $W/known.log"
fi

# --- 2. injected defects through PATCHES= ---------------------------------------
$M/series/inject.sh "$W/inject" || t_fail "series/inject.sh derives the test series from fixed"
# judged_series NAME PATCHES "IDS" "CELL=STATUS..." : exit 1 and those cells
judged_series() {
	local name=$1 p=$2 ids=$3 want=$4 o=$W/${1%% *} rc kv bad= got	# vm-run: no blank in --out
	timeout -s KILL 10800 $M/matrix.sh --patches "$p" --flavours "" --only "$ids" --out "$o" > "$o.log" 2>&1
	rc=$?
	s=$(sed -n 's/^matrix: .* -> flavour \(series-[0-9a-f]*\)$/\1/p' "$o.log")
	for kv in $want; do
		got=$(jq "$o/matrix.json" "cell('$s', '${kv%%=*}')['status']" 2>/dev/null)
		case " $(echo "${kv#*=}" | tr '|' ' ') " in *" $got "*) ;; *) bad="$bad ${kv%%=*}=$got(want ${kv#*=})" ;; esac
	done
	if [ $rc = 1 ] && [ -z "$bad" ] && grep -q "^regression $s/" "$o/matrix.txt"; then
		t_pass "PATCHES=$name: exit 1, $want, named as regressions"
	else
		t_fail "PATCHES=$name: exit 1 with the defect's cells FAIL/OOPS" "exit $rc,$bad; see $o.log"
	fi
	t=$(tap_check "$o/matrix.tap")
	j=$(junit_check "$o/matrix-junit.xml" | tail -n 1)
	f=$(jq "$o/matrix.json" 'd["summary"]["regressions"] + d["summary"]["unexpected"]')
	if [ "$(echo "$t" | cut -d' ' -f3)" = "$f" ] && [ "$(echo "$j" | cut -d' ' -f2)" = "$f" ]; then
		t_pass "PATCHES=$name: TAP::Parser and the JUnit parser count the same $f failing cells"
	else
		t_fail "PATCHES=$name: TAP and JUnit count the failing cells" "TAP '$t', JUnit '$j', JSON $f"
	fi
}
# a flat inode is mapped from the read's own position (m_la == pos): only a
# chunk-based file shows the dropped offset, the plain one is the control
judged_series "no-m-la (pos - m_la dropped; a directory)" "$W/inject/no-m-la" \
	"size-4k in-extent-1m chunk-in-1m" "size-4k=PASS in-extent-1m=PASS chunk-in-1m=FAIL"
judged_series "no-eof-clamp (EOF clamp skipped; an mbox)" "$W/inject/no-eof-clamp.mbox" \
	"size-4k last-block cross-eof" "size-4k=PASS last-block=FAIL|OOPS cross-eof=FAIL|OOPS"

# --- 3. series that cannot be judged ----------------------------------------------
could_not_judge() {
	local name=$1 p=$2 pat=$3 o=$W/$1 rc
	timeout -s KILL 10800 $M/matrix.sh --patches "$p" --flavours "" --only size-4k --out "$o" > "$o.log" 2>&1
	rc=$?
	line=$(grep '^matrix: could not judge' "$o.log")
	if [ $rc = 2 ] && [ "$(echo "$line" | wc -l)" = 1 ] && echo "$line" | grep -qE "$pat"; then
		t_pass "PATCHES=$name: exit 2, one line: ${line#matrix: }"
	else
		t_fail "PATCHES=$name: exit 2 with a one-line reason" "exit $rc: '$line' (want /$pat/)"
	fi
}
could_not_judge bad-apply $M/series/bad-apply \
	'0001-erofs-test-series-written-against-another-tree.patch does not apply.*fs/erofs/data.c: Hunk #2 FAILED'
could_not_judge bad-compile $M/series/bad-compile \
	'does not compile: .*fs/erofs/data.c:[0-9]+:[0-9]+: error: .*erofs_matrix_undeclared'

# --- 4. dt-matrix on synthetic cells: judging and checked writes ------------------
S=$W/synthetic
rm -rf "$S"
mkdir -p "$S/exp"
printf 'a|ramfs:plain|read|--len 4k|PASS|cache|a\nb|ramfs:plain|read|--len 4k|PASS|cache|b\n' > "$S/scn"
# cell DIR TRACER DATA [PINS]: a finished cell
cell() {
	mkdir -p "$1"
	printf 'open=ok\ndata=%s\ndetail=wrong byte at file offset 4096\n' "$3" > "$1/data.txt"
	printf '{"verdict": "%s", "reasons": ["read #1: backing reads land where the extent says"]}\n' "$2" > "$1/trace.json"
	echo "${4:-8 8}" > "$1/pins"
	for f in audit0 audit1; do
		echo '{"mounts": [{"total": {"erofs_cached": 0, "backing_total_cached": 0}}]}' > "$1/$f.json"
	done
	: > "$1/console.txt"
	: > "$1/done"
}
cell "$S/x/cells/a" PASS PASS
cell "$S/x/cells/b" FAIL FAIL
printf 'a PASS\nb FAIL\n' > "$S/exp/x"
syn() { build/dt-matrix --scenarios "$S/scn" --expect-dir "$S/exp" --color never "$@" > "$S/out" 2>&1; }
syn x="$S/x"
r1=$?
printf 'a PASS\nb PASS\n' > "$S/exp/x"
syn x="$S/x"
r2=$?
grep -q '^regression x/b: FAIL, expected PASS' "$S/out" && grep -q 'data: wrong byte' "$S/out" && r2n=1 || r2n=0
printf 'a FAIL\nb FAIL\n' > "$S/exp/x"
syn x="$S/x"
r3=$?
grep -q '^unexpected pass x/a' "$S/out" && r3n=1 || r3n=0
printf 'a PASS\nb FAIL\n' > "$S/exp/x"
cell "$S/x/cells/a" INCONCLUSIVE PASS
syn x="$S/x"
r4=$?
cell "$S/x/cells/a" PASS PASS "8 0"
syn x="$S/x"
r5=$?
grep -q 'pins: 8 user pages pinned, 0 released' "$S/out" && r5n=1 || r5n=0
if [ "$r1 $r2 $r2n $r3 $r3n $r4 $r5 $r5n" = "0 1 1 1 1 2 1 1" ]; then
	t_pass "dt-matrix: expected FAIL 0, regression 1 (named), unexpected pass 1, tracer INCONCLUSIVE 2, unbalanced pins FAIL"
else
	t_fail "dt-matrix judges synthetic cells" "exits/named: $r1 $r2 $r2n $r3 $r3n $r4 $r5 $r5n (want 0 1 1 1 1 2 1 1)"
fi
cell "$S/x/cells/a" PASS PASS
printf 'a PASS\nb FAIL\n' > "$S/exp/x"
syn x="$S/x" --json /nonexistent-dir/m.json
r1=$?
(trap '' XFSZ; ulimit -f 1; build/dt-matrix --scenarios "$S/scn" --expect-dir "$S/exp" \
	--junit "$S/big.xml" --json "$S/big.json" x="$S/x" > /dev/null 2> "$S/err")
r2=$?
printf 'a PASS\n' > "$S/exp/x"
syn x="$S/x"
r3=$?
if [ "$r1 $r2 $r3" = "2 2 2" ] && [ ! -e "$S/big.json" ] && [ ! -e "$S/big.json.tmp" ] &&
   grep -q 'writing .*big.json failed' "$S/err" && grep -q "no expectation for scenario b" "$S/out"; then
	t_pass "dt-matrix: unwritable or full report file exits 2 and leaves no partial file; an expectations file missing a scenario exits 2"
else
	t_fail "dt-matrix: failed writes and incomplete expectations exit 2" "$r1 $r2 $r3: $(cat "$S/err" "$S/out" | head -n 3 | tr '\n' ' ')"
fi

echo "matrix suite: $(( $(date +%s) - t0 ))s in all (known flavours: $(grep -o 'time .*' "$W/known.log" | head -n 1))"
t_done
