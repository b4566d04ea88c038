// SPDX-License-Identifier: GPL-2.0-only
#include "probe_dma_budget.h"

#include <algorithm>

#include <fmt/format.h>

namespace smmusim::kshim {

namespace {

// The shim's kernel configuration: 4 KiB pages, MAX_PAGE_ORDER 10, so the
// driver caps each queue at Q_MAX_SZ_SHIFT = 22 bits (4 MiB) of bytes.
constexpr unsigned kQueueMaxBytesLog2 = 22;
constexpr uint64_t kPage = 4096;
constexpr uint64_t kSteBytes = 64;  // struct arm_smmu_ste

// A queue of 2^log2_entries entries of `entry_bytes`, as
// arm_smmu_init_one_queue() sizes it (at least a page from the pool).
uint64_t queue_bytes(uint64_t log2_entries, uint64_t entry_bytes)
{
    unsigned entry_log2 = 0;
    while ((1ull << entry_log2) < entry_bytes)
        entry_log2++;
    const uint64_t shift = std::min<uint64_t>(log2_entries, kQueueMaxBytesLog2 - entry_log2);
    return std::max<uint64_t>(kPage, (uint64_t{1} << shift) * entry_bytes);
}

std::string size_text(uint64_t b)
{
    if (b % (1ull << 20) == 0)
        return fmt::format("{} MiB", b >> 20);
    if (b % 1024 == 0)
        return fmt::format("{} KiB", b >> 10);
    return fmt::format("{} bytes", b);
}

}  // namespace

std::string check_probe_dma_budget(const Config& cfg, uint64_t pool_bytes)
{
    const uint64_t cmdqs = cfg.u64("smmu.idr.cmdqs"), evtqs = cfg.u64("smmu.idr.evtqs");
    const uint64_t sidsize = cfg.u64("smmu.idr.sidsize");
    const bool linear = !cfg.flag("smmu.idr.st_2lvl") || sidsize <= 8;  // the driver's STRTAB_SPLIT
    const uint64_t cmdq = queue_bytes(cmdqs, 16), evtq = queue_bytes(evtqs, 32);
    // A linear table of 2^SIDSIZE STEs (past 2^26 bytes' worth, the
    // driver's 32-bit size wraps: refused as too large all the same);
    // a 2-level table's level 1 is small, its level 2 comes later.
    const uint64_t strtab = linear ? (sidsize >= 32 ? ~0ull : (1ull << sidsize) * kSteBytes) : 0;
    // tegra241-cmdqv: VINTF0, the host's, gets num_vcmdqs / num_vintfs
    // LVCMDQs, each a command queue of its own.
    uint64_t lvcmdqs = 0;
    if (cfg.flag("cmdqv.present"))
        lvcmdqs = 1ull << (cfg.u64("cmdqv.vcmdqs_log2") - std::min(cfg.u64("cmdqv.vintfs_log2"),
                                                                   cfg.u64("cmdqv.vcmdqs_log2")));
    const uint64_t queues = (1 + lvcmdqs) * cmdq + evtq;
    if (strtab != ~0ull && queues + strtab <= pool_bytes)
        return "";
    std::string what = fmt::format("the SMMU's command queue ({}: smmu.idr.cmdqs = {}) and event queue ({}: "
                                   "smmu.idr.evtqs = {})",
                                   size_text(cmdq), cmdqs, size_text(evtq), evtqs);
    if (lvcmdqs)
        what += fmt::format(", VINTF0's {} LVCMDQs of {} each (2^cmdqv.vcmdqs_log2 / 2^cmdqv.vintfs_log2 = "
                            "2^{} / 2^{})",
                            lvcmdqs, size_text(cmdq), cfg.u64("cmdqv.vcmdqs_log2"), cfg.u64("cmdqv.vintfs_log2"));
    if (linear)
        what += strtab == ~0ull ? fmt::format(", a linear stream table of 2^{} STEs (smmu.idr.sidsize = {}, "
                                              "smmu.idr.st_2lvl = false)",
                                              sidsize, sidsize)
                                : fmt::format(", a linear stream table of {} (2^{} STEs: smmu.idr.sidsize = {}, "
                                              "smmu.idr.st_2lvl = false)",
                                              size_text(strtab), sidsize, sidsize);
    const std::string need = strtab == ~0ull ? "more than 2^32 bytes" : size_text(queues + strtab);
    return fmt::format("the driver's probe would exhaust the kernel shim's DMA pool of {}: {} need {} before "
                       "anything else is allocated; give fewer or smaller queues (a larger "
                       "cmdqv.vintfs_log2, a smaller cmdqv.vcmdqs_log2 or smmu.idr.cmdqs) or a smaller or "
                       "2-level stream table",
                       size_text(pool_bytes), what, need);
}

}  // namespace smmusim::kshim
