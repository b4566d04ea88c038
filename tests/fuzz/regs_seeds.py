#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# Writes the hand-made seeds of the register fuzzer (fuzz/regs_fuzz.cc) into
# corpus/regs_fuzz/. Each seed is a short program in the fuzzer's encoding
# (see RegsFuzzer::program); rerun after changing that encoding.
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "regs_fuzz")

# Indices into the fuzzer's command list (RegsFuzzer::enqueue).
CFGI_STE, TLBI_NH_ALL, CMD_SYNC = 1, 5, 13


def bring_up(which, log2, vintf_byte=0, batch=0):
    b = bytes([6, which, log2])
    return b if which == 0 else b + bytes([vintf_byte, batch])


def enqueue(which, cmds):
    b = bytes([5, which, len(cmds) - 1])
    for sel, dw0, dw1 in cmds:
        b += bytes([sel]) + struct.pack("<QQ", dw0, dw1)
    return b


def wait(exp, extra=0):
    return bytes([4, exp, extra])


def ack_smmu():
    return bytes([8, 1])


def ack_vcmdq(q):
    return bytes([8, 0, q])


def cr0(value):
    return bytes([11, value & 0x1F])


def irq_ctrl(value):
    return bytes([11, 0x80 | (value & 0x1F)])


def raw(write, smmu, off, size, value=0):
    b = bytes([2 if write else 3, 1 if smmu else 0]) + struct.pack("<I", off) + bytes([size - 1])
    return b + (struct.pack("<Q", value) if write else b"")


SEEDS = {
    # The SMMU CMDQ: 16 entries, a batch of TLBIs closed by a CMD_SYNC.
    "smmu-cmdq": bring_up(0, 4) + enqueue(0, [(TLBI_NH_ALL, 0, 0)] * 5 + [(CMD_SYNC, 0, 0)]) + wait(12),
    # VCMDQ 2 on host-owned VINTF 1, then a guest-owned VINTF 2 with VCMDQ 3.
    "vcmdq": bring_up(3, 5, 0x81, 4) + enqueue(3, [(TLBI_NH_ALL, 0, 0)] * 8 + [(CMD_SYNC, 0, 0)])
    + bring_up(4, 3, 0x02, 0) + enqueue(4, [(TLBI_NH_ALL, 0, 0), (CMD_SYNC, 0, 0)]) + wait(14),
    # A guest queue given a command it may not issue: CONS.ERR, GERROR, the
    # CMDQV interrupt; acknowledged, then the queue finishes.
    "vcmdq-illegal": bring_up(2, 4, 0x01, 0) + enqueue(2, [(TLBI_NH_ALL, 0, 0), (CFGI_STE, 0, 0), (CMD_SYNC, 0, 0)])
    + wait(10) + ack_vcmdq(1) + wait(10),
    # The SMMU CMDQ with an illegal opcode (raw byte, sel >= 224), gerror IRQ on.
    "smmu-illegal": irq_ctrl(1) + wait(6) + bring_up(0, 2) + enqueue(0, [(0xFF, 0x7F, 0)]) + wait(10) + ack_smmu() + wait(8),
    # Disabled and re-enabled while a batch executes.
    "disable-mid-batch": bring_up(0, 6) + enqueue(0, [(TLBI_NH_ALL, 0, 0)] * 16) + wait(2, 30) + cr0(0) + wait(4)
    + cr0(8) + wait(12),
    # A full queue: 16 commands into 4 entries.
    "overfull": bring_up(0, 2) + enqueue(0, [(TLBI_NH_ALL, 0, 0)] * 16) + wait(12),
    # Raw accesses: odd sizes and alignments, reserved space, both spaces.
    "raw": raw(True, True, 0x21, 1, 0xFF) + raw(False, True, 0x90, 8) + raw(False, True, 0x94, 4)
    + raw(True, True, 0x1FFFC, 8, ~0 & 0xFFFFFFFFFFFFFFFF) + raw(False, False, 0x10003, 2)
    + raw(True, False, 0x30000, 4, 1) + raw(False, False, 0x200000, 4),
}

os.makedirs(OUT, exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
