// SPDX-License-Identifier: GPL-2.0-only
// Kernel threads and completions (kernel_shim/src/kthread.c, completion.c,
// host/kthreads.{h,cc}), as lib/kunit/try-catch.c uses them: a thread runs
// in a context of its own once woken, its end completes vfork_done, its
// kthread_exit() result reaches kthread_stop(), a thread asked to stop
// sees kthread_should_stop(), and its task is freed with the last
// reference. A panic ends only the thread. do_exit() outside a kthread is
// a panic.
#include <cstdint>

#include <gtest/gtest.h>

#include "kernel_shim.h"
#include "smmusim/host.h"
#include "support/testbench.h"

// The kernel functions, called as C (struct task_struct is opaque here).
extern "C" {
void* kthread_create_on_node(int (*fn)(void*), void* data, int node, const char* fmt, ...);
int wake_up_process(void* task);
int kthread_stop(void* task);
bool kthread_should_stop(void);
[[noreturn]] void do_exit(long code);
[[noreturn]] void panic(const char* fmt, ...);
void msleep(unsigned int msecs);
}

namespace smmusim::kshim {
namespace {

struct Seen {
    void* ctx = nullptr;
    uint64_t at_ns = 0;
    int loops = 0;
};

int record_and_return(void* data)
{
    auto* s = static_cast<Seen*>(data);
    s->ctx = smmusim_host_current();
    s->at_ns = smmusim_host_now_ns();
    return 42;
}

int exit_early(void* data)
{
    static_cast<Seen*>(data)->loops = 1;
    do_exit(7);
}

int oops(void* data)
{
    static_cast<Seen*>(data)->loops = 1;
    panic("oops in %s", "a kthread");
}

int sleep_until_stopped(void* data)
{
    auto* s = static_cast<Seen*>(data);
    while (!kthread_should_stop()) {
        s->loops++;
        msleep(2);
    }
    return -3;
}

TEST(Kthread, RunsInItsOwnContextOnceWokenAndStopGivesItsResult)
{
    test::TestBench bench;
    KernelShim ks(bench.soc());
    Seen seen;
    void* cpu_ctx = nullptr;
    int stopped = 0;
    const uint64_t live_before = ks.alloc_stats().kmalloc_live;
    ks.run([&] {
        cpu_ctx = smmusim_host_current();
        void* t = kthread_create_on_node(record_and_return, &seen, -1, "kt/%d", 1);
        msleep(1);
        EXPECT_EQ(seen.ctx, nullptr);  // not woken: not started
        wake_up_process(t);
        // kthread_stop() holds its own reference while it waits (the
        // thread's own goes when it ends): the thread runs while the CPU
        // context waits in it.
        stopped = kthread_stop(t);
    });
    EXPECT_NE(seen.ctx, nullptr);
    EXPECT_NE(seen.ctx, cpu_ctx);
    // Woken after the 1 ms sleep, run while kthread_stop() waits.
    EXPECT_GE(seen.at_ns, 1000000u);
    EXPECT_LT(seen.at_ns, 1001000u);
    EXPECT_EQ(stopped, 42);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();
    // The last reference (kthread_stop's) freed the task at a grace period.
    ks.run([] { msleep(1); });
    EXPECT_EQ(ks.alloc_stats().kmalloc_live, live_before) << ks.live_kmallocs();
}

TEST(Kthread, KthreadExitEndsItWithItsCode)
{
    test::TestBench bench;
    KernelShim ks(bench.soc());
    Seen seen;
    int stopped = 0;
    ks.run([&] {
        void* t = kthread_create_on_node(exit_early, &seen, -1, "kt-exit");
        wake_up_process(t);
        stopped = kthread_stop(t);  // waits for its end
    });
    EXPECT_EQ(seen.loops, 1);
    EXPECT_EQ(stopped, 7);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();
}

TEST(Kthread, StopAsksARunningThreadToStop)
{
    test::TestBench bench;
    KernelShim ks(bench.soc());
    Seen seen;
    int stopped = 0;
    ks.run([&] {
        void* t = kthread_create_on_node(sleep_until_stopped, &seen, -1, "kt-loop");
        wake_up_process(t);
        msleep(5);
        stopped = kthread_stop(t);
    });
    EXPECT_EQ(stopped, -3);
    // Loops at 0, 2 and 4 ms; the stop, asked at 5 ms, seen at 6 ms.
    EXPECT_EQ(seen.loops, 3);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();
}

TEST(Kthread, APanicEndsOnlyTheThreadAndItsWaiterGoesOn)
{
    // As an oops in a kthread: the thread dies (vfork_done is completed),
    // the CPU context waiting for it continues; the panic is recorded.
    test::TestBench bench;
    KernelShim ks(bench.soc());
    Seen seen;
    bool went_on = false;
    ks.run([&] {
        void* t = kthread_create_on_node(oops, &seen, -1, "kt-oops");
        wake_up_process(t);
        kthread_stop(t);
        went_on = true;
    });
    EXPECT_EQ(seen.loops, 1);
    EXPECT_TRUE(went_on);
    ASSERT_EQ(ks.failures().size(), 1u) << ks.failures_text();
    EXPECT_EQ(ks.failures()[0].kind, "panic");
    EXPECT_TRUE(ks.log_contains("kernel thread kt-oops stopped by panic: oops in a kthread")) << ks.dmesg();
}

TEST(Kthread, DoExitOutsideAKernelThreadIsAPanic)
{
    test::TestBench bench;
    KernelShim ks(bench.soc());
    ks.run([] { do_exit(1); });
    ASSERT_EQ(ks.failures().size(), 1u) << ks.failures_text();
    EXPECT_EQ(ks.failures()[0].kind, "panic");
    EXPECT_NE(ks.failures()[0].message.find("do_exit(1): the simulated process cannot exit"), std::string::npos)
        << ks.failures_text();
}

}  // namespace
}  // namespace smmusim::kshim
