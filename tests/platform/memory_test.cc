// SPDX-License-Identifier: GPL-2.0-only
#include <gtest/gtest.h>

#include <string>

#include <fmt/format.h>

#include "platform/quiet.h"
#include "support/in_child.h"
#include "support/testbench.h"

using namespace smmusim;
using smmusim::test::TestBench;

namespace {

// A timed CPU access through the interconnect; returns the TLM status.
tlm::tlm_response_status cpu_access(Soc& soc, uint64_t pa, void* buf, unsigned len, bool write)
{
    tlm::tlm_generic_payload gp;
    gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp.set_address(pa);
    gp.set_data_ptr(static_cast<unsigned char*>(buf));
    gp.set_data_length(len);
    gp.set_streaming_width(len);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time d = sc_core::SC_ZERO_TIME;
    soc.cpu_bus->b_transport(gp, d);
    if (d != sc_core::SC_ZERO_TIME)
        sc_core::wait(d);
    return gp.get_response_status();
}

// Thread A reads 8 bytes issued 10 cycles ahead (arrival at 14, after the
// bus hop; done at 14 + 40 + 1 = 55); thread B wakes at 20, inside A's
// access, writes those bytes (arrival 24, after A's beat: done at 65) and
// reads them back. A arrives inside the quiet window (before B's wake-up)
// and ends after it: one wait of A's, with the data and the data port as A
// found them at its arrival. The same with windows off (the step model).
std::string arrival_inside_window(bool quiet)
{
    quiet_windows() = quiet;
    TestBench b;
    std::string log;
    b.run([&] {
        const uint64_t t0 = b.now();
        const uint64_t old = 0x1111, fresh = 0x2222;
        b.mem().write(b.dram(0x80), &old, 8);
        sc_core::sc_event b_done;
        sc_core::sc_spawn_options opts;
        opts.set_stack_size(TestBench::kStackBytes);
        sc_core::sc_spawn(
            [&] {
                sc_core::wait(b.smmu().clock().cycles(20));
                uint64_t w = fresh, r = 0;
                cpu_access(b.soc(), b.dram(0x80), &w, 8, true);
                log += fmt::format("B wrote at {}\n", b.now() - t0);
                cpu_access(b.soc(), b.dram(0x80), &r, 8, false);
                log += fmt::format("B read {:#x} at {}\n", r, b.now() - t0);
                b_done.notify();
            },
            "b", &opts);
        uint64_t r = 0;
        tlm::tlm_generic_payload gp;
        gp.set_command(tlm::TLM_READ_COMMAND);
        gp.set_address(b.dram(0x80));
        gp.set_data_ptr(reinterpret_cast<unsigned char*>(&r));
        gp.set_data_length(8);
        gp.set_streaming_width(8);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_core::sc_time d = b.smmu().clock().cycles(10);
        b.soc().cpu_bus->b_transport(gp, d);
        if (d != sc_core::SC_ZERO_TIME)
            sc_core::wait(d);
        log += fmt::format("A read {:#x} at {}\n", r, b.now() - t0);
        sc_core::wait(b_done);
    });
    log += fmt::format("reads {} writes {} finished {}\n", b.mem().stats().value("reads"),
                       b.mem().stats().value("writes"), b.finished());
    return log;
}

}  // namespace

