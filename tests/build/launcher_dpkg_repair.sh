#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# launcher_dpkg_repair.sh SRC WORK - ctest Build.launcher_dpkg_repair.
#
# The launcher's package set-up (SRC/smmusim: repair_dpkg, ensure_packages)
# against a stand-in dpkg, dpkg-query, apt-get and apt-cache on PATH (WORK
# holds them and their state), so nothing on the machine is touched:
#   1. a package left unpacked but not configured (an install killed
#      half-way): the launcher names it, runs `dpkg --configure -a`, and
#      installs nothing
#   2. the same, but `dpkg --configure -a` fails: exit 2, the package named,
#      and no install tried
#   3. nothing interrupted, a package missing: no `dpkg --configure`, one
#      `apt-get install` of that package
#   4. everything installed: neither dpkg --audit nor apt-get is run
set -uo pipefail
src=$1 work=$2
fails=0
fail() { printf 'FAIL: %s\n' "$*"; fails=$((fails + 1)); }

rm -rf "$work" && mkdir -p "$work/bin" || exit 1
# The stand-ins. State: $work/state/<pkg> holds "installed" or "unpacked";
# $work/log records each call; $work/configure_fails makes --configure fail.
cat >"$work/bin/dpkg-query" <<'Q'
#!/usr/bin/env bash
p=${!#}; s=$(cat "$STATE/$p" 2>/dev/null) || exit 1
printf 'install ok %s' "$s"
Q
cat >"$work/bin/dpkg" <<'D'
#!/usr/bin/env bash
echo "dpkg $*" >>"$LOG"
case $1 in
--audit)
	for f in "$STATE"/*; do
		[[ $(cat "$f") == unpacked ]] || continue
		[[ -n ${said:-} ]] || { echo 'The following packages have been unpacked but not yet configured.'; said=1; }
		printf ' %-20s a package\n' "$(basename "$f")"
	done ;;
--configure)
	[[ -e $STATE/../configure_fails ]] && exit 1
	for f in "$STATE"/*; do [[ $(cat "$f") == unpacked ]] && echo installed >"$f"; done ;;
esac
exit 0
D
cat >"$work/bin/apt-get" <<'A'
#!/usr/bin/env bash
echo "apt-get $*" >>"$LOG"
A
cat >"$work/bin/apt-cache" <<'C'
#!/usr/bin/env bash
echo 'Candidate: 1.0'
C
chmod +x "$work/bin"/*

# The launcher's own functions, as it defines them.
funcs=$(sed -n '/^say()/,/^die()/p;/^need_root()/,/^}/p;/^repair_dpkg()/,/^}/p;/^ensure_packages()/,/^}/p' "$src/smmusim")
[[ $funcs == *'repair_dpkg()'* && $funcs == *'ensure_packages()'* ]] || { echo "FAIL: no repair_dpkg/ensure_packages in $src/smmusim"; exit 1; }

# case NAME: runs ensure_packages pkgA pkgB with the state set up by the
# caller; sets rc, out (stderr) and log.
run_case() {
	printf -- '--- %s\n' "$1"
	: >"$work/log"
	out=$(PATH="$work/bin:$PATH" STATE="$work/state" LOG="$work/log" bash -c "
		set -euo pipefail
		$funcs
		need_root() { \"\$@\"; }
		PACKAGES=()
		ensure_packages pkga pkgb" 2>&1)
	rc=$?
	log=$(cat "$work/log")
	printf '%s\n(exit %d)\ncalls:\n%s\n' "$out" "$rc" "$log"
}
state() { rm -rf "$work/state" "$work/configure_fails"; mkdir -p "$work/state"; echo "$1" >"$work/state/pkga"; echo "$2" >"$work/state/pkgb"; }

state unpacked installed
run_case 'interrupted install'
[[ $rc -eq 0 ]] || fail "interrupted: exit $rc, want 0"
[[ $out == *'interrupted (pkga)'*'dpkg --configure -a'* ]] || fail "interrupted: the message does not name pkga and the repair"
[[ $log == *'dpkg --configure -a'* ]] || fail "interrupted: dpkg --configure -a was not run"
[[ $log != *'apt-get'* ]] || fail "interrupted: apt-get ran although the repair installed everything"

state unpacked installed
touch "$work/configure_fails"
run_case 'repair fails'
[[ $rc -eq 2 ]] || fail "repair fails: exit $rc, want 2"
[[ $out == *'dpkg --configure -a failed'*'pkga'* ]] || fail "repair fails: the message does not say so"
[[ $log != *'apt-get'* ]] || fail "repair fails: apt-get ran"

state installed absent
rm -f "$work/state/pkgb"
run_case 'package missing'
[[ $rc -eq 0 ]] || fail "missing: exit $rc, want 0"
[[ $log != *'--configure'* ]] || fail "missing: dpkg --configure ran with nothing interrupted"
[[ $log == *'apt-get install'*'pkgb'* ]] || fail "missing: pkgb was not installed"
[[ $log != *'install'*'pkga'* ]] || fail "missing: pkga (installed) was installed again"

state installed installed
run_case 'all installed'
[[ $rc -eq 0 && -z $log ]] || fail "all installed: exit $rc, calls '$log' (want none)"

[[ $fails -eq 0 ]] && echo "launcher_dpkg_repair: all cases pass"
exit $((fails > 0))
