// SPDX-License-Identifier: GPL-2.0-only
// The Router as another platform wires it: from sc_main (each test body runs
// there), with blocking transport, DMI (regions translated between the
// initiators' and the targets' addresses, clipped to the window) and DMI
// invalidation passed back to every initiator.
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "platform/memory.h"
#include "platform/router.h"
#include "support/tlm_parts.h"

using namespace smmusim;
using smmusim::test::LocalRam;
using smmusim::test::TestInitiator;

namespace {

constexpr uint64_t kFabricMhz = 1000;  // 1 ns cycles

sc_core::sc_time ns(uint64_t n) { return sc_core::sc_time(static_cast<double>(n), sc_core::SC_NS); }

}  // namespace

TEST(Router, WiredFromScMain)
{
    ClockDomain clk("fabric", kFabricMhz);
    Router bus("bus", clk, BusParams{});
    LocalRam a("a", 0x1000), b("b", 0x1000);
    uint32_t got = 0;
    tlm::tlm_response_status hole = tlm::TLM_INCOMPLETE_RESPONSE;
    sc_core::sc_time took;
    TestInitiator cpu("cpu", [&] {
        uint32_t v = 0xfeedcafe;
        const sc_core::sc_time t0 = sc_core::sc_time_stamp();
        EXPECT_EQ(cpu.access(true, 0x20010, &v, 4), tlm::TLM_OK_RESPONSE);
        took = sc_core::sc_time_stamp() - t0;
        memcpy(&a.bytes[4], &v, 4);
        EXPECT_EQ(cpu.access(false, 0x10004, &got, 4), tlm::TLM_OK_RESPONSE);
        hole = cpu.access(false, 0x30000, &v, 4);
    });
    cpu.socket.bind(bus.in);
    bus.map("a", 0x10000, 0x1000).bind(a.socket);
    bus.map("b", 0x20000, 0x1000)(b.socket);
    EXPECT_THROW(bus.map("overlap", 0x10800, 0x1000), std::invalid_argument);
    sc_core::sc_start();

    uint32_t in_b;
    memcpy(&in_b, &b.bytes[0x10], 4);
    EXPECT_EQ(in_b, 0xfeedcafeu);  // relative window: offset 0x10 of b
    EXPECT_EQ(got, 0xfeedcafeu);
    EXPECT_EQ(hole, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(took, clk.cycles(BusParams{}.latency_cycles) + ns(LocalRam::kLatencyNs));
    ASSERT_EQ(bus.memory_map().size(), 2u);
    EXPECT_EQ(bus.decode(0x20fff), 1);
    EXPECT_EQ(bus.decode(0x21000), -1);
}

TEST(Router, AnUnboundWindowIsAnElaborationError)
{
    // The report is displayed and cached instead of thrown, so the run goes
    // on and the window answers as a hole.
    sc_core::sc_report_handler::set_actions("smmusim/router", sc_core::SC_ERROR,
                                            sc_core::SC_DISPLAY | sc_core::SC_CACHE_REPORT);
    ClockDomain clk("fabric", kFabricMhz);
    Router bus("bus", clk, BusParams{});
    LocalRam ram("ram", 0x1000);
    tlm::tlm_response_status unbound = tlm::TLM_INCOMPLETE_RESPONSE;
    TestInitiator cpu("cpu", [&] {
        uint32_t v = 0;
        unbound = cpu.access(false, 0x10000, &v, 4);
    });
    cpu.socket.bind(bus.in);
    bus.map("nobody", 0x10000, 0x1000);
    bus.map("ram", 0x20000, 0x1000).bind(ram.socket);
    sc_core::sc_start();
    EXPECT_EQ(sc_core::sc_report_handler::get_count("smmusim/router"), 1);
    const sc_core::sc_report* r = sc_core::sc_report_handler::get_cached_report();
    ASSERT_NE(r, nullptr);
    EXPECT_NE(std::string(r->get_msg()).find("bus: window nobody is mapped but not bound"), std::string::npos)
        << r->get_msg();
    EXPECT_EQ(unbound, tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

TEST(Router, DmiRegionsAreTranslatedAndClippedToTheWindow)
{
    ClockDomain clk("fabric", kFabricMhz);
    Router bus("bus", clk, BusParams{});
    MemoryParams mp;
    Memory mem("dram", clk, mp);
    mem.add_region(mp.dram_base, 1 << 20);
    LocalRam ram("ram", 0x2000), regs("regs", 0x100, false);
    tlm::tlm_dmi in_ram, in_mem, in_hole, in_regs;
    bool got_ram = false, got_mem = false, got_hole = true, got_regs = true;
    TestInitiator cpu("cpu", [&] {
        got_ram = cpu.dmi(0x40010, in_ram);
        got_mem = cpu.dmi(mp.dram_base + 0x1800, in_mem);
        got_hole = cpu.dmi(0x50000, in_hole);
        got_regs = cpu.dmi(0x60010, in_regs);
    });
    cpu.socket.bind(bus.in);
    bus.map("ram", 0x40000, 0x1000).bind(ram.socket);  // shows half of the RAM
    bus.map("dram", mp.dram_base + 0x1000, 0x2000, false).bind(mem.socket);
    bus.map("regs", 0x60000, 0x100).bind(regs.socket);
    sc_core::sc_start();

    // Relative window: local 0 is 0x40000; the RAM's 8 KiB are cut to 4 KiB.
    ASSERT_TRUE(got_ram);
    EXPECT_EQ(in_ram.get_start_address(), 0x40000u);
    EXPECT_EQ(in_ram.get_end_address(), 0x40fffu);
    EXPECT_EQ(in_ram.get_dmi_ptr(), ram.bytes.data());
    EXPECT_TRUE(in_ram.is_read_write_allowed());
    EXPECT_EQ(in_ram.get_read_latency(), ns(LocalRam::kLatencyNs) + clk.cycles(BusParams{}.latency_cycles));
    EXPECT_EQ(in_ram.get_write_latency(), ns(LocalRam::kLatencyNs) + clk.cycles(BusParams{}.latency_cycles));

    // Absolute window on a larger DRAM region: the pointer moves with the start.
    ASSERT_TRUE(got_mem);
    EXPECT_EQ(in_mem.get_start_address(), mp.dram_base + 0x1000);
    EXPECT_EQ(in_mem.get_end_address(), mp.dram_base + 0x2fff);
    EXPECT_EQ(in_mem.get_dmi_ptr(), mem.host_ptr(mp.dram_base + 0x1000, 1));

    // No window: no DMI in the whole hole around the address.
    EXPECT_FALSE(got_hole);
    EXPECT_EQ(in_hole.get_start_address(), 0x41000u);
    EXPECT_EQ(in_hole.get_end_address(), 0x5ffffu);
    // A target that grants none: none in its window.
    EXPECT_FALSE(got_regs);
    EXPECT_EQ(in_regs.get_start_address(), 0x60000u);
    EXPECT_EQ(in_regs.get_end_address(), 0x600ffu);
}

TEST(Router, DmiInvalidationReachesEveryInitiatorInItsAddresses)
{
    ClockDomain clk("fabric", kFabricMhz);
    Router bus("bus", clk, BusParams{});
    LocalRam ram("ram", 0x2000), other("other", 0x1000);
    TestInitiator cpu0("cpu0", [&] {
        ram.invalidate(0x100, 0x1ff);
        ram.invalidate(0, ~0ull);         // all of it: what the window shows
        ram.invalidate(0x1800, 0x1fff);   // beyond the window: nobody is told
        other.invalidate(0x10, 0x10);
    });
    TestInitiator cpu1("cpu1", [] {});
    cpu0.socket.bind(bus.in);
    cpu1.socket.bind(bus.in);
    bus.map("other", 0x10000, 0x1000).bind(other.socket);
    bus.map("ram", 0x40000, 0x1000).bind(ram.socket);
    sc_core::sc_start();

    const std::vector<std::pair<uint64_t, uint64_t>> want = {
        {0x40100, 0x401ff}, {0x40000, 0x40fff}, {0x10010, 0x10010}};
    EXPECT_EQ(cpu0.invalidations, want);
    EXPECT_EQ(cpu1.invalidations, want);
}
