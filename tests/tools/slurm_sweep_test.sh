#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# smmusim sweep --slurm on a real single-node Slurm: munged, slurmctld and
# slurmd (Debian's munge and slurm-wlm) started on localhost in a temporary
# directory, configured by this script (its own munge key and socket, free
# ports, state, spool, logs and pid files there, no cgroups); a small sweep
# submitted as an array job, waited for, merged, and its CSV compared byte
# for byte with the same sweep run locally. Every daemon is stopped on any
# exit (trap); every wait is bounded, so the test cannot hang.
#
#   slurm_sweep_test.sh SMMUSIM_BIN PYTHON REPO_ROOT
#
# Exit status 0 pass, 1 fail, 77 skipped (the exact reason printed: only
# when the Slurm or munge programs are not installed).
set -euo pipefail

BIN=$1 PYTHON=$2 ROOT=$3
SWEEP=$ROOT/tools/sweep/smmusim_sweep.py

fail() { echo "FAIL: $*" >&2; exit 1; }

for p in munged mungekey slurmctld slurmd sbatch squeue sinfo scancel; do
	command -v "$p" >/dev/null || {
		echo "SKIP: '$p' is not installed (Debian packages slurm-wlm and munge; ./smmusim test installs them)"
		exit 77
	}
done

T=$(mktemp -d /tmp/smmusim-slurm.XXXXXX)
# munged insists that every directory up to its socket lets everyone through.
chmod 755 "$T"
mkdir -p "$T/munge" "$T/run" "$T/state" "$T/spool" "$T/log" "$T/work"
chmod 700 "$T/munge"
PIDS=()

