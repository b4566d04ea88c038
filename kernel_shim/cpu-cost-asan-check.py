#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks that the CPU cost model counts the same basic blocks with and
without AddressSanitizer (docs/cpu-cost.md, "Determinism").

For every upstream C file of a build (the commands in BUILD/compile_commands.json
that define SMMUSIM_CPU_COST_COUNTED), compiles it twice with GCC's dump of the
coverage pass (-fdump-tree-sancov): as the build compiles it, and with the
flags the sanitizer build (-DSMMUSIM_SANITIZE=ON, kernel_shim/CMakeLists.txt)
adds. __sanitizer_cov_trace_pc is an opaque call, so later passes (ASan's
own, RTL block duplication) keep the calls each path makes: equal IR at the
coverage pass means equal block counts at run time. The functions' statements
are compared after renaming what GCC numbers (SSA names, labels, uids) and
dropping debug binds and profile estimates (which guide layout, not calls).

It does not run anything, and it does not check the functions ASan adds
itself (its module constructor and destructor, which run before any kernel
shim exists and are discarded).

Usage: kernel_shim/cpu-cost-asan-check.py [BUILD]   (default: build)
Exit status 0 when every file matches, 1 otherwise.
"""
import json
import pathlib
import re
import shlex
import subprocess
import sys
import tempfile

ASAN_FLAGS = ["-fsanitize=address", "-fno-omit-frame-pointer", "-fno-sanitize-address-use-after-scope"]
RENAMES = [
    (re.compile(r"_\d+"), "_N"), (re.compile(r"D\.\d+"), "D"), (re.compile(r"D#\d+"), "D#"),
    (re.compile(r"<bb \d+>"), "<bb>"), (re.compile(r"bb \d+"), "bb"), (re.compile(r"<L\d+>"), "<L>"),
    (re.compile(r"ISRA\.\d+"), "ISRA"), (re.compile(r"SR\.\d+"), "SR"), (re.compile(r"\$D\d+\$"), "$D$"),
    (re.compile(r", funcdef_no=.*\)"), ")"),
    # Profile estimates (block frequencies, branch probabilities) guide
    # layout, not which calls a path makes.
    (re.compile(r"\[local count: \d+\]"), ""), (re.compile(r"\[(\d+\.\d+%|always|never)\]"), ""),
]


def functions(dump):
    """The dump's functions, normalised, by name: their statements from the
    first basic block on (the local declarations before it are left out:
    their order follows GCC's numbering); ASan's own functions are left out."""
    out, name, body, in_body = {}, None, [], False
    for line in dump.splitlines():
        if line.startswith(";; Function "):
            if name:
                out[name] = body
            name, body, in_body = line.split()[2], [], False
            continue
        in_body = in_body or line.lstrip().startswith("<bb ")
        if not in_body or "# DEBUG" in line or not line.strip():
            continue
        for rx, rep in RENAMES:
            line = rx.sub(rep, line)
        body.append(line)
    if name:
        out[name] = body
    return {n: b for n, b in out.items() if not n.startswith(("_sub_I_", "_sub_D_"))}


def sancov_dump(args, directory, extra, tmp, tag):
    argv = [a for a in args]
    o = argv.index("-o")
    del argv[o:o + 2]
    argv += extra + ["-fdump-tree-sancov", "-dumpdir", f"{tmp}/{tag}/", "-o", f"{tmp}/{tag}.o"]
    pathlib.Path(tmp, tag).mkdir()
    subprocess.run(argv, cwd=directory, check=True)
    dumps = list(pathlib.Path(tmp, tag).glob("*sancov*"))
    if len(dumps) > 1:
        raise SystemExit(f"{tag}: expected one sancov dump, found {dumps}")
    # A file of data alone (lib/ctype.c) has no function, and no dump.
    return functions(dumps[0].read_text()) if dumps else {}


def main():
    build = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "build")
    cmds = json.loads((build / "compile_commands.json").read_text())
    bad = 0
    counted = [c for c in cmds if "SMMUSIM_CPU_COST_COUNTED" in c["command"]]
    for c in counted:
        args = shlex.split(c["command"])
        with tempfile.TemporaryDirectory() as tmp:
            plain = sancov_dump(args, c["directory"], [], tmp, "plain")
            asan = sancov_dump(args, c["directory"], ASAN_FLAGS, tmp, "asan")
        calls = sum(l.count("__sanitizer_cov_trace_pc") for b in plain.values() for l in b)
        diff = sorted(n for n in plain.keys() | asan.keys() if plain.get(n) != asan.get(n))
        print(f"{'OK  ' if not diff else 'DIFF'} {c['file']}: {len(plain)} functions, {calls} counted blocks"
              + (f"; differ: {', '.join(diff[:8])}" if diff else ""), flush=True)
        bad += bool(diff)
    print(f"{len(counted)} files, {bad} differ")
    return 1 if bad or not counted else 0


if __name__ == "__main__":
    sys.exit(main())
