# SPDX-License-Identifier: GPL-2.0-only
# The bench-engine table from build/bench/engine/results.txt, one line per
# (F, N):
#   F N replay ST EVENTS WALL CPU RSS_KB drive ST EVENTS WALL CPU RSS_KB cg ST IR IR_ENGINE
# -v gen_ev=, gen_cpu=: the generator alone.

function lbl(n,    e) {
	for (e = 0; n >= 10 && n % 10 == 0; e++)
		n /= 10
	return n == 1 && e > 1 ? "10^" e : (n * 10 ^ e) ""
}
function short(st) { sub(/:.*/, "", st); return st }
function long(st) { sub(/:/, " ", st); gsub(/_/, " ", st); return st }
function num(x) { return x != "" && x != "-" }
function mev(ev, s) { return s > 0 ? sprintf("%.3f", ev / s / 1e6) : "-" }
function mib(kb) { return num(kb) ? sprintf("%.0f", kb / 1024) : "-" }
function ratio(a, b) { return b > 0 ? sprintf("%.2fx", a / b) : "-" }

{
	k = $1 SUBSEP $2
	if (!($1 in fseen)) { fseen[$1] = 1; fl[++nf] = $1 }
	if (!($2 in nseen)) { nseen[$2] = 1; nl[++nn] = $2 }
	rst[k] = $4; rev[k] = $5; rwall[k] = $6; rcpu[k] = $7; rrss[k] = $8
	dst[k] = $10; dev_[k] = $11; dcpu[k] = $13; drss[k] = $14
	cst[k] = $16; cir[k] = $17; cen[k] = $18
}

END {
	print ""
	print "Engine benchmark: synthetic text streams (tests/bench/gen.h), replay = `erofs-diotrace replay -`"
	print "(text parser + engine), engine = bench-drive (dt_engine_feed/finish only, no parser)."
	printf "%-7s %-6s %10s | %7s %7s %9s %8s %7s %7s | %9s %8s | %7s\n", "files", "reads", "events",
		"wall s", "Mev/s", "Mev/s/cpu", "RSS MiB", "Ir/ev", "eng Ir", "Mev/s/cpu", "RSS MiB", "parser"
	printf "%-7s %-6s %10s | %-58s | %-18s | %7s\n", "", "", "", "replay (wall; per CPU second; peak RSS; callgrind)",
		"engine alone", "share"
	for (i = 1; i <= nf; i++) for (j = 1; j <= nn; j++) {
		k = fl[i] SUBSEP nl[j]
		if (!(k in rst))
			continue
		ev = num(rev[k]) ? rev[k] : dev_[k]
		line = sprintf("%-7s %-6s %10s | ", lbl(fl[i]), lbl(nl[j]), num(ev) ? ev : "-")
		if (rst[k] == "ok") {
			ir = cst[k] == "ok" ? sprintf("%.0f", cir[k] / rev[k]) : cst[k] == "-" ? "-" : cst[k]
			eir = cst[k] == "ok" ? sprintf("%.0f", cen[k] / rev[k]) : "-"
			line = line sprintf("%7.2f %7s %9s %8s %7s %7s | ", rwall[k], mev(rev[k], rwall[k]),
				mev(rev[k], rcpu[k]), mib(rrss[k]), ir, eir)
		} else
			line = line sprintf("%-58s | ", short(rst[k]))
		if (dst[k] == "ok")
			line = line sprintf("%9s %8s | ", mev(dev_[k], dcpu[k]), mib(drss[k]))
		else
			line = line sprintf("%-18s | ", short(dst[k]))
		share = "-"
		if (rst[k] == "ok" && dst[k] == "ok" && rcpu[k] > 0)
			share = sprintf("%.0f%%", 100 * (1 - (dcpu[k] / dev_[k]) / (rcpu[k] / rev[k])))
		print line sprintf("%7s", share)
	}
	if (gen_ev > 0 && gen_cpu > 0)
		printf "generator alone: %.1f Mev/s per CPU (the ceiling of the pipe into replay)\n",
			gen_ev / gen_cpu / 1e6

	print ""
	print "Ratios (growth with reads; file count; want 1.00x for flat, N-ratio for linear):"
	for (i = 1; i <= nf; i++) {
		lo = hi = ""
		dlo = dhi = ""
		for (j = 1; j <= nn; j++) {
			k = fl[i] SUBSEP nl[j]
			if (rst[k] == "ok") { if (lo == "") lo = nl[j]; hi = nl[j] }
			if (dst[k] == "ok") { if (dlo == "") dlo = nl[j]; dhi = nl[j] }
		}
		if (lo != "" && hi != lo) {
			a = fl[i] SUBSEP hi; b = fl[i] SUBSEP lo
			printf "  F=%s replay: peak RSS %s vs %s reads: %s (%s -> %s MiB, %.0f B per extra read);" \
				" CPU time per event: %s\n", lbl(fl[i]), lbl(hi), lbl(lo), ratio(rrss[a], rrss[b]),
				mib(rrss[b]), mib(rrss[a]), (rrss[a] - rrss[b]) * 1024 / (hi - lo),
				ratio(rcpu[a] / rev[a], rcpu[b] / rev[b])
		}
		if (dlo != "" && dhi != dlo) {
			a = fl[i] SUBSEP dhi; b = fl[i] SUBSEP dlo
			printf "  F=%s engine: peak RSS %s vs %s reads: %s (%s -> %s MiB, %.0f B per extra read);" \
				" CPU time per event: %s\n", lbl(fl[i]), lbl(dhi), lbl(dlo), ratio(drss[a], drss[b]),
				mib(drss[b]), mib(drss[a]), (drss[a] - drss[b]) * 1024 / (dhi - dlo),
				ratio(dcpu[a] / dev_[a], dcpu[b] / dev_[b])
		}
		for (j = 1; j <= nn; j++) {
			k = fl[i] SUBSEP nl[j]
			if (rst[k] != "ok" && rst[k] !~ /^skipped/)
				printf "  F=%s N=%s replay: %s (limits: %s); larger N skipped\n", lbl(fl[i]), lbl(nl[j]),
					long(rst[k]), limits
			if (dst[k] != "ok" && dst[k] !~ /^skipped/)
				printf "  F=%s N=%s engine: %s (limits: %s); larger N skipped\n", lbl(fl[i]), lbl(nl[j]),
					long(dst[k]), limits
		}
	}
	if (nf >= 2) {
		f0 = fl[1]; f1 = fl[nf]
		for (j = 1; j <= nn; j++) {
			a = f1 SUBSEP nl[j]; b = f0 SUBSEP nl[j]
			s = ""
			if (rst[a] == "ok" && rst[b] == "ok")
				s = s sprintf(" replay %s", ratio(rcpu[a] / rev[a], rcpu[b] / rev[b]))
			if (dst[a] == "ok" && dst[b] == "ok")
				s = s sprintf(" engine %s", ratio(dcpu[a] / dev_[a], dcpu[b] / dev_[b]))
			if (s != "")
				printf "  N=%s: CPU time per event, F=%s vs F=%s:%s\n", lbl(nl[j]), lbl(f1), lbl(f0), s
		}
	}
	print "Goals (issue 7): text replay >= 2 Mev/s per CPU, <= 400 Ir/event, RSS <= 64 MiB and flat"
	print "from 10^4 to 10^7 reads, time per event flat in the number of files."
}
