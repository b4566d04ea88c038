#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Build.clang_syntax: the C++ of models/, sim/, fuzz/ and apps/ through
clang++ -fsyntax-only, each translation unit with its own flags from the
build's compile_commands.json.

The release build compiles with gcc, the fuzz build (`./smmusim fuzz`) with
clang: code that gcc accepts and clang refuses (a lambda capturing a
structured binding, which C++17 forbids) broke the fuzz build while every
test passed. kernel_shim/ is left out: it is gcc-only C and C++ built
against the kernel's headers.

usage: clang_syntax.py BUILD_DIR SOURCE_DIR [--jobs N]
Exit 0: every file passes; 1: the failing files are listed, with clang's
diagnostics; 2: bad input (no compile_commands.json, no file to check);
77 (ctest's SKIP_RETURN_CODE): no clang++ on PATH.
"""
import argparse
import concurrent.futures
import json
import os
import shlex
import shutil
import subprocess
import sys

# The directories whose translation units are checked, under SOURCE_DIR.
CHECKED_DIRS = ("models", "sim", "fuzz", "apps")

# Flags of a gcc command line that clang++ does not take, or that have no
# use for a syntax check: dropped. Each entry is a flag or, ending in "=",
# a flag's prefix. None of them is on the project's command lines today;
# a flag added to the build that clang refuses makes every file fail, with
# clang's message naming it: add it here.
GCC_ONLY_FLAGS = (
    "-fconserve-stack",
    "-fno-allow-store-data-races",
    "-fno-var-tracking-assignments",
    "-fmin-function-alignment=",
    "-Wno-maybe-uninitialized",
    "-Wno-stringop-overflow",
    "-Wno-stringop-truncation",
    "-Wno-format-truncation",
    "-Wno-class-memaccess",
)
# Output and code generation flags: a syntax check writes nothing.
OUTPUT_FLAGS_WITH_VALUE = ("-o", "-MF", "-MT", "-MQ")
OUTPUT_FLAGS = ("-c", "-MD", "-MMD", "-g")


def gcc_only(arg):
    return any(arg == f or (f.endswith("=") and arg.startswith(f)) for f in GCC_ONLY_FLAGS)


def clang_args(entry):
    """The clang++ -fsyntax-only command line for one compile_commands.json
    entry: its compiler replaced, its output and gcc-only flags dropped."""
    args = entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])
    # The compiler, behind a launcher if the entry names one (ccache).
    i = 1
    if os.path.basename(args[0]) in ("ccache", "sccache") and len(args) > 1:
        i = 2
    out = ["clang++", "-fsyntax-only", "-Wno-unknown-warning-option"]
    rest = args[i:]
    k = 0
    while k < len(rest):
        a = rest[k]
        if a in OUTPUT_FLAGS_WITH_VALUE:
            k += 2
            continue
        if a in OUTPUT_FLAGS or a.startswith("-g") or gcc_only(a):
            k += 1
            continue
        out.append(a)
        k += 1
    return out


class BadInput(Exception):
    pass


def units(build_dir, source_dir):
    """(file, directory, clang command) of each checked translation unit,
    once per file (the first entry's flags), in path order."""
    path = os.path.join(build_dir, "compile_commands.json")
    try:
        with open(path, encoding="utf-8") as f:
            entries = json.load(f)
    except (OSError, ValueError) as e:
        raise BadInput(f"cannot read {path}: {e} (a build configured with CMAKE_EXPORT_COMPILE_COMMANDS=ON "
                       "has it)") from None
    roots = tuple(os.path.join(os.path.realpath(source_dir), d) + os.sep for d in CHECKED_DIRS)
    seen = {}
    for e in entries:
        file = os.path.realpath(os.path.join(e["directory"], e["file"]))
        if file.startswith(roots) and file.endswith((".cc", ".cpp", ".cxx")) and file not in seen:
            seen[file] = (e["directory"], clang_args(e))
    return [(f, d, a) for f, (d, a) in sorted(seen.items())]


def check(unit):
    file, directory, args = unit
    r = subprocess.run(args, cwd=directory, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return file, r.returncode, r.stdout


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("build_dir")
    p.add_argument("source_dir")
    p.add_argument("--jobs", type=int, default=2, help="files checked at once (default 2)")
    o = p.parse_args()
    if shutil.which("clang++") is None:
        print("clang_syntax: no clang++ on PATH: skipped (the clang package; `./smmusim test` installs it)")
        return 77
    try:
        todo = units(o.build_dir, o.source_dir)
        if not todo:
            raise BadInput(f"no translation unit of {', '.join(CHECKED_DIRS)} under {o.source_dir} "
                           f"in {o.build_dir}/compile_commands.json")
    except BadInput as e:
        print(f"clang_syntax: error: {e}", file=sys.stderr)
        return 2
    failed = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, o.jobs)) as pool:
        for file, rc, output in pool.map(check, todo):
            rel = os.path.relpath(file, o.source_dir)
            if rc != 0:
                failed.append(rel)
                print(f"--- {rel}: clang++ -fsyntax-only failed (exit {rc}):\n{output}")
    if failed:
        print(f"clang_syntax: {len(failed)} of {len(todo)} files fail clang++ -fsyntax-only "
              "(gcc accepts them; the fuzz build, with clang, would not build):")
        for f in failed:
            print(f"  {f}")
        return 1
    print(f"clang_syntax: {len(todo)} files of {', '.join(CHECKED_DIRS)} pass clang++ -fsyntax-only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
