// SPDX-License-Identifier: GPL-2.0-only
// CMDQV programming for the tests: the driver sequences of
// sim/driver/sequences.h (tegra241_cmdqv_hw_reset, tegra241_vintf_hw_init,
// tegra241_vcmdq_hw_init) on the test bench, with offsets relative to the
// CMDQV's base and every handshake expected to complete.
#pragma once

#include <vector>

#include <gtest/gtest.h>

#include "cmdqv/cmdqv.h"
#include "cmdqv/cmdqv_regs.h"
#include "driver/sequences.h"
#include "support/testbench.h"

namespace smmusim::test {

using namespace smmusim::cmdqv;

// Register r of global VCMDQ q's page 0 / page 1, and of VINTF v's alias of
// its LVCMDQ l (cmdqv_regs.h's helpers, named short for the tests).
inline uint32_t vq0(unsigned q, uint32_t r) { return vcmdq_page0(q) + r; }
inline uint32_t vq1(unsigned q, uint32_t r) { return vcmdq_page1(q) + r; }
inline uint32_t lvq0(unsigned v, unsigned l, uint32_t r) { return lvcmdq_page0(v, l) + r; }
inline uint32_t lvq1(unsigned v, unsigned l, uint32_t r) { return lvcmdq_page1(v, l) + r; }

// CONFIG.EN then poll STATUS, as tegra241_cmdqv_write_config does.
inline void write_config(TestBench& b, uint32_t config, uint32_t status, uint32_t value)
{
    EXPECT_TRUE(driver::write_config(b, b.cmdqv_base() + config, b.cmdqv_base() + status, value))
        << std::hex << "config " << config << " = " << value;
}

inline void enable_cmdqv(TestBench& b) { EXPECT_TRUE(driver::cmdqv_enable(b, b.cmdqv_base())); }

inline void enable_vintf(TestBench& b, unsigned v, bool hyp_own, uint16_t vmid)
{
    EXPECT_TRUE(driver::vintf_enable(b, b.cmdqv_base(), v, hyp_own, vmid)) << "VINTF " << v;
}

inline void map_lvcmdq(TestBench& b, unsigned q, unsigned v, unsigned l)
{
    driver::map_lvcmdq(b, b.cmdqv_base(), q, v, l);
}

// BASE through the VINTF alias, then CONFIG.EN (through the alias too).
inline void enable_lvcmdq(TestBench& b, unsigned v, unsigned l, uint64_t base, unsigned log2size, uint32_t extra = 0)
{
    EXPECT_TRUE(driver::vcmdq_enable(b, driver::logical_vcmdq(b.cmdqv_base(), v, l), base, log2size, extra))
        << "VINTF " << v << " LVCMDQ " << l;
}

// VINTF v with its VMID, its LVCMDQ0 = global VCMDQ q, a 16-entry queue at
// `base` (the CMDQV enabled first if it is not yet).
inline void bring_up_lvcmdq0(TestBench& b, unsigned v, bool hyp_own, uint16_t vmid, unsigned q, uint64_t base)
{
    if (!b.soc().cmdqv().enabled())
        enable_cmdqv(b);
    enable_vintf(b, v, hyp_own, vmid);
    map_lvcmdq(b, q, v, 0);
    enable_lvcmdq(b, v, 0, base, 4);
}

// What the host driver brings up first: VINTF0 (the host's own, HYP_OWN,
// VMID 0) with VCMDQ0 as its LVCMDQ0 at DRAM + 3 MiB; that base.
inline uint64_t enable_host_lvcmdq0(TestBench& b)
{
    const uint64_t base = b.dram(0x300000);
    bring_up_lvcmdq0(b, 0, true, 0, 0, base);
    return base;
}

// Writes commands at the queue's PROD and rings PROD through VINTF v's page.
inline void submit_lvcmdq(TestBench& b, unsigned v, unsigned l, uint64_t base, unsigned log2size,
                          const std::vector<std::pair<uint64_t, uint64_t>>& cmds)
{
    driver::submit(b, driver::vcmdq_regs(driver::logical_vcmdq(b.cmdqv_base(), v, l)), base, log2size, cmds);
}

}  // namespace smmusim::test
