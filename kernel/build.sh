#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build (or find in the cache) one guest kernel flavour.
#
#   kernel/build.sh [--debug] [--quiet] [--cached-only] FLAVOUR
#   kernel/build.sh [--debug] --config-only [--config-dir DIR] FLAVOUR
#   kernel/build.sh [--debug] [--quiet] --patches DIR NAME
#
# FLAVOUR is `unpatched`, the name of a directory under kernel/patches/, or
# the NAME of an external series registered earlier with --patches.
# --patches DIR NAME: build DIR/*.patch (git format-patch files, applied in
# name order) as flavour NAME; the patches are registered in
# $DIOTRACE_CACHE/series/NAME/ so that `kernel/build.sh NAME` (and
# tests/vm/vm-run --flavour NAME) find them later.  A series that does not
# apply exits 3, one that does not compile exits 4; the last line on stderr
# is then the one-line reason (the patch and hunk, or the first compiler
# error).
# The result lives in $DIOTRACE_CACHE/kernels/<hash>/ (bzImage, vmlinux,
# config, info), where <hash> covers the pinned source version, the patches,
# the config fragments and this script's RECIPE number.  The last line
# printed on stdout is that directory.
#
# Layout under $DIOTRACE_CACHE (default /var/cache/erofs-diotrace):
#   src/linux-source-6.12/   pristine tree, unpacked once from the .deb tarball
#   trees/<flavour>/         hard-link copy of it + the flavour's patches
#   obj/<flavour>[-debug]/   O= object tree, kept: a patch change rebuilds
#                            only what it touches (fs/erofs: ~30 s)
#   kernels/<hash>/          finished builds
#   kernels/by-flavour/      symlinks to the newest build of each variant
#
# Trees share inodes with the pristine tree: never edit files there in place
# (that would change every flavour); change kernel/patches/ instead, which
# rebuilds incrementally.  --cached-only: print the directory if this
# exact build is cached, fail otherwise (never builds).  --config-only: run
# the config step and its check only (fragments from --config-dir DIR,
# default kernel/config), no build.
set -eu -o pipefail

die() { echo "kernel/build.sh: $*" >&2; exit 1; }
say() { [ "$quiet" = 1 ] || echo "kernel/build.sh: $*" >&2; }

debug=0
quiet=0
cached_only=0
config_only=0
cdir=
series_dir=
while [ $# -gt 0 ]; do
	case $1 in
	--debug) debug=1 ;;
	--quiet) quiet=1 ;;
	--cached-only) cached_only=1 ;;
	--config-only) config_only=1 ;;
	--config-dir) cdir=${2:?--config-dir needs a directory}; shift ;;
	--patches) series_dir=${2:?--patches needs a directory of *.patch files}; shift ;;
	-h|--help) awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "$0"; exit 0 ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
	shift
