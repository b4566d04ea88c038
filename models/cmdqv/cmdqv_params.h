// SPDX-License-Identifier: GPL-2.0-only
// Every figure of the CMDQV model. Sizes default to what Linux reads on
// Grace (PARAM: 64 VINTFs, 128 VCMDQs, 16 SIDs per VINTF); NVIDIA publishes
// no timing, so every cost is "assumed" and meant to be calibrated.
#pragma once

#include <string>

#include "../platform/params.h"

namespace smmusim {

// cmdqv.vcmdq.sev: which VCMDQ events send SEV besides the queue leaving
// full (models/cmdqv/README.md, "Wake-up events"). A parameter of text
// (`--set cmdqv.vcmdq.sev=cons`), read into this enumeration; a value that
// is none of the three is a ConfigError naming the key.
enum class VcmdqSev : uint8_t { Cons, Sync, None };
template <> struct ParamKindOf<VcmdqSev> { static constexpr ParamKind kind = ParamKind::Str; };
std::string param_default_text(VcmdqSev v);
template <> VcmdqSev Config::get<VcmdqSev>(const std::string& name) const;

#define SMMUSIM_CMDQV_PARAMS(X)                                                                           \
    X(bool, present, "cmdqv.present", true, 0, 1, "bool", "instantiate the CMDQV next to the SMMU",      \
      "platform choice")                                                                                  \
    X(uint64_t, vintfs_log2, "cmdqv.vintfs_log2", 6, 0, 6, "log2", "PARAM.NUM_VINTF_LOG2: VINTFs",         \
      "Grace: 64 VINTFs")                                                                                 \
    X(uint64_t, vcmdqs_log2, "cmdqv.vcmdqs_log2", 7, 0, 7, "log2", "PARAM.NUM_VCMDQ_LOG2: VCMDQs",         \
      "Grace: 128 VCMDQs (so 2 LVCMDQs per VINTF)")                                                       \
    X(uint64_t, sids_log2, "cmdqv.sids_per_vintf_log2", 4, 0, 4, "log2",                                 \
      "PARAM.NUM_SID_PER_VM_LOG2: SID_MATCH/SID_REPLACE pairs per VINTF", "Grace: 16")                     \
    X(uint64_t, version, "cmdqv.version", 1, 0, 15, "value", "PARAM.VER",                                                          \
      "assumed: tegra241-cmdqv.c defines CMDQV_VER and never reads it, so any value serves")                       \
    X(uint64_t, reg_cycles, "cmdqv.reg_cycles", 2, 0, 10000, "cycles", "register read/write at the CMDQV", \
      "assumed: as smmu.reg_cycles")                                                                                          \
    X(uint64_t, enable_cycles, "cmdqv.enable_cycles", 16, 1, 1000000, "cycles",                          \
      "CONFIG.EN write until STATUS follows (CMDQV, VINTF and VCMDQ alike)",                                \
      "assumed: as smmu.cr0ack_cycles; the driver polls STATUS up to ARM_SMMU_POLL_TIMEOUT_US (tegra241-cmdqv.c)")                    \
    X(uint64_t, batch, "cmdqv.vcmdq.batch", 4, 1, 255, "commands",                                        \
      "commands per VCMDQ read burst when CONFIG.CMDQ_MAX_CMD_BATCH = 0", "assumed: one 64-byte line, as smmu.cmdq.batch")        \
    X(VcmdqSev, vcmdq_sev, "cmdqv.vcmdq.sev", VcmdqSev::Sync, 0, 2, "cons/sync/none",                  \
      "which VCMDQ events send a WFE wake-up event (SEV): cons = every CONS advance, sync = a CMD_SYNC's "   \
      "completion (any CS), none = no other; a queue leaving full always sends one",                        \
      "assumed: NVIDIA does not say; sync puts it where IHI 0070 4.7.3 puts the SMMU CMDQ's (CMD_SYNC "      \
      "CS=SIG_SEV; Linux issues VCMDQ CMD_SYNCs with CS=NONE and waits for CONS with WFE when IDR0.SEV), "   \
      "4.1.2 the queue leaving full")                                                                      \
    X(uint64_t, filter_cycles, "cmdqv.filter_cycles", 1, 0, 1000, "cycles",                               \
      "guest-command check and VMID/SID substitution, per command of a guest-owned VCMDQ",                 \
      "assumed: one cycle, a field compare and substitution in the fetch path")

SMMUSIM_PARAM_STRUCT(CmdqvParams, SMMUSIM_CMDQV_PARAMS);

// Keys this model had once: setting one says what replaced it.
void retire_cmdqv_params(Config& cfg);

}  // namespace smmusim
