// SPDX-License-Identifier: GPL-2.0-only
// Debug transport (transport_dbg) of every memory-mapped model, through the
// Router as a debugger reaches them: register reads in zero time with no side
// effect (no statistics, no state change) that agree with timed reads; debug
// writes refused (see models/platform/reg_target.h).
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "cmdqv/cmdqv.h"
#include "platform/memory.h"
#include "platform/router.h"
#include "smmuv3/smmuv3.h"
#include "support/tlm_parts.h"

using namespace smmusim;
using smmusim::test::TestInitiator;

namespace {

constexpr uint64_t kSmmuBase = 0x100000, kCmdqvBase = 0x1000000;

// The models on one bus, wired as another platform's sc_main would.
struct Platform {
    explicit Platform(std::function<void(TestInitiator&)> steps)
        : clk("smmu", 1000), bus("bus", clk, BusParams{}), smmu("smmu", clk, Smmuv3Params{}),
          cmdqv("cmdqv", clk, CmdqvParams{}, smmu), cpu("cpu", [this, steps] { steps(cpu); })
    {
        cpu.socket.bind(bus.in);
        smmu.dma.bind(bus.in);
        cmdqv.dma.bind(bus.in);
        bus.map("smmu", kSmmuBase, smmuv3::kRegSpaceSize).bind(smmu.regs);
        bus.map("cmdqv", kCmdqvBase, cmdqv.size()).bind(cmdqv.regs);
    }
    ClockDomain clk;
    Router bus;
    Smmuv3 smmu;
    Cmdqv cmdqv;
    TestInitiator cpu;
};

}  // namespace

TEST(DebugTransport, SmmuRegistersReadWithNoSideEffect)
{
    uint32_t idr[6] = {};
    unsigned read = 0, wrote = 1, misaligned = 1, odd = 1, past = 1;
    uint64_t timed_reads = 1;
    Platform* pp = nullptr;
    Platform p([&](TestInitiator& cpu) {
        read = cpu.debug(false, kSmmuBase + smmuv3::IDR0, idr, sizeof idr);
        uint32_t v = smmuv3::cr0::CMDQEN.mask();
        wrote = cpu.debug(true, kSmmuBase + smmuv3::CR0, &v, 4);
        misaligned = cpu.debug(false, kSmmuBase + 2, &v, 4);
        odd = cpu.debug(false, kSmmuBase, idr, 6);
        uint64_t w;
        past = cpu.debug(false, kSmmuBase + smmuv3::kRegSpaceSize - 4, &w, 8);
        timed_reads = pp->smmu.stats().value("reg_reads");
    });
    pp = &p;
    sc_core::sc_start();
    EXPECT_EQ(read, sizeof idr);
    for (unsigned n = 0; n < 6; n++)
        EXPECT_EQ(idr[n], p.smmu.idr(n)) << "IDR" << n;
    EXPECT_EQ(wrote, 0u);
    EXPECT_EQ(p.smmu.bank().get(smmuv3::CR0), 0u);
    EXPECT_EQ(misaligned, 0u);
    EXPECT_EQ(odd, 0u);
    EXPECT_EQ(past, 0u);
    EXPECT_EQ(timed_reads, 0u);
    EXPECT_EQ(sc_core::sc_time_stamp(), sc_core::SC_ZERO_TIME);
}

TEST(DebugTransport, CmdqvRegistersAgreeWithTimedReads)
{
    // The config page, a VCMDQ's page 0 and page 1, a VINTF's logical page
    // with no VCMDQ mapped (RAZ), and a 64-byte block.
    const std::vector<uint32_t> offsets = {
        cmdqv::CONFIG, cmdqv::PARAM, cmdqv::STATUS, cmdqv::cmdq_alloc(1), cmdqv::vintf(0) + cmdqv::VINTF_CONFIG,
        cmdqv::kVcmdqPage0 + cmdqv::kVcmdqStride + cmdqv::VCMDQ_CONS, cmdqv::kVcmdqPage1 + cmdqv::kVcmdqStride,
        cmdqv::kVintfPages};
    std::vector<uint32_t> debug(offsets.size()), timed(offsets.size());
    uint32_t block[16] = {}, block_timed[16] = {};
    unsigned block_read = 0, wrote = 1;
    uint64_t reads_before = 1;
    Platform* pp = nullptr;
    Platform p([&](TestInitiator& cpu) {
        uint32_t alloc = cmdqv::alloc::ALLOCATED.mask();
        ASSERT_EQ(cpu.access(true, kCmdqvBase + cmdqv::cmdq_alloc(1), &alloc, 4), tlm::TLM_OK_RESPONSE);
        reads_before = pp->cmdqv.stats().value("reg_reads");
        for (size_t i = 0; i < offsets.size(); i++)
            EXPECT_EQ(cpu.debug(false, kCmdqvBase + offsets[i], &debug[i], 4), 4u);
        block_read = cpu.debug(false, kCmdqvBase, block, sizeof block);
        EXPECT_EQ(pp->cmdqv.stats().value("reg_reads"), reads_before);
        uint32_t v = 1;
        wrote = cpu.debug(true, kCmdqvBase + cmdqv::CONFIG, &v, 4);
        for (size_t i = 0; i < offsets.size(); i++)
            EXPECT_EQ(cpu.access(false, kCmdqvBase + offsets[i], &timed[i], 4), tlm::TLM_OK_RESPONSE);
        for (unsigned w = 0; w < 16; w++)
            EXPECT_EQ(cpu.access(false, kCmdqvBase + 4 * w, &block_timed[w], 4), tlm::TLM_OK_RESPONSE);
    });
    pp = &p;
    sc_core::sc_start();
    EXPECT_EQ(debug, timed);
    EXPECT_NE(debug[3], 0u);  // CMDQ_ALLOC1 as written
    EXPECT_EQ(block_read, sizeof block);
    for (unsigned w = 0; w < 16; w++)
        EXPECT_EQ(block[w], block_timed[w]) << "word " << w;
    EXPECT_EQ(wrote, 0u);
    EXPECT_EQ(p.cmdqv.bank().get(cmdqv::CONFIG), 0u);
}

TEST(DebugTransport, MemoryReadsAndWritesThroughTheRouter)
{
    ClockDomain clk("fabric", 1000);
    Router bus("bus", clk, BusParams{});
    MemoryParams mp;
    Memory mem("dram", clk, mp);
    mem.add_region(mp.dram_base, 1 << 20);
    uint64_t in = 0x1122334455667788ull, out = 0;
    unsigned wrote = 0, read = 0;
    TestInitiator cpu("cpu", [&] {
        wrote = cpu.debug(true, mp.dram_base + 0x100, &in, 8);
        read = cpu.debug(false, mp.dram_base + 0x100, &out, 8);
    });
    cpu.socket.bind(bus.in);
    bus.map("dram", mp.dram_base, 1 << 20, false).bind(mem.socket);
    sc_core::sc_start();
    EXPECT_EQ(wrote, 8u);
    EXPECT_EQ(read, 8u);
    EXPECT_EQ(out, in);
    EXPECT_EQ(mem.stats().value("reads"), 0u);
    EXPECT_EQ(sc_core::sc_time_stamp(), sc_core::SC_ZERO_TIME);
}