done
[ $# -eq 1 ] || die "usage: kernel/build.sh [--debug] [--quiet] [--cached-only|--config-only [--config-dir DIR]] FLAVOUR"
flavour=$1

kdir=$(cd "$(dirname "$0")" && pwd)
cache=${DIOTRACE_CACHE:-/var/cache/erofs-diotrace}
# shellcheck source=VERSION
. "$kdir/VERSION"

# --- an external series: registered under $cache/series/NAME ----------------
sdir=$cache/series/$flavour
if [ -n "$series_dir" ]; then
	case $flavour in
	unpatched|*[!a-z0-9._-]*|[!a-z0-9]*) die "series name '$flavour' must be [a-z0-9][a-z0-9._-]* and not unpatched" ;;
	esac
	[ ! -d "$kdir/patches/$flavour" ] || die "series name '$flavour' is a flavour under kernel/patches; pick another"
	[ -d "$series_dir" ] || die "--patches $series_dir: not a directory"
	ls "$series_dir"/*.patch >/dev/null 2>&1 || die "--patches $series_dir: no *.patch files in it"
	mkdir -p "$cache/series"
	rm -rf "$sdir.new"
	mkdir -p "$sdir.new"
	cp "$series_dir"/*.patch "$sdir.new/" || die "cannot copy $series_dir/*.patch to $sdir.new"
	if ! diff -r -q "$sdir.new" "$sdir" >/dev/null 2>&1; then
		rm -rf "$sdir"
		mv "$sdir.new" "$sdir"
	fi
	rm -rf "$sdir.new"
fi

patches=()
if [ "$flavour" != unpatched ]; then
	pdir=$kdir/patches/$flavour
	[ -d "$pdir" ] || pdir=$sdir
	[ -d "$pdir" ] ||
		die "unknown flavour '$flavour': use unpatched, one of: $(ls "$kdir/patches" | tr '\n' ' ')or a series registered with --patches DIR NAME"
	for p in "$pdir"/*.patch; do
		[ -e "$p" ] && patches+=("$p")
	done
	[ ${#patches[@]} -gt 0 ] || die "no *.patch in $pdir"
fi
cdir=${cdir:-$kdir/config}
[ -f "$cdir/base.config" ] || die "no base.config in $cdir"
frags=("$cdir/base.config")
[ "$debug" = 1 ] && frags+=("$cdir/debug.config")
variant=$flavour
[ "$debug" = 1 ] && variant=$flavour-debug

# --- pinned source ---------------------------------------------------------
have=$(dpkg-query -W -f='${Version}' "$PKG" 2>/dev/null || true)
[ "$have" = "$DEBVER" ] ||
	die "$PKG $DEBVER is required (installed: ${have:-none}); run: apt-get install $PKG=$DEBVER"
[ -r "$TARBALL" ] || die "$TARBALL missing; reinstall: apt-get install --reinstall $PKG=$DEBVER"

# --- content hash ----------------------------------------------------------
# Bump RECIPE when a change here alters what gets built (not for comments).
RECIPE=1
hash=$( {
	echo "$PKG $DEBVER $KVER $variant recipe $RECIPE"
	cat "$kdir/VERSION"
	for f in "${frags[@]}" "${patches[@]}"; do
		echo "== ${f#"$kdir"/}"
		cat "$f"
	done
} | sha256sum | cut -c1-16)
out=$cache/kernels/$hash

finish() {
	# shellcheck disable=SC1091
	. "$out/info"
	say "flavour=$FLAVOUR debug=$DEBUG version=$KVER ($PKG $DEBVER) hash=$HASH build_seconds=$BUILD_SECONDS (${BUILD_KIND:-cold})${1:+ ($1)}"
	ln -sfn "../$hash" "$cache/kernels/by-flavour/$variant" 2>/dev/null || true
	echo "$out"
	exit 0
}
# configure TREE CFGDIR: tinyconfig + fragments + olddefconfig in CFGDIR,
# then fail unless every fragment line landed in CFGDIR/.config
configure() {
	local tree=$1 cfg=$2 missing
	mkdir -p "$cfg"
	make -s -C "$tree" O="$cfg" tinyconfig >/dev/null
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$cfg" "$cfg/.config" "${frags[@]}" >/dev/null
	make -s -C "$tree" O="$cfg" olddefconfig >/dev/null
	missing=$(cat "${frags[@]}" | grep -E '^(CONFIG_|# CONFIG_.* is not set)' | while read -r line; do
		case $line in
		"# CONFIG_"*)
			sym=${line#"# "}; sym=${sym%% *}
			grep -q "^$sym=" "$cfg/.config" && echo "  want: $line   got: $(grep "^$sym=" "$cfg/.config")"
			;;
		*)
			grep -qxF "$line" "$cfg/.config" ||
				echo "  want: $line   got: $(grep -E "^(# )?${line%%=*}[= ]" "$cfg/.config" || echo absent)"
			;;
		esac
	done)
	[ -z "$missing" ] || die "config fragment lines did not land (missing dependency?):
$missing"
}

mkdir -p "$cache/kernels/by-flavour" "$cache/locks"
if [ "$config_only" = 1 ]; then
	# Kconfig is not patched by any flavour: the pristine tree answers
	[ -f "$cache/src/$PKG/.diotrace-unpacked" ] ||
		die "source not unpacked yet; run: make kernel FLAVOUR=unpatched"
	tmpcfg=$(mktemp -d "$cache/obj/.cfgcheck.XXXXXX")
	trap 'rm -rf "$tmpcfg"' EXIT
	configure "$cache/src/$PKG" "$tmpcfg"
	say "config ok: every line of ${frags[*]##*/} landed for $variant"
	exit 0
fi
[ -f "$out/info" ] && finish cached
[ "$cached_only" = 1 ] && die "$variant is not built (hash $hash); run: make kernel FLAVOUR=$flavour$([ "$debug" = 1 ] && echo " DEBUG=1")"

