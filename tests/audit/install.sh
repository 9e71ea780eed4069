#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make install into a scratch DESTDIR: every file where a Debian tool has it,
# each man page renders with man -l and no groff warning and has the
# sections operators look for, the installed tool runs, the completion
# completes, the systemd units verify; make uninstall leaves nothing.
SUITE=install
. "$(dirname "$0")/../lib.sh"

D=$DT_ROOT/build/install-test
trap 'rm -rf "$D"' EXIT
rm -rf "$D"

check() {
	if [ "$2" = "$3" ]; then t_pass "$1"; else t_fail "$1" "got '$2', want '$3'"; fi
}

make -s -C "$DT_ROOT" install DESTDIR="$D" PREFIX=/usr > "$D.log" 2>&1 ||
	{ t_fail "make install DESTDIR PREFIX=/usr" "$(tail -3 "$D.log")"; t_done; }
t_pass "make install DESTDIR PREFIX=/usr"
rm -f "$D.log"

modes=""
for f in usr/sbin/erofs-diotrace usr/share/man/man8/erofs-diotrace.8 \
	 usr/share/man/man8/erofs-diotrace-run.8 usr/share/man/man8/erofs-diotrace-replay.8 \
	 usr/share/man/man8/erofs-diotrace-audit.8 usr/share/bash-completion/completions/erofs-diotrace \
	 usr/share/doc/erofs-diotrace/examples/erofs-diotrace-metrics.service \
	 usr/share/doc/erofs-diotrace/examples/erofs-diotrace-metrics.timer; do
	modes="$modes $(stat -c %a "$D/$f" 2>/dev/null || echo missing:$f)"
done
check "binary, 4 man pages, completion, 2 unit examples installed with their modes" \
	"$modes" " 755 644 644 644 644 644 644 644"

"$D/usr/sbin/erofs-diotrace" --version > "$D/v" 2>&1
check "installed binary runs: --version" "$?/$(cut -d' ' -f1 "$D/v")" "0/erofs-diotrace"

command -v man > /dev/null || { t_fail "man pages" "man (man-db) missing: run scripts/install-deps.sh"; t_done; }
for p in "$D"/usr/share/man/man8/*.8; do
	n=$(basename "$p")
	MANWIDTH=80 man -l --warnings=w "$p" > "$D/page" 2> "$D/warn"
	rc=$?
	miss=""
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES FILES "SEE ALSO"; do
		grep -q "^$s\$" "$D/page" || miss="$miss $s"
	done
	check "man -l $n: renders, no warning, every section" "$rc/$(head -c 200 "$D/warn")/$miss" "0//"
done
# each command's options are all in its page
for c in run replay audit; do
	miss=""
	for o in $("$D/usr/sbin/erofs-diotrace" $c --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		MANWIDTH=200 man -l "$D/usr/share/man/man8/erofs-diotrace-$c.8" 2>/dev/null | grep -q -- "$o" || miss="$miss $o"
	done
	check "every long option of '$c --help' is in erofs-diotrace-$c(8)" "$miss" ""
	"$D/usr/sbin/erofs-diotrace" $c --help | grep -q '^EXAMPLES:' &&
		t_pass "$c --help has EXAMPLES" || t_fail "$c --help has EXAMPLES"
done

# complete "erofs-diotrace audit --format o" and "erofs-diotrace re"
comp() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _erofs_diotrace; echo "${COMPREPLY[*]}"' \
		_ "$D/usr/share/bash-completion/completions/erofs-diotrace" "$@" 2>&1
}
check "completion: audit --format o -> openmetrics" "$(comp erofs-diotrace audit --format o)" openmetrics
check "completion: re -> replay" "$(comp erofs-diotrace re)" replay
check "completion: audit --so -> --sort" "$(comp erofs-diotrace audit --so)" --sort

u=$D/usr/share/doc/erofs-diotrace/examples/erofs-diotrace-metrics.service
check "service unit runs the installed binary" \
	"$(grep -c '^ExecStart=/usr/sbin/erofs-diotrace audit --format openmetrics' "$u")" 1
if command -v systemd-analyze > /dev/null; then
	mkdir -p "$D/units"
	sed "s|/usr/sbin/erofs-diotrace|$D/usr/sbin/erofs-diotrace|" "$u" > "$D/units/erofs-diotrace-metrics.service"
	cp "${u%.service}.timer" "$D/units/"
	SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$D/units/erofs-diotrace-metrics.service" \
		"$D/units/erofs-diotrace-metrics.timer" > "$D/sa" 2>&1
	check "systemd-analyze verify accepts the service and the timer" "$?/$(grep -v 'Failed to connect\|not being run' "$D/sa" | head -c 300)" "0/"
else
	t_skip "systemd-analyze verify" "systemd-analyze missing"
fi

make -s -C "$DT_ROOT" uninstall DESTDIR="$D" PREFIX=/usr > /dev/null 2>&1
check "make uninstall removes every installed file" "$(find "$D/usr" -type f | wc -l)" 0
t_done
