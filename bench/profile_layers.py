#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Shares of a perf profile by layer (bench/README.md, "How to profile").

    perf record -F 1000 --call-graph dwarf -o X.data PROGRAM ...
    perf script -i X.data -F period,ip,sym,dso | bench/profile_layers.py

Each sample counts once, for the layer of its innermost frame that belongs
to one: the C and C++ libraries (libc, libstdc++, the loader, inlined std::
code) are looked through to their caller, so a memcmp called by the trace
parser counts as parsing (their own share is also printed). Layers: SystemC
kernel (sc_core, sc_dt, tlm, the coroutine switch), model (models/),
trace player (sim/, not its parsing), parsing (lexer, trace reader,
command and kernel-operation grammars), statistics (StatGroup), kernel shim
(the upstream kernel's C functions and kernel_shim/), bench harness,
operating system, other. A heuristic over symbol names, not a proof: read
the top functions too (perf report --no-children).
"""
import re
import sys

PARSING = re.compile(r"smmusim::(Lexer|TraceReader|TraceInput|KernelOpParser|Words|Token|"
                     r"parse_|check_field_fits|split_field|command_range|\(anonymous namespace\)::KernelLine|"
                     r"cmd_syntax|cmd_expect|CmdExpect)")
STATS = re.compile(r"smmusim::(StatGroup|Stat\b|Counter|Histogram|stats)")
PLAYER = re.compile(r"smmusim::(TracePlayer|Run\b|run\b|\(anonymous namespace\)::Run|Soc::|CommandLog|"
                    r"build_stats|summary_table|OutputWriter|Timeline|Vcd)")
SYSTEMC = re.compile(r"^(sc_core::|sc_dt::|tlm::|tlm_utils::|_qt_|qt_|sc_cor_)")
LIBRARY_DSO = re.compile(r"(libc\.so|libstdc\+\+|ld-linux|libm\.so|libgcc)")


def layer(sym, dso):
    """The layer of one frame; None for a library frame (look at its caller)."""
    sym = re.sub(r"^(non-)?virtual thunk to ", "", sym)
    if "kernel.kallsyms" in dso:
        return "operating system"
    if LIBRARY_DSO.search(dso) or sym.startswith("std::") or sym.startswith("__gnu_cxx::") or "@plt" in sym:
        return None
    if dso == "inlined" and "::" not in sym:
        return None  # a C function or a lambda inlined: its container says
    if "libsystemc" in dso or SYSTEMC.search(sym):
        return "SystemC kernel"
    if sym.startswith("smmusim::bench::"):
        return "bench harness"
    if STATS.search(sym):
        return "statistics"
    if PARSING.search(sym):
        return "parsing"
    if sym.startswith("smmusim::kshim::"):
        return "kernel shim"
    if PLAYER.search(sym):
        return "trace player"
    if sym.startswith("smmusim::"):
        return "model"
    if "::" not in sym and not sym.startswith("[") and sym not in ("main", "_start"):
        return "kernel shim"  # a C function: the upstream kernel or the shim's src/
    return "other"


def samples(lines):
    """Yields (period, [(sym, dso), ...] innermost first) per sample."""
    period, frames = None, []
    for line in lines:
        if not line.strip():
            if period is not None:
                yield period, frames
            period, frames = None, []
        elif not line[0].isspace() or period is None and line.strip().isdigit():
            period, frames = int(line.split()[0]), []
        else:
            m = re.match(r"\s*[0-9a-f]+\s+(.*)\s+\(([^()]*)\)\s*$", line)
            if m:
                sym = re.sub(r"\+0x[0-9a-f]+$", "", m.group(1))
                frames.append((sym, m.group(2)))
    if period is not None:
        yield period, frames


def main():
    totals, library, total = {}, 0, 0
    for period, frames in samples(sys.stdin):
        total += period
        name = None
        for i, (sym, dso) in enumerate(frames):
            name = layer(sym, dso)
            if name is not None:
                library += period if i > 0 else 0
                break
        name = name or "other"
        totals[name] = totals.get(name, 0) + period
    if not total:
        sys.exit("profile_layers: no samples on stdin")
    for name, v in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"{100.0 * v / total:6.1f}%  {name}")
    print(f"({100.0 * library / total:.1f}% of all samples were in the C/C++ libraries, counted for their callers)")


if __name__ == "__main__":
    main()
