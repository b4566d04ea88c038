// SPDX-License-Identifier: GPL-2.0-only
// CMDQV programming sequences as the Linux driver performs them
// (tegra241_cmdqv_hw_reset, tegra241_vintf_hw_init, tegra241_vcmdq_hw_init),
// for the tests.
#pragma once

#include <vector>

#include <gtest/gtest.h>

#include "cmdqv/cmdqv_regs.h"
#include "support/testbench.h"

namespace smmusim::test {

using namespace smmusim::cmdqv;

// Global page offsets of VCMDQ q, and VINTF v's alias of LVCMDQ l.
inline uint32_t vq0(unsigned q, uint32_t r) { return kVcmdqPage0 + kVcmdqStride * q + r; }
inline uint32_t vq1(unsigned q, uint32_t r) { return kVcmdqPage1 + kVcmdqStride * q + r; }
inline uint32_t lvq0(unsigned v, unsigned l, uint32_t r) { return kVintfPages + kVintfPagesSize * v + kVcmdqStride * l + r; }
inline uint32_t lvq1(unsigned v, unsigned l, uint32_t r)
{
    return kVintfPages + kVintfPagesSize * v + kPageSize + kVcmdqStride * l + r;
}

// CONFIG.EN then poll STATUS, as tegra241_cmdqv_write_config does.
inline void write_config(TestBench& b, uint32_t config, uint32_t status, uint32_t value)
{
    b.cmdqv_wr(config, value);
    const bool en = value & 1;
    EXPECT_TRUE(b.wait_until([&] { return (b.cmdqv_rd(status) & 1) == en; }, 1000))
        << std::hex << "config " << config << " = " << value;
}

inline void enable_cmdqv(TestBench& b) { write_config(b, CONFIG, STATUS, 1); }

inline void enable_vintf(TestBench& b, unsigned v, bool hyp_own, uint16_t vmid)
{
    const uint32_t cfg = static_cast<uint32_t>(vintf_config::HYP_OWN.put(hyp_own) | vintf_config::VMID.put(vmid));
    b.cmdqv_wr(vintf(v) + VINTF_CONFIG, cfg);
    write_config(b, vintf(v) + VINTF_CONFIG, vintf(v) + VINTF_STATUS, cfg | 1);
}

inline void map_lvcmdq(TestBench& b, unsigned q, unsigned v, unsigned l)
{
    b.cmdqv_wr(cmdq_alloc(q), alloc::VINTF.put(v) | alloc::LVCMDQ.put(l) | alloc::ALLOCATED.mask());
}

// BASE through the VINTF alias, then CONFIG.EN (through the alias too).
inline void enable_lvcmdq(TestBench& b, unsigned v, unsigned l, uint64_t base, unsigned log2size, uint32_t extra = 0)
{
    b.cmdqv_wr(lvq0(v, l, VCMDQ_PROD), 0);
    b.cmdqv_wr(lvq0(v, l, VCMDQ_CONS), 0);
    b.cmdqv_wr(lvq1(v, l, VCMDQ_BASE), base | log2size, 8);
    write_config(b, lvq0(v, l, VCMDQ_CONFIG), lvq0(v, l, VCMDQ_STATUS), extra | 1);
}

// Writes commands at the queue's PROD and rings PROD through VINTF v's page.
inline void submit_lvcmdq(TestBench& b, unsigned v, unsigned l, uint64_t base, unsigned log2size,
                          const std::vector<std::pair<uint64_t, uint64_t>>& cmds)
{
    smmuv3::QueueGeometry g{log2size};
    uint32_t prod = static_cast<uint32_t>(b.cmdqv_rd(lvq0(v, l, VCMDQ_PROD))) & g.ptr_mask();
    for (const auto& c : cmds) {
        b.put_cmd(base, g.idx(prod), c.first, c.second);
        prod = g.inc(prod);
    }
    b.cmdqv_wr(lvq0(v, l, VCMDQ_PROD), prod);
}

}  // namespace smmusim::test
