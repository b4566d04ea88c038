// SPDX-License-Identifier: GPL-2.0-only
// The study "VCMDQ vs trapped" run through the library (one run per test
// process): its rows for two sizes, cycle for cycle, and its golden
// (studies/golden/vcmdq-vs-trap.json: every row and the resolved
// configuration, so any timing change shows). Re-bless after a deliberate
// change with SMMUSIM_BLESS=1 ctest --test-dir build -R Golden, then review
// the diff. Like the kernel-level traces' goldens, it holds for the kernel it
// was blessed with.
#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "kernel_ops_provider.h"
#include "outputs.h"
#include "vcmdq_vs_trap.h"

namespace smmusim::studies {
namespace {

StudyResult run_study(std::vector<uint64_t> sizes)
{
    StudyOptions o;
    o.sizes = std::move(sizes);
    o.quiet = true;
    return run_vcmdq_vs_trap(o);
}

TEST(Study, VcmdqVsTrapRowsFor4KAnd64KExact)
{
    if (!kernel_ops_provider())
        GTEST_SKIP() << "the study's trace has kernel-level operations: a build without the kernel shim";
    const StudyResult r = run_study({0x1000, 0x10000});
    ASSERT_EQ(r.exit_status, 0);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0].size, 0x1000u);
    EXPECT_EQ(r.rows[0].threads, 1u);
    EXPECT_EQ(r.rows[0].commands, 1u);  // one range TLBI_NH_VA (IDR3.RIL), then CMD_SYNC
    // Trapped: the guest driver's work (26 blocks per command, 80 blocks +
    // 6 atomics + 2 DMBs per submission at the cpu.* prices: 102 cycles),
    // then the PROD write's exit (vm.exit_ns 1354), the VMM's dispatch
    // (vm.dispatch_ns 1000 + 2 x vm.per_cmd_ns 20), IOMMU_HWPT_INVALIDATE
    // (the real kernel code on the CPU cost model and the host CMDQ's TLBI
    // and CMD_SYNC: 251), the entry (vm.entry_ns 1354). VCMDQ: the same
    // 102, the doorbell through the VINTF page, the CMDQV, the guest's poll.
    EXPECT_EQ(r.rows[0].trapped_cycles, (std::vector<uint64_t>{4101, 4101, 4101}));
    EXPECT_EQ(r.rows[0].vcmdq_cycles, (std::vector<uint64_t>{256, 256, 256}));
    EXPECT_EQ(r.rows[1].size, 0x10000u);
    EXPECT_EQ(r.rows[1].commands, 1u);
    EXPECT_EQ(r.rows[1].trapped_cycles, (std::vector<uint64_t>{4101, 4101, 4101}));
    EXPECT_EQ(r.rows[1].vcmdq_cycles, (std::vector<uint64_t>{256, 256, 256}));
    ASSERT_TRUE(r.rows[1].vcmdq_us.has_value());
    ASSERT_TRUE(r.rows[1].trapped_us.has_value());
    EXPECT_DOUBLE_EQ(*r.rows[1].vcmdq_us, 0.256);
    EXPECT_DOUBLE_EQ(*r.rows[1].trapped_us, 4.101);
    EXPECT_EQ(r.doc["rows"][1]["vcmdq_us"], 0.256);
    EXPECT_EQ(r.doc["rows"][1]["trapped_us"], 4.101);
    EXPECT_DOUBLE_EQ(r.doc["rows"][1]["reduction_percent"].get<double>(), 100.0 * (4.101 - 0.256) / 4.101);
    // Every trap of the run: the queue's enable (2) and one per unmap.
    EXPECT_EQ(r.doc["trapped_vmm"]["traps"], 2 + 2 * 3);
    EXPECT_EQ(r.doc["trapped_vmm"]["ioctls"], 2 * 3);
}

// The document without what names the simulator build.
nlohmann::json golden_view(nlohmann::json doc)
{
    doc.erase("simulator");
    return doc;
}

// Runs the whole study with `sets` and compares it with golden/NAME.json.
void check_golden(const std::string& name, const std::vector<std::string>& sets)
{
    if (!kernel_ops_provider())
        GTEST_SKIP() << "the study's trace has kernel-level operations: a build without the kernel shim";
    StudyOptions o;
    o.sets = sets;
    o.quiet = true;
    const StudyResult r = run_vcmdq_vs_trap(o);
    ASSERT_EQ(r.exit_status, 0);
    const nlohmann::json got = golden_view(r.doc);
    const std::string path = SMMUSIM_STUDIES_DIR "/golden/" + name + ".json";
    if (std::getenv("SMMUSIM_BLESS")) {
        // Written as the program writes its outputs (outputs.h).
        OutputWriter out("SMMUSIM_BLESS", path);
        out.write(got.dump(2) + "\n");
        ASSERT_TRUE(out.close()) << out.error();
        GTEST_SKIP() << "blessed " << path;
    }
    std::ifstream in(path);
    ASSERT_TRUE(in) << path << " is missing: run SMMUSIM_BLESS=1 ctest -R Golden and commit it";
    const nlohmann::json want = nlohmann::json::parse(in);
    if (want["kernel"]["version"].is_string() && want["kernel"]["version"] != got["kernel"]["version"])
        GTEST_SKIP() << path << " was blessed with Linux " << want["kernel"]["version"].get<std::string>();
    const nlohmann::json diff = nlohmann::json::diff(want, got);
    EXPECT_TRUE(diff.empty()) << "the study differs from its golden " << path << ":\n" << diff.dump(2);
}

// The default: IDR3.RIL, one range TLBI per unmap.
TEST(StudyGolden, VcmdqVsTrap)
{
    check_golden("vcmdq-vs-trap", {});
}

// Without RIL: one TLBI per page, so every size differs.
TEST(StudyGolden, VcmdqVsTrapWithoutRil)
{
    check_golden("vcmdq-vs-trap-noril", {"smmu.idr.ril=0"});
}

}  // namespace
}  // namespace smmusim::studies
