#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# fetch-kernel.sh - obtain a Linux source tree for the smmusim kernel shim.
#
# Prints the absolute path of a usable kernel tree on stdout (and nothing
# else).  All progress and diagnostics go to stderr; a run that finds the
# tree already cached prints nothing on stderr.
#
# The kernel source is never part of this repository.  It comes either from
#
#   * $LINUX_SRC - an existing tree chosen by the user.  It is validated
#     (needs the SMMUv3 / CMDQV / iommufd sources and version >= 6.17) and
#     printed, never modified; or
#
#   * Debian's linux-source-<ver> package, downloaded with a PRIVATE apt
#     configuration that lives entirely under
#         ${XDG_CACHE_HOME:-$HOME/.cache}/smmusim/apt/
#     and changes nothing on the system (see "Private apt" below).  The
#     needed subset of the source is unpacked into
#         ${XDG_CACHE_HOME:-$HOME/.cache}/smmusim/linux-<fullversion>/
#
# Environment:
#   LINUX_SRC               use this tree instead of downloading
#   SMMUSIM_KERNEL          series to fetch, e.g. "7.2" or "7.3".  Default:
#                           the newest series of KNOWN_SERIES below that is
#                           cached or can be downloaded.
#   SMMUSIM_KERNEL_REFRESH  if 1, ignore cached trees and ask the archive
#                           for the newest package of the series.
#   SMMUSIM_APT_CHECK_VALID_UNTIL
#                           if 1, make apt enforce the Valid-Until field of
#                           the Release files (off by default, see below).
#   XDG_CACHE_HOME          cache root (default $HOME/.cache)
#
# Needs: bash, apt-get/apt-cache (apt), dpkg-deb, tar, xz, flock, sha256sum.

set -euo pipefail

# Kernel series known to work with the shim, newest first.  Add a series
# here only after building and testing the simulator against it.
KNOWN_SERIES=(7.3 7.2)

# Oldest series accepted for a user-supplied $LINUX_SRC.
MIN_VERSION=6
MIN_PATCHLEVEL=17

# Files that must exist in any tree we hand out.
REQUIRED_FILES=(
	Makefile
	drivers/iommu/arm/arm-smmu-v3/tegra241-cmdqv.c
	drivers/iommu/iommufd/viommu.c
)

# What to unpack from the (very large) source tarball: only what the shim
# build, the Kconfig run of gen-config.sh and the tests need.  Patterns are
# tar wildcards relative to the tree root.  Changing this list changes the
# "extract id" stored in the cache stamp, so cached trees are unpacked again
# (from the cached .deb) automatically.
#   - Makefile, Kbuild, scripts/: kbuild and kconfig machinery.
#   - Kconfig, */Kconfig*: every Kconfig file; the top-level Kconfig "source"s a
#     large part of the tree and a missing file is a hard error, and the
#     whole set is only a few MB.
#   - include/, arch/x86/: headers the userspace build compiles against
#     (the shim builds with the x86 architecture headers).
#   - arch/arm64/include/: reference for the arm64-only names that
#     arm-smmu-v3.c uses (the shim re-provides them).
#   - kernel/: bounds.c, time/timeconst.bc, sched/rq-offsets.c used to
#     generate headers.
#   - lib/: xarray, maple tree, interval tree, bitmap, ... built into the shim.
#   - drivers/iommu/: the drivers under simulation and the iommu core.
#   - drivers/pci/ats.c, pci.h: the PCI core's ATS functions (pci_enable_ats
#     and friends), compiled unmodified for the shim's PCI endpoints.
#   - tools/testing/selftests/: the iommufd selftest and its harness.
#   - tools/include/: headers used by the selftests.
#   - COPYING, LICENSES/: licence texts that go with the source.
EXTRACT_PATTERNS=(
	'Makefile'
	'Kbuild'
	'COPYING'
	'LICENSES/*'
	'scripts/*'
	'Kconfig'
	'*/Kconfig*'
	'include/*'
	'arch/x86/*'
	'arch/arm64/include/*'
	'kernel/*'
	'lib/*'
	'drivers/iommu/*'
	'drivers/pci/ats.c'
	'drivers/pci/pci.h'
	'tools/include/*'
	'tools/testing/selftests/iommu/*'
	'tools/testing/selftests/kselftest*'
)

CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/smmusim"
APT_ROOT="$CACHE_ROOT/apt"
MIRROR="http://deb.debian.org/debian"
SUITES=(sid trixie-backports)
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

log() { printf 'fetch-kernel: %s\n' "$*" >&2; }
die() { printf 'fetch-kernel: error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------
# Tree helpers
# ---------------------------------------------------------------------------

# makefile_var TREE NAME: value of "NAME = value" in TREE/Makefile.
makefile_var() {
	sed -n "s/^$2[[:space:]]*=[[:space:]]*\\([^[:space:]]*\\).*/\\1/p" "$1/Makefile" | head -n1
}

# tree_version TREE: "VERSION.PATCHLEVEL.SUBLEVEL[EXTRAVERSION]", the same
# string as "make kernelversion".
tree_version() {
	local v p s e
	v=$(makefile_var "$1" VERSION)
	p=$(makefile_var "$1" PATCHLEVEL)
	s=$(makefile_var "$1" SUBLEVEL)
	e=$(makefile_var "$1" EXTRAVERSION)
	[[ $v =~ ^[0-9]+$ && $p =~ ^[0-9]+$ ]] || return 1
	printf '%s.%s.%s%s\n' "$v" "$p" "${s:-0}" "$e"
}

# check_tree TREE: die unless TREE looks like a usable kernel tree.
check_tree() {
	local tree=$1 f v p
	[[ -d $tree ]] || die "$tree: not a directory"
	for f in "${REQUIRED_FILES[@]}"; do
		[[ -f $tree/$f ]] || die "$tree: not a suitable kernel tree (missing $f)"
	done
	v=$(makefile_var "$tree" VERSION)
	p=$(makefile_var "$tree" PATCHLEVEL)
	[[ $v =~ ^[0-9]+$ && $p =~ ^[0-9]+$ ]] ||
		die "$tree/Makefile: cannot parse VERSION/PATCHLEVEL"
	if ((v < MIN_VERSION || (v == MIN_VERSION && p < MIN_PATCHLEVEL))); then
		die "$tree: Linux $v.$p is too old (need >= $MIN_VERSION.$MIN_PATCHLEVEL)"
	fi
}

# ---------------------------------------------------------------------------
# Case 1: a user-supplied tree
# ---------------------------------------------------------------------------
if [[ -n ${LINUX_SRC:-} ]]; then
	check_tree "$LINUX_SRC"
	(cd "$LINUX_SRC" && pwd -P)
	exit 0
fi

# ---------------------------------------------------------------------------
# Case 2: Debian's linux-source package, cached
# ---------------------------------------------------------------------------

# Identifies the extraction recipe; stored in each tree's stamp file.
EXTRACT_ID=$(printf '%s\n' "${EXTRACT_PATTERNS[@]}" | sha256sum | cut -c1-16)
STAMP=.smmusim-extracted

# cached_tree SERIES: newest complete cached tree of SERIES, if any.
cached_tree() {
	local d best=''
	shopt -s nullglob
	for d in "$CACHE_ROOT/linux-$1".*/; do
		d=${d%/}
		[[ -f $d/$STAMP ]] || continue
		grep -qx "extract-id $EXTRACT_ID" "$d/$STAMP" || continue
		best=$(printf '%s\n%s\n' "$best" "$d" | sed '/^$/d' | sort -V | tail -n1)
	done
	shopt -u nullglob
	[[ -n $best ]] && printf '%s\n' "$best"
}

# --- Private apt ------------------------------------------------------------
#
# apt is pointed at a configuration file of our own through APT_CONFIG.  apt
# reads that file first, and it redirects Dir::Etc::main and Dir::Etc::parts
# to our own (empty) locations, so neither /etc/apt/apt.conf nor
# /etc/apt/apt.conf.d/* is read: the system's sources, preferences, trusted
# keys, hooks and index settings are all ignored, and every file apt writes
# (lists, package caches, the lock, partial downloads) is below $APT_ROOT.
# Dir::State::status points to an empty file, so apt believes nothing is
# installed and never looks at dpkg's real database.  We only run "update",
# "policy"/"madison" and "download"; nothing is ever installed.
#
# Trust: each suite is declared with signed-by=<Debian archive keyring>, so
# only that keyring is used to check the InRelease signatures (not the
# system's trusted.gpg.d).  "apt-get download" then checks the .deb against
# the SHA256 listed in the signed index, so the chain is
#   archive key -> InRelease -> Packages -> .deb -> source tarball.
#
# Keys: sid and trixie-backports are currently signed by both the
# 12/bookworm and the 13/trixie automatic signing keys; bookworm's
# debian-archive-keyring (2023.3+deb12u1 and later) carries both, and apt
# needs just one good signature from a key in the keyring.  When Debian
# retires these keys, the keyring must be updated through a channel that is
# itself verified: install the newer debian-archive-keyring from the
# system's own (already trusted) stable/stable-updates suites, which is how
# Debian ships new archive keys to stable (it did so for the trixie keys).
# A debian-archive-keyring .deb fetched from sid with an untrusted key would
# prove nothing, so this script never does that; it stops with a message
# instead (see check_keys).  SMMUSIM_APT_KEYRING may name another keyring.
#
# Valid-Until: the Release files of sid and the backports suites expire
# after about a week.  Some mirrors and proxies serve frozen snapshots whose
# Release files have already expired, and apt then refuses them; for
# fetching a source tarball the signature and hash checks are what matter,
# so the expiry check is off unless SMMUSIM_APT_CHECK_VALID_UNTIL=1.
#
# Architecture: indexes are requested for amd64 only.  linux-source-* is
# "Architecture: all", and these suites declare
# "No-Support-for-Architecture-all: Packages", i.e. the binary-amd64 index
# already lists the arch-all packages, so the binary-all index (a duplicate)
# is not fetched.

KEYRING=${SMMUSIM_APT_KEYRING:-$KEYRING}
APT_CONF="$APT_ROOT/apt.conf"

setup_apt() {
	local d
	for d in etc/apt.conf.d etc/sources.list.d etc/preferences.d \
		etc/trusted.gpg.d state/lists/partial cache/archives/partial debs; do
		mkdir -p "$APT_ROOT/$d"
	done
	: >"$APT_ROOT/state/status"
	{
		local s
		for s in "${SUITES[@]}"; do
			printf 'deb [arch=amd64 signed-by=%s] %s %s main\n' "$KEYRING" "$MIRROR" "$s"
		done
	} >"$APT_ROOT/etc/sources.list"
	{
		printf '// Generated by smmusim kernel_shim/fetch-kernel.sh; private apt setup.\n'
		printf 'Dir::Etc "%s/etc/";\n' "$APT_ROOT"
		printf 'Dir::Etc::main "apt.conf";\n'
		printf 'Dir::Etc::parts "apt.conf.d/";\n'
		printf 'Dir::Etc::sourcelist "sources.list";\n'
		printf 'Dir::Etc::sourceparts "sources.list.d/";\n'
		printf 'Dir::Etc::preferences "preferences";\n'
		printf 'Dir::Etc::preferencesparts "preferences.d/";\n'
		printf 'Dir::Etc::trusted "trusted.gpg";\n'
		printf 'Dir::Etc::trustedparts "trusted.gpg.d/";\n'
		printf 'Dir::State "%s/state/";\n' "$APT_ROOT"
		printf 'Dir::State::lists "lists/";\n'
		printf 'Dir::State::status "%s/state/status";\n' "$APT_ROOT"
		printf 'Dir::State::extended_states "%s/state/extended_states";\n' "$APT_ROOT"
		printf 'Dir::Cache "%s/cache/";\n' "$APT_ROOT"
		printf 'Dir::Cache::archives "archives/";\n'
		printf 'Dir::Log "%s/log/";\n' "$APT_ROOT"
		printf 'APT::Architecture "amd64";\n'
		printf 'APT::Architectures { "amd64"; };\n'
		printf 'Acquire::Languages "none";\n'
		printf 'Acquire::PDiffs "false";\n'
		if [[ ${SMMUSIM_APT_CHECK_VALID_UNTIL:-0} == 1 ]]; then
			printf 'Acquire::Check-Valid-Until "true";\n'
		else
			printf 'Acquire::Check-Valid-Until "false";\n'
		fi
		# As root, apt drops to the _apt user for downloads, but _apt
		# cannot enter a private cache below /root.  The downloads are
		# still verified as described above.
		if [[ $(id -u) == 0 ]]; then
			printf 'APT::Sandbox::User "root";\n'
		fi
	} >"$APT_CONF"
}

apt_get() { APT_CONFIG="$APT_CONF" apt-get -q "$@"; }
apt_cache() { APT_CONFIG="$APT_CONF" apt-cache "$@"; }

# check_keys: make sure the keyring exists and is one we can use.
check_keys() {
	[[ -r $KEYRING ]] || die "keyring $KEYRING not found; install Debian's debian-archive-keyring package"
}

APT_UPDATED=0
# apt_update: refresh the private package lists once per run.  Returns 1
# (after showing apt's messages) if the archive cannot be reached, so that
# the caller can fall back to a cached tree; dies on signature problems.
apt_update() {
	((APT_UPDATED)) && return 0
	check_keys
	setup_apt
	log "refreshing package lists for ${SUITES[*]} (private apt in $APT_ROOT)"
	local out rc=0
	out=$(apt_get update 2>&1) || rc=$?
	if ((rc != 0)) || grep -q '^[EW]:' <<<"$out"; then
		printf '%s\n' "$out" >&2
		if grep -qE 'NO_PUBKEY|EXPKEYSIG|is not signed|not signed' <<<"$out"; then
			die "the archive signatures could not be verified with $KEYRING.
  Update debian-archive-keyring from your distribution's own (trusted)
  suites, e.g. 'apt-get update && apt-get install debian-archive-keyring',
  or point SMMUSIM_APT_KEYRING at a keyring you have verified."
		fi
		if ((rc != 0)); then
			log "apt-get update failed (see above)"
			return 1
		fi
		log "warning: apt-get update reported problems (see above); continuing"
	fi
	APT_UPDATED=1
}

# newest_debver VERSION...: the newest by dpkg's ordering.
newest_debver() {
	local best='' v
	for v in "$@"; do
		if [[ -z $best ]] || dpkg --compare-versions "$v" gt "$best"; then
			best=$v
		fi
	done
	printf '%s\n' "$best"
}

EXTRACT_TMP=
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() { [[ -z $EXTRACT_TMP ]] || rm -rf "$EXTRACT_TMP"; }
trap cleanup EXIT

# fetch_series SERIES: download and unpack linux-source-SERIES and set
# FETCHED_TREE to the new tree; leaves FETCHED_TREE empty if the archive
# cannot be reached or does not have the package.
FETCHED_TREE=
fetch_series() {
	local series=$1 pkg="linux-source-$1" debver deb tree full start
	FETCHED_TREE=
	debver=
	# A .deb already in the cache (e.g. the tree was removed, or the
	# extraction list changed) is unpacked again without going online.
	if [[ ${SMMUSIM_KERNEL_REFRESH:-0} != 1 ]]; then
		local f vers=()
		shopt -s nullglob
		for f in "$APT_ROOT/debs/${pkg}_"*_all.deb; do
			f=${f##*/}
			f=${f#"${pkg}_"}
			f=${f%_all.deb}
			vers+=("${f//%3a/:}")
		done
		shopt -u nullglob
		((${#vers[@]} == 0)) || debver=$(newest_debver "${vers[@]}")
	fi
	if [[ -z $debver ]]; then
		apt_update || return 0
		# shellcheck disable=SC2046 # one word per version
		debver=$(newest_debver $(apt_cache madison "$pkg" 2>/dev/null |
			awk -F'|' '{gsub(/ /, "", $2); print $2}'))
	fi
	if [[ -z $debver ]]; then
		log "$pkg is not in ${SUITES[*]}"
		return 0
	fi

	# apt-get download writes pkg_version_arch.deb (":" as "%3a") into
	# the current directory; keep them in the cache.
	deb="$APT_ROOT/debs/${pkg}_${debver//:/%3a}_all.deb"
	if [[ ! -f $deb ]]; then
		log "downloading $pkg=$debver ($(apt_cache show "$pkg=$debver" |
			awk '/^Size:/ {printf "%d MB", $2/1000000; exit}'))"
		if ! (cd "$APT_ROOT/debs" && apt_get download "$pkg=$debver" >&2); then
			log "download of $pkg=$debver failed"
			return 0
		fi
		[[ -f $deb ]] || die "apt-get download did not produce $deb"
	fi

	# Unpack: the .deb holds usr/src/linux-source-X.Y.tar.xz, whose
	# members are linux-source-X.Y/<path>.  Stream it: .deb -> data tar
	# -> tarball -> selected members, so nothing large lands on disk.
	EXTRACT_TMP=$(mktemp -d "$CACHE_ROOT/.extract.XXXXXX")
	log "unpacking the needed part of the source (takes a minute or two)"
	start=$SECONDS
	local pats=() p
	for p in "${EXTRACT_PATTERNS[@]}"; do
		pats+=("linux-source-$series/$p")
	done
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xOf - "./usr/src/linux-source-$series.tar.xz" |
		xz -dc -T0 |
		tar -xf - -C "$EXTRACT_TMP" --strip-components=1 --no-same-owner \
			--wildcards "${pats[@]}"
	check_tree "$EXTRACT_TMP"
	full=$(tree_version "$EXTRACT_TMP")
	tree="$CACHE_ROOT/linux-$full"
	{
		printf 'package %s %s\n' "$pkg" "$debver"
		printf 'deb-sha256 %s\n' "$(sha256sum "$deb" | cut -d' ' -f1)"
		printf 'extract-id %s\n' "$EXTRACT_ID"
	} >"$EXTRACT_TMP/$STAMP"
	rm -rf "$tree"
	mv "$EXTRACT_TMP" "$tree"
	EXTRACT_TMP=
	log "unpacked Linux $full in $((SECONDS - start)) s: $tree ($(du -sh "$tree" | cut -f1))"
	FETCHED_TREE=$tree
}

mkdir -p "$CACHE_ROOT"
# One fetch at a time per cache (parallel builds may call us together).
exec 9>"$CACHE_ROOT/.lock"
flock 9

if [[ -n ${SMMUSIM_KERNEL:-} ]]; then
	[[ $SMMUSIM_KERNEL =~ ^[0-9]+\.[0-9]+$ ]] ||
		die "SMMUSIM_KERNEL must look like 7.2 (got '$SMMUSIM_KERNEL')"
	series_list=("$SMMUSIM_KERNEL")
else
	series_list=("${KNOWN_SERIES[@]}")
fi

tried=()
for series in "${series_list[@]}"; do
	if [[ ${SMMUSIM_KERNEL_REFRESH:-0} != 1 ]]; then
		tree=$(cached_tree "$series" || true)
		if [[ -n $tree ]]; then
			printf '%s\n' "$tree"
			exit 0
		fi
	fi
	# Not cached (or a refresh was asked for): ask the archive.  If it
	# cannot be reached or lacks the package, go on to the next series.
	fetch_series "$series"
	if [[ -n $FETCHED_TREE ]]; then
		printf '%s\n' "$FETCHED_TREE"
		exit 0
	fi
	# After a failed refresh, an older cached tree still beats nothing.
	tree=$(cached_tree "$series" || true)
	if [[ -n $tree ]]; then
		log "warning: could not refresh linux-source-$series; using cached $tree"
		printf '%s\n' "$tree"
		exit 0
	fi
	tried+=("linux-source-$series")
done

die "none of ${tried[*]} is cached or available from ${SUITES[*]} at $MIRROR.
  Set SMMUSIM_KERNEL to a series Debian has (list them with
  APT_CONFIG=$APT_CONF apt-cache search '^linux-source-'), or set LINUX_SRC
  to an existing kernel tree (>= $MIN_VERSION.$MIN_PATCHLEVEL)."
