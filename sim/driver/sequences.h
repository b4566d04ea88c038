// SPDX-License-Identifier: GPL-2.0-only
// Register-level driver sequences: what the Linux drivers write to bring up
// and use the SMMU's command queue (arm-smmu-v3.c) and the CMDQV's VINTFs and
// VCMDQs (tegra241-cmdqv.c), over an MmioBus. The one home of these
// sequences: the trace player, the test bench and the CMDQV test helpers,
// the register fuzzer and the benchmarks all use them. Only register
// definitions are needed (no platform, no trace parser).
//
// Every sequence performs all its steps even when a poll gives up (as the
// callers always did) and returns false if one did.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "mmio_bus.h"

namespace smmusim::driver {

// One command queue entry: its two 64-bit words.
using CmdWords = std::pair<uint64_t, uint64_t>;

// --- the SMMU's command queue (arm_smmu_device_reset) ----------------------
// Clears CR0.CMDQEN given what CR0 holds (`cr0`, as the driver knows it) and
// waits for CR0ACK.CMDQEN to follow.
bool smmu_cmdq_disable(MmioBus& bus, uint64_t smmu, uint32_t cr0);
// CMDQ_BASE (base | log2size), PROD = CONS = 0, then CR0.CMDQEN set by
// read-modify-write and its acknowledgement in CR0ACK.
bool smmu_cmdq_enable(MmioBus& bus, uint64_t smmu, uint64_t base, unsigned log2size);

// --- the CMDQV --------------------------------------------------------------
// Writes a CONFIG register and waits until its STATUS.ENABLED follows EN
// (tegra241_cmdqv_write_config, vintf_write_config, vcmdq_write_config).
bool write_config(MmioBus& bus, uint64_t config, uint64_t status, uint32_t value);
// CONFIG.EN of the CMDQV (tegra241_cmdqv_hw_reset's last step).
bool cmdqv_enable(MmioBus& bus, uint64_t cmdqv);
// VINTF v's VMID and HYP_OWN, then its EN (tegra241_vintf_hw_init).
bool vintf_enable(MmioBus& bus, uint64_t cmdqv, unsigned v, bool hyp_own, uint16_t vmid);
// Maps global VCMDQ q as VINTF v's LVCMDQ l (CMDQ_ALLOC; tegra241_vcmdq_map_lvcmdq).
void map_lvcmdq(MmioBus& bus, uint64_t cmdqv, unsigned q, unsigned v, unsigned l);
// Points SID pair s of VINTF v: SID_REPLACE = psid, then SID_MATCH = vsid | ENABLE.
void vintf_sid(MmioBus& bus, uint64_t cmdqv, unsigned v, unsigned s, uint32_t vsid, uint32_t psid);

// A VCMDQ's two register pages as the CPU reaches them: the global pages of
// VCMDQ q, or VINTF v's alias of its LVCMDQ l.
struct VcmdqPages {
    uint64_t page0, page1;
};
VcmdqPages global_vcmdq(uint64_t cmdqv, unsigned q);
VcmdqPages logical_vcmdq(uint64_t cmdqv, unsigned v, unsigned l);
// CONFIG.EN = 0 and STATUS following.
bool vcmdq_disable(MmioBus& bus, const VcmdqPages& at);
// PROD = CONS = 0, BASE (base | log2size), then CONFIG = config | EN and
// STATUS following (tegra241_vcmdq_hw_init).
bool vcmdq_enable(MmioBus& bus, const VcmdqPages& at, uint64_t base, unsigned log2size, uint32_t config = 0);

// --- commands ----------------------------------------------------------------
// A command queue's PROD and CONS registers as the CPU reaches them.
struct QueueRegs {
    uint64_t prod, cons;
};
QueueRegs smmu_cmdq_regs(uint64_t smmu);
QueueRegs vcmdq_regs(const VcmdqPages& at);
// Stores `cmds` into the queue of 2^log2size entries at `base`, from PROD
// `prod` on, without checking for room; returns the new PROD (not yet
// written to the hardware). False in `ok` if an entry is not in memory.
uint32_t write_commands(MmioBus& bus, uint64_t base, unsigned log2size, uint32_t prod,
                        const std::vector<CmdWords>& cmds, bool* ok = nullptr);
// Reads PROD, stores `cmds` from there on and rings the doorbell (PROD).
void submit(MmioBus& bus, const QueueRegs& regs, uint64_t base, unsigned log2size, const std::vector<CmdWords>& cmds);

}  // namespace smmusim::driver
