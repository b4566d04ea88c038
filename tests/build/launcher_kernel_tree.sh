#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# launcher_kernel_tree.sh SRC WORK TREE KVER - ctest Build.launcher_kernel_tree.
#
# The kernel tree a build directory uses follows LINUX_SRC, and what is not a
# kernel tree is refused before anything is configured or built. Drives the
# launcher SRC/smmusim on its own build directory WORK/build
# (SMMUSIM_BUILD_DIR; configured, never built) with TREE (this build's tree,
# Linux KVER) and WORK/tree2, a copy of TREE (symbolic links) whose Makefile
# says EXTRAVERSION=-smmusimtest:
#   1. LINUX_SRC=TREE: kernel-manifest is exactly kernel-manifest.sh of TREE
#      (the simulator's files, then the KUnit build's, then the iommufd
#      selftest's)
#   2. LINUX_SRC=tree2: the existing build directory is reconfigured and
#      kernel-manifest now says Linux KVER-smmusimtest
#   3. a LINUX_SRC that is a directory but no kernel tree, one that does
#      not exist, and a malformed SMMUSIM_KERNEL: exit 2 with the reason,
#      nothing configured (the cache still names tree2) or built
#   4. cmake itself, run with LINUX_SRC=TREE in the environment on the
#      directory configured for tree2, refuses instead of ignoring it
set -uo pipefail
src=$1 work=$2 tree=$3 kver=$4
build=$work/build
fails=0
fail() { printf 'FAIL: %s\n' "$*"; fails=$((fails + 1)); }

# launch OUT ERR [VAR=value...] -- ARGS...: the launcher on $build with only
# the given kernel variables set; sets rc.
launch() {
	local out=$1 err=$2 envs=()
	shift 2
	while [[ $1 != -- ]]; do envs+=("$1"); shift; done
	shift
	env -u LINUX_SRC -u SMMUSIM_KERNEL SMMUSIM_BUILD_DIR="$build" "${envs[@]}" \
		"$src/smmusim" "$@" >"$out" 2>"$err"
	rc=$?
	printf -- '--- smmusim %s (%s): exit %d\n' "$*" "${envs[*]}" "$rc"
	cat "$err"
}
cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
info() { sed -n "s/^$1=//p" "$build/smmusim-build-info.txt"; }

rm -rf "$work"
mkdir -p "$work"
cp -rs "$tree" "$work/tree2"
rm "$work/tree2/Makefile"
sed 's/^EXTRAVERSION[[:space:]]*=.*/EXTRAVERSION = -smmusimtest/' "$tree/Makefile" >"$work/tree2/Makefile"
mkdir -p "$work/not-a-tree"
echo 'VERSION = 7' >"$work/not-a-tree/Makefile"
# The simulator's files and the KUnit build's, then the iommufd selftest's
# and iommufd_fail_nth's (version line once).
expected=$("$src/kernel_shim/kernel-manifest.sh" "$tree" "$src/kernel_shim/upstream-files.txt" \
	"$src/kernel_shim/kunit/upstream-files.txt"
	"$src/kernel_shim/kernel-manifest.sh" "$tree" "$src/kernel_shim/selftest/upstream-files.txt" \
		"$src/kernel_shim/selftest/fail_nth/upstream-files.txt" | tail -n +2)

# 1.
launch "$work/m1" "$work/e1" LINUX_SRC="$tree" -- kernel-manifest
((rc == 0)) || fail "1: kernel-manifest with LINUX_SRC=$tree: exit $rc"
[[ $(cat "$work/m1") == "$expected" ]] || fail "1: the manifest is not that of $tree"
[[ $(head -n1 "$work/m1") == "linux $kver" ]] || fail "1: first line '$(head -n1 "$work/m1")', expected 'linux $kver'"

# 2.
launch "$work/m2" "$work/e2" LINUX_SRC="$work/tree2" -- kernel-manifest
((rc == 0)) || fail "2: kernel-manifest with LINUX_SRC=$work/tree2: exit $rc"
grep -q "reconfiguring for LINUX_SRC='$work/tree2'" "$work/e2" || fail "2: no reconfigure announced"
[[ $(head -n1 "$work/m2") == "linux $kver-smmusimtest" ]] ||
	fail "2: first line '$(head -n1 "$work/m2")', expected 'linux $kver-smmusimtest'"
[[ $(info kernel_tree) == "$work/tree2" ]] || fail "2: build info kernel_tree=$(info kernel_tree)"
[[ $(tail -n +2 "$work/m2") == "$(tail -n +2 "$work/m1")" ]] || fail "2: the copy's file hashes differ"

# 3.
launch "$work/m3" "$work/e3" LINUX_SRC="$work/not-a-tree" -- run
((rc == 2)) || fail "3: run with LINUX_SRC=$work/not-a-tree: exit $rc, expected 2"
grep -q "$work/not-a-tree: not a suitable kernel tree (missing drivers/iommu/arm/arm-smmu-v3/tegra241-cmdqv.c)" "$work/e3" ||
	fail "3: no reason given for $work/not-a-tree"
grep -q "Nothing was configured or built" "$work/e3" || fail "3: does not say that nothing was built"
[[ ! -s $work/m3 ]] || fail "3: something ran: $(cat "$work/m3")"
[[ ! -e $build/sim/smmusim ]] || fail "3: the program was built"
launch "$work/m4" "$work/e4" LINUX_SRC="$work/does-not-exist" -- kernel-manifest
((rc == 2)) || fail "3: kernel-manifest with a missing LINUX_SRC: exit $rc, expected 2"
grep -q "$work/does-not-exist: not a directory" "$work/e4" || fail "3: no reason given for a missing LINUX_SRC"
launch "$work/m5" "$work/e5" SMMUSIM_KERNEL=seven -- kernel-manifest
((rc == 2)) || fail "3: kernel-manifest with SMMUSIM_KERNEL=seven: exit $rc, expected 2"
grep -q "SMMUSIM_KERNEL must look like 7.2 (got 'seven')" "$work/e5" || fail "3: no reason given for SMMUSIM_KERNEL=seven"
[[ $(cache LINUX_SRC) == "$work/tree2" ]] || fail "3: a refused LINUX_SRC changed the cache: $(cache LINUX_SRC)"

# 4.
LINUX_SRC=$tree cmake "$build" >"$work/m6" 2>"$work/e6"
rc=$?
cat "$work/e6"
((rc != 0)) || fail "4: cmake ignored LINUX_SRC=$tree in the environment"
grep -q "LINUX_SRC=$tree in the environment" "$work/e6" || fail "4: cmake did not say why it refused"

if ((fails)); then
	printf '%d check(s) failed\n' "$fails"
	exit 1
fi
rm -rf "$work"
echo "all launcher kernel-tree checks passed"
