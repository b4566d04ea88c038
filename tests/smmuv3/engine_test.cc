// SPDX-License-Identifier: GPL-2.0-only
// The shared command-execution engine: round-robin arbitration.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/testbench.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using smmusim::test::TestBench;

TEST(CommandEngine, RoundRobinAmongWaitingSources)
{
    TestBench b;
    CommandEngine& e = b.smmu().engine();
    const unsigned a = e.add_source("a"), c = e.add_source("c"), d = e.add_source("d");
    std::vector<std::string> order;
    Command tlbi;
    tlbi.op = OP_TLBI_NH_ALL;
    tlbi.cls = CmdClass::TlbiAll;
    b.run([&] {
        int done = 0;
        sc_core::sc_event all_done;
        for (unsigned src : {d, a, c}) {  // spawn order differs from RR order on purpose
            sc_core::sc_spawn_options opts;
            opts.set_stack_size(TestBench::kStackBytes);
            sc_core::sc_spawn(
                [&, src] {
                    for (int i = 0; i < 3; i++) {
                        e.acquire(src);
                        order.push_back(e.source_name(src));
                        e.execute(src, tlbi);
                        e.release(src);
                    }
                    if (++done == 3)
                        all_done.notify();
                },
                sc_core::sc_gen_unique_name("src"), &opts);
        }
        sc_core::wait(all_done);
        // 9 grants x (1 arbitration + 32 execution) cycles.
        EXPECT_EQ(b.now(), 9u * 33);
    });
    EXPECT_EQ(order, (std::vector<std::string>{"a", "c", "d", "a", "c", "d", "a", "c", "d"}));
    EXPECT_EQ(b.smmu().engine().stats().value("grants.c"), 3u);
}