# A patched flavour with no object tree of its own is derived from the base
# (unpatched, same variant; see derive_from_base below).  On a cold cache,
# build the base first: every variant then costs one full build (its
# unpatched kernel, which the tests boot too) and the flavours only what
# their patches touch.  Before the build lock, which the base build takes.
base_variant=unpatched${variant#"$flavour"}
if [ ${#patches[@]} -gt 0 ] && [ ! -f "$cache/obj/$variant/vmlinux" ] &&
   [ ! -f "$cache/obj/$base_variant/vmlinux" ]; then
	say "no base object tree yet: building $base_variant first, then deriving $variant from it"
	"$0" $([ "$debug" = 1 ] && echo --debug) $([ "$quiet" = 1 ] && echo --quiet) unpatched >&2 ||
		die "the base build ($base_variant) failed; $variant was not built"
fi

# One build at a time on this machine: they share 2 cores and the trees.
exec 9>"$cache/locks/build.lock"
if ! flock -n 9; then
	say "another kernel build is running; waiting for $cache/locks/build.lock"
	flock 9
fi
[ -f "$out/info" ] && finish "cached, built meanwhile"

t0=$(date +%s)

# --- pristine source, unpacked once ----------------------------------------
src=$cache/src/$PKG
stamp="$PKG $DEBVER"
if [ "$(cat "$src/.diotrace-unpacked" 2>/dev/null)" != "$stamp" ]; then
	if [ -f "$src/Makefile" ] && grep -q "^SUBLEVEL = ${KVER##*.}\$" "$src/Makefile" &&
	   [ -d "$src/fs/erofs" ] && [ ! -e "$src/.config" ]; then
		say "adopting existing unpacked tree $src"
	else
		say "unpacking $TARBALL into $cache/src (1-2 min)"
		rm -rf "$src" "$cache/src/.unpack"
		mkdir -p "$cache/src/.unpack"
		tar -xJf "$TARBALL" -C "$cache/src/.unpack"
		mv "$cache/src/.unpack/$PKG" "$src"
		rmdir "$cache/src/.unpack"
	fi
	echo "$stamp" > "$src/.diotrace-unpacked"
fi

# --- flavour tree: hard-link copy of the pristine one + patches -------------
# Files a patch touches (or touched in the previous patch set) get a fresh
# inode and mtime, so the pristine tree is never written and the object tree
# rebuilds exactly those files.
patched_files() {
	local p
	for p in "$@"; do
		sed -n 's,^+++ b/,,p' "$p"
	done | sort -u
}
# apply_one PATCH: apply it to $tree, or exit 3 with one line naming the
# patch, the file and the first hunk that failed
apply_one() {
	local p=$1 msg why
	msg=$(patch -d "$tree" -p1 --no-backup-if-mismatch -F0 -f -r - < "$p" 2>&1) && return 0
	why=$(printf '%s\n' "$msg" | awk '
		/^(patching|checking) file / { f = $3 }
		/^Hunk #[0-9]+ FAILED/ { sub(/\.$/, ""); print f ": " $0; exit }
		/can.t find file to patch/ { print "a file it patches does not exist"; exit }
		/^patch: \*\*\*\* / { sub(/^patch: \*\*\*\* /, ""); print; exit }')
	[ -n "$why" ] || why=$(printf '%s\n' "$msg" | grep -v '^patching file' | head -n 1)
	echo "$msg" | sed 's/^/  patch: /' >&2
	echo "kernel/build.sh: $(basename "$p") does not apply to $PKG $DEBVER: ${why:-patch exited non-zero}" >&2
	exit 3
}
tree=$src
if [ ${#patches[@]} -gt 0 ]; then
	tree=$cache/trees/$flavour
	pset=$(cat "${patches[@]}" | sha256sum | cut -c1-16)
	if [ "$(cat "$tree/.diotrace-patchset" 2>/dev/null)" != "$pset" ]; then
		say "preparing $tree (hard-link copy + ${#patches[@]} patch(es))"
		old=$(cat "$tree/.diotrace-files" 2>/dev/null || true)
		rm -rf "$tree"
		mkdir -p "$cache/trees"
		cp -al "$src" "$tree"
		rm -f "$tree/.diotrace-unpacked"
		new=$(patched_files "${patches[@]}")
		for f in $(printf '%s\n%s\n' "$old" "$new" | sort -u); do
			[ -e "$tree/$f" ] || continue
			cp "$tree/$f" "$tree/$f.diotrace-tmp"
			mv "$tree/$f.diotrace-tmp" "$tree/$f"
		done
		for p in "${patches[@]}"; do
			apply_one "$p"
		done
		# cumulative: a file touched by any earlier patch set must keep
		# getting a fresh inode, or its stale object could be reused
		printf '%s\n%s\n' "$old" "$new" | sed '/^$/d' | sort -u > "$tree/.diotrace-files"
		echo "$pset" > "$tree/.diotrace-patchset"
	fi
fi

# --- config: tinyconfig + fragments + olddefconfig, then verify ------------
obj=$cache/obj/$variant
cfg=$cache/obj/$variant.cfg
mkdir -p "$obj" "$cfg"
say "configuring $variant (tinyconfig + ${frags[*]##*/})"
configure "$tree" "$cfg"
# replace the object tree's .config only when it changed: keeps make incremental
cmp -s "$cfg/.config" "$obj/.config" || cp "$cfg/.config" "$obj/.config"

# --- derive a flavour from the base build --------------------------------------
# Flavours differ from unpatched only in the files their patches touch.  A
# flavour without an object tree of its own starts from a copy of the base
# one (same variant, same .config): the absolute source paths kbuild recorded
# in its .cmd files are rewritten to this flavour's tree, so make sees the
# same commands and rebuilds only what the patched files (fresh mtimes)
# reach.
derive_from_base() {
	local base=$cache/obj/$base_variant n
	[ "$tree" != "$src" ] && [ ! -f "$obj/vmlinux" ] && [ -f "$base/vmlinux" ] || return 1
	cmp -s "$base/.config" "$obj/.config" || return 1
	say "deriving $variant from $(basename "$base") (copy of its object tree; rebuilds what the patches touch)"
	rm -rf "$obj.derive"
	cp -a "$base" "$obj.derive" || return 1
	find "$obj.derive" -name '*.cmd' -type f -print0 |
		xargs -0 -r sed -i "s|$src|$tree|g" || return 1
	rm -f "$obj.derive/source" "$obj.derive/Makefile"	# kbuild writes both anew
	n=$(grep -rlF "$src" "$obj.derive" --include='*.cmd' | wc -l)
	[ "$n" -eq 0 ] || { say "derive: $n .cmd files still name $src; building cold"; rm -rf "$obj.derive"; return 1; }
	rm -rf "$obj"
	mv "$obj.derive" "$obj"
	# The copied objects are newer than the patched files whenever the tree
	# was prepared before the base was built (a cold cache builds in that
	# order): then make would keep the base's objects and the flavour would
	# silently be `unpatched`.  The patched files are this tree's own copies
	# (fresh inodes): date them now, so make rebuilds all they reach.
	while read -r f; do
		[ -f "$tree/$f" ] && touch "$tree/$f"
	done < "$tree/.diotrace-files"
}

# --- build -------------------------------------------------------------------
jobs=${DIOTRACE_JOBS:-$(nproc)}
kind=incremental
if [ ! -f "$obj/vmlinux" ]; then
	kind=cold
	derive_from_base && kind=derived
fi
log=$cache/obj/$variant.log
say "building $variant in $obj with -j$jobs ($kind; on 2 cores a full build took 14 min, a derived one 2; log: $log)"
if ! make -C "$tree" O="$obj" -j"$jobs" bzImage > "$log" 2>&1; then
	tail -n 40 "$log" >&2
	first=$(grep -m 1 -E ': (fatal )?error: ' "$log" || grep -m 1 -E 'Error [0-9]+' "$log" || true)
	first=${first#"$tree"/}
	echo "kernel/build.sh: $variant does not compile: ${first:-see $log} (full log: $log)" >&2
	exit 4
fi
secs=$(( $(date +%s) - t0 ))

tmp=$cache/kernels/.$hash.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
cp "$obj/arch/x86/boot/bzImage" "$obj/vmlinux" "$obj/System.map" "$tmp/"
cp "$obj/.config" "$tmp/config"
for p in "${patches[@]}"; do cp "$p" "$tmp/"; done
cat > "$tmp/info" <<EOF
FLAVOUR=$flavour
DEBUG=$debug
HASH=$hash
KVER=$KVER
PKG=$PKG
DEBVER='$DEBVER'
BUILD_SECONDS=$secs
BUILD_KIND=$kind
BUILT_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
EOF
rm -rf "$out"
mv "$tmp" "$out"
finish "built now"
