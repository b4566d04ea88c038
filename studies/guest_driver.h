// SPDX-License-Identifier: GPL-2.0-only
// The guest's side of an unmap in the study "VCMDQ vs trapped": a small
// model of what Linux's arm-smmu-v3 driver (7.3) issues for one
// iommu_unmap() of a stage-1 domain, written from the driver's algorithm
// (arm-smmu-v3.c: __arm_smmu_domain_inv_range for one INV_TYPE_S1_ASID
// entry, arm_smmu_inv_to_cmdq_batch, arm_smmu_cmdq_batch_add_range,
// arm_smmu_cmdq_batch_add_cmd_p, arm_smmu_cmdq_batch_submit):
//   - io-pgtable gathers the unmapped pages (strict mode), so
//     arm_smmu_iotlb_sync invalidates [iova, iova + size) once, leaf, with
//     the domain's granule;
//   - with IDR3.RIL, range TLBI_NH_VAs (IHI 0070 4.4.1.1: TG, SCALE, NUM,
//     TTL), each covering 5 bits' worth of the remaining page count;
//     without it one TLBI_NH_VA per granule, or a single TLBI_NH_ASID once
//     the range reaches MAX_TLBI_OPS granules (arm_smmu_inv_size_too_big);
//   - commands are batched CMDQ_BATCH_ENTRIES (64) at a time: a full batch
//     is issued without a sync, the last one with CMD_SYNC.
// It is a simpler model than running the real arm-smmu-v3 as a second,
// guest, kernel instance (the shim's kernel is one instance with global
// state): no errata options (ARM_SMMU_OPT_CMDQ_FORCE_SYNC, the repeated
// TLBI/CFGI erratum), no ATS, no nested S2 entries, one ASID per domain.
// It does not time anything: the study turns its submissions into trace
// lines (vcmdq_vs_trap_trace.h).
#pragma once

#include <cstdint>
#include <vector>

#include "smmuv3/commands.h"

namespace smmusim::studies {

// Linux's CMDQ_BATCH_ENTRIES (BITS_PER_LONG on arm64).
inline constexpr unsigned kCmdqBatchEntries = 64;

// One iommu_unmap() as arm_smmu_iotlb_sync() hands it to the invalidation.
struct GuestUnmap {
    uint64_t iova = 0;
    uint64_t size = 0;          // bytes; 0 or SIZE_MAX: invalidate the whole ASID
    unsigned granule_log2 = 12; // the gather's page size (the mapping's leaf size)
    unsigned pgsize_log2 = 12;  // the domain's smallest page size (the TG of range TLBIs)
    uint16_t asid = 0;
    bool leaf = true;
};

// What the guest's driver knows of its SMMU.
struct GuestSmmu {
    bool ril = true;  // IDR3.RIL: range invalidation
};

// One arm_smmu_cmdq_issue_cmdlist(): the commands, then a CMD_SYNC when
// `sync` (written in the same reservation, rung with one PROD write).
struct Submission {
    std::vector<smmuv3::EncodedCommand> cmds;
    bool sync = false;
};

// The submissions, in order, of the invalidation of one unmap.
std::vector<Submission> guest_unmap_invalidation(const GuestSmmu& smmu, const GuestUnmap& u);

// Commands of all submissions (CMD_SYNCs not included).
unsigned command_count(const std::vector<Submission>& subs);

}  // namespace smmusim::studies
