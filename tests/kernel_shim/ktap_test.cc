// SPDX-License-Identifier: GPL-2.0-only
// The KTAP reader of the KUnit runner (kernel_shim/kunit/ktap.h): KUnit's
// output shapes (lib/kunit/test.c: suites, cases, parameterised cases,
// skips with their reason, failures with their diagnostics), other kernel
// messages in between, and the logs it must call broken (a crash in the
// middle of a suite, a plan that does not match, no KTAP at all).
#include <gtest/gtest.h>

#include "ktap.h"

namespace smmusim::kunit {
namespace {

// As KUnit prints a suite of three cases: one passing, one skipped, one
// failing with an expectation's diagnostics (indented one level deeper).
constexpr const char* kSuite =
    "iommu: Default domain type: Translated\n"
    "KTAP version 1\n"
    "1..1\n"
    "    KTAP version 1\n"
    "    # Subtest: arm-smmu-v3-kunit-test\n"
    "    1..3\n"
    "    ok 1 arm_smmu_v3_write_ste_test_bypass_to_abort\n"
    "    ok 2 arm_smmu_v3_write_cd_test_sva_clear # SKIP no SVA here\n"
    "        # arm_smmu_v3_invs_test: EXPECTATION FAILED at drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-test.c:650\n"
    "        Expected invs->num_invs == num_invs, but\n"
    "    not ok 3 arm_smmu_v3_invs_test\n"
    "# arm-smmu-v3-kunit-test: pass:1 fail:1 skip:1 total:3\n"
    "# Totals: pass:1 fail:1 skip:1 total:3\n"
    "not ok 1 arm-smmu-v3-kunit-test\n";

TEST(Ktap, ReadsKunitsSuiteCasesSkipsAndFailures)
{
    const KtapLog log = parse_ktap(kSuite);
    EXPECT_TRUE(log.found);
    EXPECT_TRUE(log.errors.empty()) << log.errors.front();
    EXPECT_EQ(log.plan, 1);
    ASSERT_EQ(log.tests.size(), 1u);
    const KtapTest& s = log.tests[0];
    EXPECT_EQ(s.name, "arm-smmu-v3-kunit-test");
    EXPECT_FALSE(s.ok);
    EXPECT_EQ(s.plan, 3);
    ASSERT_EQ(s.subtests.size(), 3u);
    EXPECT_TRUE(s.subtests[0].ok);
    EXPECT_FALSE(s.subtests[0].skipped);
    EXPECT_EQ(s.subtests[1].name, "arm_smmu_v3_write_cd_test_sva_clear");
    EXPECT_TRUE(s.subtests[1].skipped);
    EXPECT_EQ(s.subtests[1].skip_reason, "no SVA here");
    EXPECT_FALSE(s.subtests[2].ok);
    ASSERT_EQ(s.subtests[2].diagnostics.size(), 1u);
    EXPECT_EQ(s.subtests[2].diagnostics[0],
              "arm_smmu_v3_invs_test: EXPECTATION FAILED at drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-test.c:650");
    const CaseCounts c = count_cases(s);
    EXPECT_EQ(c.run, 3);
    EXPECT_EQ(c.pass, 1);
    EXPECT_EQ(c.skip, 1);
    EXPECT_EQ(c.fail, 1);
}

TEST(Ktap, AParameterisedCaseIsOneCase)
{
    const KtapLog log = parse_ktap(
        "KTAP version 1\n1..1\n"
        "    KTAP version 1\n    # Subtest: s\n    1..1\n"
        "        KTAP version 1\n        # Subtest: p\n"
        "        ok 1 first\n        ok 2 second\n"
        "    ok 1 p\n"
        "ok 1 s\n");
    EXPECT_TRUE(log.errors.empty()) << log.errors.front();
    ASSERT_EQ(log.tests.size(), 1u);
    ASSERT_EQ(log.tests[0].subtests.size(), 1u);
    EXPECT_EQ(log.tests[0].subtests[0].subtests.size(), 2u);
    const CaseCounts c = count_cases(log.tests[0]);
    EXPECT_EQ(c.run, 1);
    EXPECT_EQ(c.pass, 1);
}

TEST(Ktap, ALogEndingInsideASuiteIsBroken)
{
    // The kernel stopped in the middle of case 2: no result closes the suite.
    const KtapLog log = parse_ktap(
        "KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: s\n    1..2\n    ok 1 a\n");
    ASSERT_EQ(log.errors.size(), 2u);
    EXPECT_EQ(log.errors[0], "line 6: the log ends inside a subtest (no result line closes it)");
    EXPECT_EQ(log.errors[1], "line 6: the top level: planned 1 tests, 0 reported");
}

TEST(Ktap, APlanThatDoesNotMatchIsAnError)
{
    const KtapLog log = parse_ktap(
        "KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: s\n    1..3\n    ok 1 a\n    ok 2 b\nok 1 s\n");
    ASSERT_EQ(log.errors.size(), 1u);
    EXPECT_EQ(log.errors[0], "line 8: s: planned 3 tests, 2 reported");
}

TEST(Ktap, WrongNumbersAndMalformedLinesAreErrors)
{
    const KtapLog log = parse_ktap("KTAP version 1\n1..x\nok 2 a\nnot ok b\n");
    ASSERT_EQ(log.errors.size(), 4u);
    EXPECT_EQ(log.errors[0], "line 2: malformed plan '1..x'");
    EXPECT_EQ(log.errors[1], "line 3: test number 2 after 0");
    EXPECT_EQ(log.errors[2], "line 4: malformed result line 'not ok b'");
    EXPECT_EQ(log.errors[3], "line 4: no top-level plan");
}

TEST(Ktap, NoHeaderMeansNoLog)
{
    const KtapLog log = parse_ktap("ok 1 a\n    KTAP version 1\n");
    EXPECT_FALSE(log.found);
    ASSERT_EQ(log.errors.size(), 1u);
    EXPECT_EQ(log.errors[0], "line 2: no KTAP header ('KTAP version 1')");
    EXPECT_TRUE(log.tests.empty());
}

TEST(Ktap, OtherKernelMessagesInBetweenAreIgnored)
{
    const KtapLog log = parse_ktap(
        "KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: s\n    1..1\n"
        "arm-smmu-v3: a driver message\n  two spaces\n    ok 1 a\nok 1 s\n");
    EXPECT_TRUE(log.errors.empty()) << log.errors.front();
    ASSERT_EQ(log.tests.size(), 1u);
    EXPECT_TRUE(log.tests[0].ok);
    EXPECT_EQ(count_cases(log.tests[0]).pass, 1);
}

}  // namespace
}  // namespace smmusim::kunit