cleanup() {
	local rc=$? p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]}"; do
		# At most 10 s each, then it is killed.
		timeout 10 tail --pid="$p" -f /dev/null 2>/dev/null || kill -9 "$p" 2>/dev/null || true
	done
	if ((rc != 0 && rc != 77)); then
		echo "--- logs ($T/log) ---" >&2
		tail -n 30 "$T"/log/* >&2 2>/dev/null || true
	fi
	rm -rf "$T"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# wait_for SECONDS WHAT COMMAND...: COMMAND until it succeeds, at most SECONDS.
wait_for() {
	local limit=$1 what=$2
	shift 2
	local end=$((SECONDS + limit))
	until "$@" >/dev/null 2>&1; do
		((SECONDS < end)) || fail "$what: not within $limit s"
		sleep 0.5
	done
}

free_port() {
	"$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# munge: its own key and socket.
mungekey --create --keyfile="$T/munge/munge.key" --bits=1024
SOCK=$T/run/munge.sock
munged --foreground --key-file="$T/munge/munge.key" --socket="$SOCK" --pid-file="$T/run/munged.pid" \
	--log-file="$T/log/munged.log" --seed-file="$T/munge/seed" >"$T/log/munged.out" 2>&1 &
PIDS+=($!)
wait_for 20 "munged answering on $SOCK" sh -c "munge -S '$SOCK' -n | unmunge -S '$SOCK'"

CTLD_PORT=$(free_port)
SLURMD_PORT=$(free_port)
[[ $CTLD_PORT != "$SLURMD_PORT" ]] || SLURMD_PORT=$(free_port)
export SLURM_CONF=$T/slurm.conf
cat >"$SLURM_CONF" <<CONF
ClusterName=smmusimtest
SlurmctldHost=localhost
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=$(id -un)
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCK
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/run/slurmctld.pid
SlurmdPidFile=$T/run/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF

slurmctld -D -i >"$T/log/slurmctld.out" 2>&1 &
PIDS+=($!)
wait_for 30 "slurmctld answering on port $CTLD_PORT" sinfo
slurmd -D -N localhost >"$T/log/slurmd.out" 2>&1 &
PIDS+=($!)
wait_for 60 "node localhost idle" sh -c '[ "$(sinfo -h -N -n localhost -o %t)" = idle ]'

cat >"$T/work/small.toml" <<SPEC
[sweep]
name = "small"
traces = ["$ROOT/traces/smmu-bringup.trace", "$ROOT/traces/vcmdq-guest.trace"]
[parameters]
"smmu.exec.tlbi_va_cycles" = [4, 16]
"mem.latency_cycles" = [40, 120]
[columns]
cycles = "/sim/cycles"
cmdq_mean = "/statistics/soc.smmu.cmdq.latency_cycles/mean"
SPEC

timeout 300 "$PYTHON" "$SWEEP" run "$T/work/small.toml" --smmusim "$BIN" --out "$T/work/local" --jobs 2 \
	|| fail "the local sweep failed"
timeout 300 "$PYTHON" "$SWEEP" run "$T/work/small.toml" --smmusim "$BIN" --out "$T/work/slurm" --slurm \
	--partition debug --time 00:05:00 --timeout 240 >"$T/log/sweep-slurm.out" 2>&1 \
	|| { cat "$T/log/sweep-slurm.out" >&2; fail "the Slurm sweep failed"; }
cat "$T/log/sweep-slurm.out"

grep -q '^#SBATCH --array=0-7$' "$T/work/slurm/small.sbatch" || fail "the batch script has no --array=0-7"
grep -q '^smmusim sweep: submitted job [0-9][0-9]*: 8 array tasks' "$T/log/sweep-slurm.out" \
	|| fail "sbatch did not report a job id"
for i in 0 1 2 3 4 5 6 7; do
	[[ -f $T/work/slurm/logs/task-$i.out ]] || fail "array task $i left no Slurm log"
done
cmp "$T/work/local/small.csv" "$T/work/slurm/small.csv" || fail "the Slurm sweep's CSV differs from the local one"
[[ $(wc -l <"$T/work/slurm/small.csv") -eq 9 ]] || fail "the CSV has not 8 points"
[[ -s $T/work/slurm/small.svg ]] || fail "no plot"

# Submitted without waiting, merged later (what a cluster user does for a
# long sweep): the same CSV.
timeout 120 "$PYTHON" "$SWEEP" run "$T/work/small.toml" --smmusim "$BIN" --out "$T/work/later" --slurm \
	--no-wait >"$T/log/sweep-later.out" 2>&1 || { cat "$T/log/sweep-later.out" >&2; fail "--no-wait failed"; }
job=$(sed -n 's/^smmusim sweep: submitted job \([0-9]*\):.*/\1/p' "$T/log/sweep-later.out")
[[ -n $job ]] || fail "--no-wait printed no job id"
wait_for 180 "job $job done" sh -c "[ -z \"\$(squeue -h -j $job)\" ]"
timeout 120 "$PYTHON" "$SWEEP" merge "$T/work/later" || fail "merge after --no-wait failed"
cmp "$T/work/local/small.csv" "$T/work/later/small.csv" || fail "the merged --no-wait CSV differs"

# A job past --timeout is cancelled (scancel) and the sweep fails, naming it.
cat >"$T/work/slow.toml" <<SPEC
[sweep]
traces = ["$ROOT/traces/smmu-bringup.trace"]
[parameters]
"fake.sleep" = [120]
[columns]
cycles = "/sim/cycles"
SPEC
set +e
timeout 120 "$PYTHON" "$SWEEP" run "$T/work/slow.toml" --smmusim "$ROOT/tests/tools/fake_smmusim.py" \
	--out "$T/work/slow" --slurm --timeout 5 >"$T/log/sweep-slow.out" 2>&1
rc=$?
set -e
[[ $rc -eq 2 ]] || { cat "$T/log/sweep-slow.out" >&2; fail "a sweep past --timeout exited $rc, not 2"; }
grep -q "still had tasks after 5.0 s: cancelled (scancel [0-9]*)" "$T/log/sweep-slow.out" \
	|| { cat "$T/log/sweep-slow.out" >&2; fail "no word of the cancelled job"; }
wait_for 60 "the cancelled job gone" sh -c '[ -z "$(squeue -h)" ]'

echo "PASS: 8 points as a Slurm array job (waited for, and submitted then merged), CSV byte-equal to the"
echo "local run; a job past --timeout cancelled:"
cat "$T/work/slurm/small.csv"