TEST(Memory, BackdoorAndTimedAccessSeeTheSameBytes)
{
    TestBench b;
    b.run([&] {
        uint64_t v = 0x0123456789abcdefull, r = 0;
        ASSERT_TRUE(b.mem().write(b.dram(0x40), &v, 8));
        EXPECT_EQ(cpu_access(b.soc(), b.dram(0x40), &r, 8, false), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(r, v);
        r = 0x55;
        EXPECT_EQ(cpu_access(b.soc(), b.dram(0x48), &r, 8, true), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(b.get64(b.dram(0x48)), 0x55u);
        EXPECT_EQ(b.mem().pa_of(b.mem().host_ptr(b.dram(0x48), 8)), b.dram(0x48));
    });
    EXPECT_TRUE(b.finished());
}

TEST(Memory, LatencyAndTransferTimeAreExact)
{
    // Defaults: bus hop 4 + DRAM 40 + ceil(64 / 32) = 2 beats = 46 cycles.
    TestBench b;
    b.run([&] {
        uint8_t buf[96];
        const uint64_t t0 = b.now();
        cpu_access(b.soc(), b.dram(), buf, 64, false);
        EXPECT_EQ(b.now() - t0, 46u);
        const uint64_t t1 = b.now();
        cpu_access(b.soc(), b.dram(), buf, 65, false);  // 3 beats
        EXPECT_EQ(b.now() - t1, 47u);
    });
    EXPECT_TRUE(b.finished());
}

TEST(Memory, BandwidthIsSharedInArrivalOrder)
{
    // Two 320-byte reads issued at the same time: 10 beats each. The first
    // finishes after 4 + 40 + 10 = 54 cycles; the second waits for the data
    // port (10 beats) and finishes at 4 + 10 + 40 + 10 = 64.
    TestBench b;
    uint64_t done2 = 0;
    b.run([&] {
        const uint64_t t0 = b.now();
        sc_core::sc_event ev;
        sc_core::sc_spawn_options opts;
        opts.set_stack_size(TestBench::kStackBytes);
        sc_core::sc_spawn(
            [&] {
                uint8_t buf[320];
                cpu_access(b.soc(), b.dram(0x1000), buf, 320, false);
                done2 = b.now() - t0;
                ev.notify();
            },
            "cpu1", &opts);
        uint8_t buf[320];
        sc_core::wait(sc_core::SC_ZERO_TIME);  // let the other thread go first
        cpu_access(b.soc(), b.dram(0x2000), buf, 320, false);
        EXPECT_EQ(b.now() - t0, 64u);
        if (!done2)
            sc_core::wait(ev);
    });
    EXPECT_EQ(done2, 54u);
    EXPECT_EQ(b.mem().stats().value("reads"), 2u);
}

TEST(Memory, AnAccessArrivingInsideTheWindowIsTheStepModels)
{
    const std::string on = test::in_child([] { return arrival_inside_window(true); });
    EXPECT_EQ(on, "A read 0x1111 at 55\nB wrote at 65\nB read 0x2222 at 110\nreads 2 writes 1 finished true\n");
    EXPECT_EQ(on, test::in_child([] { return arrival_inside_window(false); }));
}

TEST(Memory, UnpopulatedAddressIsABusErrorNotACrash)
{
    TestBench b;
    b.run([&] {
        uint64_t v = 0;
        EXPECT_EQ(cpu_access(b.soc(), 0x4000000000ull, &v, 8, false), tlm::TLM_ADDRESS_ERROR_RESPONSE);  // no target
        // Straddling the end of DRAM.
        const uint64_t end = b.dram(b.cfg().u64("mem.dram_size"));
        EXPECT_EQ(cpu_access(b.soc(), end - 4, &v, 8, false), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_FALSE(b.mem().read(end - 4, &v, 8));
        EXPECT_EQ(b.mem().host_ptr(1ull << 47, 8), nullptr);
    });
    EXPECT_TRUE(b.finished());
}

TEST(Memory, FiftyTwoBitPhysicalAddressesWhenOasSaysSo)
{
    EXPECT_THROW(TestBench({"mem.pa_bits=52"}), ConfigError);  // OAS is 48 by default
    TestBench b({"smmu.idr.oas_bits=52", "mem.pa_bits=52", "mem.dram_base=0xf000000000000", "mem.dram_size=0x100000"});
    EXPECT_EQ(smmuv3::idr5::OAS.get(b.smmu().idr(5)), smmuv3::idr5::OAS_52);
    // Throw before the simulation starts: ASan cannot follow exceptions
    // across SystemC's coroutine stack switches (google/sanitizers#189).
    EXPECT_THROW(b.mem().add_region(1ull << 52, 4096), std::invalid_argument);
    EXPECT_THROW(b.mem().add_region(0xf000000000000ull, 4096), std::invalid_argument);  // overlap
    b.run([&] {
        uint64_t v = 7, r = 0;
        EXPECT_EQ(cpu_access(b.soc(), 0xf000000000010ull, &v, 8, true), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(cpu_access(b.soc(), 0xf000000000010ull, &r, 8, false), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(r, 7u);
    });
    EXPECT_TRUE(b.finished());
}
