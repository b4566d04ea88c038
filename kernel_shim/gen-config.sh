#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# gen-config.sh TREE OUTDIR [EXTRA] - make the kernel configuration for the shim.
#
# EXTRA: a further Kconfig fragment merged after config/smmusim.config (a
# test build's own options, e.g. kernel_shim/selftest/selftest.config);
# its symbols are checked like the main fragment's.
#
# Uses only the kernel's own kconfig tooling, out of tree (O=OUTDIR), so the
# source tree is never written to:
#
#   1. make ARCH=x86_64 O=OUTDIR allnoconfig
#   2. scripts/kconfig/merge_config.sh -n with config/smmusim.config
#      (allnoconfig + our fragment); any symbol of the fragment that does
#      not end up with the requested value is an error
#   3. make syncconfig -> include/generated/autoconf.h,
#      include/config/auto.conf
#   4. make prepare, minus objtool and the host "scripts" (which need
#      libelf and more of the tree): the kernel's own rules generate
#      include/generated/{bounds,timeconst,asm-offsets,rq-offsets}.h,
#      arch/x86/include/generated/asm/* (asm-generic wrappers, syscall
#      tables, cpufeaturemasks.h) and the generated uapi headers
#   5. config/overlay.h is appended to OUTDIR/include/generated/autoconf.h:
#      the arm64-only symbols Kconfig cannot set on x86_64 (see that file).
#      It is appended last because kbuild rewrites autoconf.h whenever it
#      re-runs syncconfig; after any other kbuild run in OUTDIR, run this
#      script again (the overlay defines SMMUSIM_CONFIG_OVERLAY, so the
#      shim build can check that it is there).
#
# Needs make, a host C compiler (gcc), flex, bison, bc, awk; no network.
# OUTDIR is created if needed and becomes the kernel build dir.  Re-running
# is cheap and gives the same result.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
FRAGMENT="$here/config/smmusim.config"
OVERLAY="$here/config/overlay.h"
MARKER='/* smmusim overlay (kernel_shim/config/overlay.h) follows */'

die() { printf 'gen-config: error: %s\n' "$*" >&2; exit 1; }

(($# == 2 || $# == 3)) || die "usage: $0 TREE OUTDIR [EXTRA-FRAGMENT]"
[[ $# == 2 || -f $3 ]] || die "$3: no such Kconfig fragment"
[[ -f $1/Makefile && -f $1/scripts/kconfig/merge_config.sh ]] ||
	die "$1 is not a kernel source tree"
tree=$(cd "$1" && pwd -P)
mkdir -p "$2"
out=$(cd "$2" && pwd -P)
case "$out/" in
"$tree"/*) die "OUTDIR must be outside the source tree ($tree)" ;;
esac
if (($# == 3)); then
	cat "$FRAGMENT" "$3" >"$out/.smmusim-fragment"
	FRAGMENT="$out/.smmusim-fragment"
fi

# The kernel is configured (and later compiled) for the host architecture.
export ARCH=x86_64
# Don't let a calling make's flags (e.g. -j, or variables) leak in.
unset MAKEFLAGS MAKELEVEL MFLAGS KCONFIG_CONFIG KCONFIG_ALLCONFIG O KBUILD_OUTPUT

# 1. Start from nothing.  This also writes OUTDIR/Makefile, a wrapper that
#    includes the tree's Makefile, so later steps can run make in OUTDIR.
make -s -C "$tree" O="$out" allnoconfig >&2

# 2. Merge the fragment.  merge_config.sh puts its temporary file in the
#    current directory and runs a plain "make", so run it inside OUTDIR.
log=$(cd "$out" && "$tree/scripts/kconfig/merge_config.sh" -n .config "$FRAGMENT" 2>&1) || {
	printf '%s\n' "$log" >&2
	die "merge_config.sh failed"
}
# merge_config.sh compares against the whole merged file, so it also warns
# about base values that the fragment changed indirectly; check just the
# fragment's own lines against the final .config.
bad=$(awk '
	FNR == NR {
		if (/^CONFIG_[A-Za-z0-9_]+=/) { n = $0; sub(/=.*/, "", n); want[n] = $0 }
		else if (/^# CONFIG_[A-Za-z0-9_]+ is not set$/) { want[$2] = "" }
		next
	}
	/^CONFIG_[A-Za-z0-9_]+=/ { n = $0; sub(/=.*/, "", n); have[n] = $0 }
	END {
		for (n in want) {
			h = (n in have) ? have[n] : ""
			if (h == n "=n") h = ""
			w = (want[n] == n "=n") ? "" : want[n]
			if (h != w)
				printf "  %s: wanted \"%s\", got \"%s\"\n", n,
					w == "" ? "not set" : w, h == "" ? "not set" : h
		}
	}' "$FRAGMENT" "$out/.config")
[[ -z $bad ]] || die "symbols of $FRAGMENT that did not take effect:
$bad"

# 3. Write include/generated/autoconf.h and include/config/auto.conf.
make -s -C "$out" syncconfig >&2

# 4. Generated headers.  Run the tree's Makefile directly in OUTDIR (with
#    --no-print-directory, so kbuild does not re-invoke itself, which would
#    drop the -o options): "-o T" tells make to treat T as up to date, which
#    skips building objtool and the host programs under scripts/ that
#    "prepare" depends on but the shim does not use.
(cd "$out" && make -s --no-print-directory -f "$tree/Makefile" \
	-o tools/objtool -o tools/bpf/resolve_btfids -o scripts prepare) >&2
for f in bounds timeconst asm-offsets rq-offsets; do
	[[ -f $out/include/generated/$f.h ]] || die "make prepare did not produce include/generated/$f.h"
done

# 5. Append the overlay (replacing an earlier copy if syncconfig left the
#    file alone because the configuration did not change).
autoconf="$out/include/generated/autoconf.h"
[[ -f $autoconf ]] || die "syncconfig did not produce $autoconf"
sed -i "\\|^/\\* smmusim overlay |,\$d" "$autoconf"
{
	printf '%s\n' "$MARKER"
	cat "$OVERLAY"
} >>"$autoconf"

printf 'gen-config: %s configured for Linux %s\n' "$out" \
	"$(make -s -C "$out" kernelversion 2>/dev/null || echo '?')" >&2
