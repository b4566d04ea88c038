// SPDX-License-Identifier: GPL-2.0-only
// The clock domain's conversions (models/platform/clock.h) against a
// reference written the slow, obvious way: n cycles are n × period ps
// (built from a double where SystemC's conversion of it is exact, from the
// tick count elsewhere), saturating at sc_max_time(); t is t / period whole cycles. Over
// every count below a few hundred (the table and its edge), counts around
// the saturation point and a million pseudo-random counts of every
// magnitude, at frequencies whose period is exact (1000 MHz: 1000 ps) and
// rounded (3000 MHz: 333.33 ps -> 333 ps, 7 MHz: 142857.14 -> 142857 ps).
// ClockDomain periods are whole picoseconds by construction, so no clock
// has a fractional period; the rounded ones are the nearest case.
#include <cstdint>
#include <random>

#include <gtest/gtest.h>
#include <systemc>

#include "platform/clock.h"

using namespace smmusim;

namespace {

const uint64_t kFreqsMhz[] = {1, 3, 7, 333, 999, 1000, 1001, 1500, 2000, 3000, 3333, 1000000};

// n cycles of `period_ps` as the reference computes them.
sc_core::sc_time reference_cycles(uint64_t period_ps, uint64_t n)
{
    const unsigned __int128 ps = static_cast<unsigned __int128>(n) * period_ps;
    if (ps > UINT64_MAX)
        return sc_core::sc_max_time();
    if (ps < (uint64_t(1) << 52))  // SystemC's conversion from a double is exact below 2^52 (it adds 0.5)
        return sc_core::sc_time(static_cast<double>(ps), sc_core::SC_PS);
    return sc_core::sc_time::from_value(static_cast<uint64_t>(ps));
}

void expect_same(const ClockDomain& clk, uint64_t n)
{
    const sc_core::sc_time want = reference_cycles(clk.period_ps(), n);
    ASSERT_EQ(clk.cycles(n).value(), want.value()) << clk.freq_mhz() << " MHz, " << n << " cycles";
    const uint64_t back = clk.to_cycles(want);
    if (want != sc_core::sc_max_time())
        ASSERT_EQ(back, n) << clk.freq_mhz() << " MHz, " << n << " cycles";
    else
        ASSERT_EQ(back, UINT64_MAX / clk.period_ps());
}

}  // namespace

TEST(Clock, CyclesMatchTheReference)
{
    ASSERT_EQ(sc_core::sc_time(1, sc_core::SC_PS).value(), 1u);  // the resolution the reference assumes
    std::mt19937_64 rng(13);
    for (uint64_t mhz : kFreqsMhz) {
        const ClockDomain clk("clk", mhz);
        EXPECT_EQ(clk.ticks_per_cycle(), clk.period_ps());
        for (uint64_t n = 0; n < 300; n++)
            expect_same(clk, n);
        const uint64_t max = clk.max_cycles();
        EXPECT_EQ(max, UINT64_MAX / clk.period_ps());
        for (uint64_t n : {max - 2, max - 1, max, max + 1, max + 2, UINT64_MAX / 2, UINT64_MAX - 1, UINT64_MAX})
            expect_same(clk, n);
        for (int i = 0; i < 100000; i++)
            expect_same(clk, rng() >> (rng() % 64));  // every magnitude
    }
}

TEST(Clock, TableFilledBeforeFirstUseOfAnyConversion)
{
    // The first conversion a domain makes may be any of them; each fixes
    // the table the same way.
    const ClockDomain a("a", 3000), b("b", 3000), c("c", 3000);
    EXPECT_EQ(a.to_cycles(sc_core::sc_time(999, sc_core::SC_PS)), 3u);
    EXPECT_EQ(b.max_cycles(), UINT64_MAX / 333);
    EXPECT_EQ(c.cycles(70).value(), 70u * 333);
    for (uint64_t n = 0; n < 100; n++) {
        EXPECT_EQ(a.cycles(n).value(), n * 333);
        EXPECT_EQ(b.cycles(n).value(), n * 333);
        EXPECT_EQ(c.cycles(n).value(), n * 333);
    }
    EXPECT_EQ(a.align(sc_core::sc_time(1000, sc_core::SC_PS)).value(), 1332u);
}

TEST(Clock, TimeStampIsTheKernelsTime)
{
    const ClockDomain clk("clk", 1000);
    EXPECT_EQ(&time_stamp(), &sc_core::sc_time_stamp());
    sc_core::sc_start(sc_core::sc_time(12345, sc_core::SC_PS));
    EXPECT_EQ(time_stamp(), sc_core::sc_time_stamp());
    EXPECT_EQ(time_stamp().value(), 12345u);
    EXPECT_EQ(clk.now(), 12u);
    EXPECT_EQ(clk.cycles_left(), UINT64_MAX / 1000 - 12);
}
