#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# kernel-manifest.sh TREE LIST-FILE... - identify the kernel code in a build.
#
# Prints "linux <version>" (the tree's VERSION.PATCHLEVEL.SUBLEVEL plus
# EXTRAVERSION, as "make kernelversion" would) and then, for each path in
# the LIST-FILEs in turn (relative to the tree root; blank lines and '#'
# comments are ignored; upstream-files.txt, then kunit/upstream-files.txt
# for the KUnit build's own files; a path written "?path" is listed only
# when the tree has it, as the build compiles it only then),
# "<sha256>  <path>" in the format of sha256sum, so that
#   (cd TREE && tail -n +2 MANIFEST | sha256sum -c)
# checks a tree against a saved manifest.  Fails if a listed file is missing.

set -euo pipefail

die() { printf 'kernel-manifest: error: %s\n' "$*" >&2; exit 1; }

(($# >= 2)) || die "usage: $0 TREE LIST-FILE..."
tree=$1
lists=("${@:2}")
[[ -f $tree/Makefile ]] || die "$tree is not a kernel tree (no Makefile)"
for list in "${lists[@]}"; do
	[[ -r $list ]] || die "cannot read $list"
done

# Value of "NAME = value" in the top-level Makefile.
mkvar() {
	sed -n "s/^$1[[:space:]]*=[[:space:]]*\\([^[:space:]]*\\).*/\\1/p" "$tree/Makefile" | head -n1
}
v=$(mkvar VERSION)
p=$(mkvar PATCHLEVEL)
s=$(mkvar SUBLEVEL)
e=$(mkvar EXTRAVERSION)
[[ $v =~ ^[0-9]+$ && $p =~ ^[0-9]+$ ]] || die "$tree/Makefile: cannot parse the version"
printf 'linux %s.%s.%s%s\n' "$v" "$p" "${s:-0}" "$e"

paths=()
for list in "${lists[@]}"; do
	while IFS= read -r line || [[ -n $line ]]; do
		line=${line%%#*}
		line=${line#"${line%%[![:space:]]*}"}
		line=${line%"${line##*[![:space:]]}"}
		[[ -n $line ]] || continue
		if [[ $line == '?'* ]]; then
			line=${line#'?'}
			[[ -f $tree/$line ]] || continue
		fi
		[[ -f $tree/$line ]] || die "$tree/$line: no such file"
		paths+=("$line")
	done <"$list"
done

((${#paths[@]} == 0)) || (cd "$tree" && sha256sum -- "${paths[@]}")
