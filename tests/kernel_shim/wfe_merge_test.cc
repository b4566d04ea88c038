// SPDX-License-Identifier: GPL-2.0-only
// A WFE after CPU time that cannot be folded (someone else is runnable):
// with the quiet windows on, the CPU time and the WFE are one SystemC wait
// (Scheduler::busy_then_wfe, kernel_shim/host/waiting.cc); off, two (the
// busy-wait, then the WFE). Both must return at the same picosecond, in
// the same delta after an SEV, with the same event register, and stop at
// the same time where the watchdog fires. Each run is a fresh simulation
// in a child process: a CPU, its SEV event, a Scheduler, and a device
// thread that sends an SEV (a delta after it decides to, as the SMMU's
// send_sev() does) at a chosen time after the WFE starts, plus a thread
// that wakes in the middle of the CPU time, so that it cannot be folded.
#include <cstdint>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <systemc>

#include "cpu_cost.h"
#include "scheduler.h"
#include "smmusim/cpu_cost.h"
#include "smmusim/host.h"
#include "smmusim/kernel_facts.h"
#include "support/in_child.h"

namespace smmusim::kshim {
namespace {

constexpr uint64_t kBusyPs = 1000000;  // 1000 blocks at 1 cycle, 1 GHz
constexpr uint64_t kTimeoutNs = 2000;

struct Scenario {
    std::optional<uint64_t> sev_ps;  // after the WFE starts; none: it times out
    bool irqs_masked = true;
    uint64_t softlockup_ns = 0;
};

// What one run saw, as text: when the WFE returned (or the CPU stopped),
// the deltas from the SEV's send to the WFE's return, the event register
// after it, the merges and folds made, and any failure.
std::string play(const Scenario& s, bool windows)
{
    return test::in_child([&] {
        cpu_windows() = windows;
        Klog log(false);
        ShimOptions opts;
        opts.wfe_timeout_ns = kTimeoutNs;
        opts.softlockup_ns = s.softlockup_ns;
        CpuParams p;
        p.block_cycles = 1.0;
        p.clock_mhz = 1000;
        sc_core::sc_event sev;
        Cpu cpu(0, sev, p);
        Scheduler sched(cpu, log, opts);

        uint64_t sent_delta = 0, returned_delta = 0;
        std::optional<uint64_t> returned_ps;
        bool pending_after = false;
        sc_core::sc_spawn([] { sc_core::wait(sc_core::sc_time::from_value(kBusyPs / 2)); }, "ticker");
        if (s.sev_ps)
            sc_core::sc_spawn(
                [&] {
                    sc_core::wait(sc_core::sc_time::from_value(*s.sev_ps));
                    sent_delta = sc_core::sc_delta_count();
                    sev.notify(sc_core::SC_ZERO_TIME);
                },
                "device");
        const bool ran = sched.run(
            [&] {
                unsigned long preempt = 0, flags = 0;
                smmusim_ctx_save(&preempt, &flags);
                if (s.irqs_masked)
                    smmusim_ctx_restore(preempt, 0);  // local_irq_disable()'s flags
                // Exactly this CPU time: what code before counted (blocks
                // the trace-pc budget holds too) is dropped first.
                CpuCost::discard();
                smmusim_cpu_events[SMMUSIM_CPU_BLOCK] = kBusyPs / 1000;
                sched.wfe(nullptr);
                returned_ps = sc_core::sc_time_stamp().value();
                returned_delta = sc_core::sc_delta_count();
                pending_after = cpu.event_pending();
            },
            sc_core::sc_time(1, sc_core::SC_MS));
        std::string fails;
        for (const Failure& f : log.failures())
            fails += f.kind + ": " + f.message + ";";
        return fmt::format("ran {} masked {} returned {} deltas-after-sev {} pending {} stopped-at {} "
                           "merges {} folds {} failures [{}]",
                           ran, smmusim_kernel_irqs_disabled_flags(0) != 0,
                           returned_ps ? std::to_string(*returned_ps) : "-",
                           s.sev_ps && returned_ps ? std::to_string(returned_delta - sent_delta) : "-",
                           pending_after, sc_core::sc_time_stamp().value(), cpu_wfe_merges(), cpu_window_folds(),
                           fails);
    });
}

// The two forms' outputs, without the counts of merges and folds.
std::string simulated(const std::string& out) { return out.substr(0, out.find(" merges ")); }
uint64_t merges(const std::string& out)
{
    const size_t at = out.find(" merges ");
    return at == std::string::npos ? ~0ull : std::stoull(out.substr(at + 8));
}

void expect_same(const Scenario& s, const std::string& returned, bool merged)
{
    const std::string one = play(s, true);
    const std::string two = play(s, false);
    ASSERT_NE(one.find("ran true masked true"), std::string::npos) << one;
    EXPECT_EQ(simulated(one), simulated(two)) << "one wait:\n" << one << "\ntwo waits:\n" << two;
    EXPECT_NE(one.find(returned), std::string::npos) << one;
    EXPECT_EQ(merges(one), merged ? 1u : 0u) << one;
    EXPECT_EQ(merges(two), 0u) << two;
    EXPECT_NE(one.find(" folds 0 "), std::string::npos) << "the CPU time was folded: " << one;
}

TEST(WfeMerge, AnSevDuringTheCpuTimeReturnsAtItsEnd)
{
    expect_same({kBusyPs - 1}, fmt::format("returned {} ", kBusyPs), true);
    expect_same({0}, fmt::format("returned {} ", kBusyPs), true);
}

TEST(WfeMerge, AnSevAtTheEndOfTheCpuTimeReturnsInTheSameDelta)
{
    // The busy-wait's timed wake came first and found no event: the WFE
    // returns in the delta after the SEV's method (the send, +1 the
    // method, +1 the WFE).
    expect_same({kBusyPs}, fmt::format("returned {} deltas-after-sev 2 pending false", kBusyPs), true);
}

TEST(WfeMerge, AnSevAfterTheCpuTimeReturnsAtIt)
{
    expect_same({kBusyPs + 1}, fmt::format("returned {} deltas-after-sev 2 pending false", kBusyPs + 1), true);
    expect_same({kBusyPs + 1234567}, fmt::format("returned {} ", kBusyPs + 1234567), true);
}

TEST(WfeMerge, NoSevTimesOutAfterTheCpuTimeAndTheTimeout)
{
    expect_same({}, fmt::format("returned {} ", kBusyPs + kTimeoutNs * 1000), true);
}

TEST(WfeMerge, InterruptsEnabledKeepTwoWaits)
{
    // An interrupt handler could run during the CPU time and leave the CPU
    // state its own: the end of the busy-wait would set it back.
    Scenario s{kBusyPs + 1};
    s.irqs_masked = false;
    expect_same(s, fmt::format("returned {} ", kBusyPs + 1), false);
}

TEST(WfeMerge, TheWatchdogFiringAtTheEndOfTheCpuTimeKeepsTwoWaits)
{
    // Stuck for 1 us exactly when the CPU time ends: it stops the CPU there,
    // before the WFE, whatever the SEV does after.
    Scenario s{kBusyPs + 5};
    s.softlockup_ns = kBusyPs / 1000;
    const std::string one = play(s, true);
    EXPECT_NE(one.find(fmt::format("returned - deltas-after-sev - pending false stopped-at {} ", kBusyPs)),
              std::string::npos)
        << one;
    EXPECT_NE(one.find("soft-lockup"), std::string::npos) << one;
    expect_same(s, "returned - ", false);
}

}  // namespace
}  // namespace smmusim::kshim
