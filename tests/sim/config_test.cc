// SPDX-License-Identifier: GPL-2.0-only
// The configuration is checked whole before the platform is built: one
// number rule for traces, --set and TOML strings, and the memory map and
// interrupt numbers as a whole (sim/soc.h validate_config).
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "platform/params.h"
#include "soc.h"

using namespace smmusim;

namespace {

// The ConfigError validate_config() throws for these --set overrides ("" if none).
std::string config_error(const std::vector<std::string>& sets)
{
    Config cfg;
    declare_all_params(cfg);
    try {
        for (const auto& s : sets)
            cfg.set_assignment(s, "--set");
        validate_config(cfg);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

// A leading 0 is decimal, as in traces (traces/FORMAT.md), never octal.
TEST(Config, NumbersFollowTheTraceRule)
{
    uint64_t v = 0;
    EXPECT_TRUE(parse_number("010", v));
    EXPECT_EQ(v, 10u);
    EXPECT_TRUE(parse_number("0x10", v));
    EXPECT_EQ(v, 16u);
    EXPECT_TRUE(parse_number("0X1f", v));
    EXPECT_EQ(v, 31u);
    EXPECT_TRUE(parse_number("18446744073709551615", v));
    EXPECT_EQ(v, UINT64_MAX);
    for (const char* bad : {"", "0x", "-1", "+1", " 1", "1 ", "0o10", "0b1", "1e3", "08x", "18446744073709551616",
                            "0x10000000000000000"})
        EXPECT_FALSE(parse_number(bad, v)) << bad;

    Config cfg;
    declare_all_params(cfg);
    cfg.set_assignment("smmu.cmdq.batch=010", "--set");
    EXPECT_EQ(cfg.u64("smmu.cmdq.batch"), 10u);  // strtoull(.., 0) read 8
    cfg.set_assignment("smmu.cmdq.batch=0x20", "--set");
    EXPECT_EQ(cfg.u64("smmu.cmdq.batch"), 32u);
    EXPECT_THROW(cfg.set_assignment("smmu.cmdq.batch=0o10", "--set"), ConfigError);
    EXPECT_THROW(cfg.set_assignment("smmu.cmdq.batch= 8", "--set"), ConfigError);

    // TOML: integers are TOML's (no leading zeros there); strings follow the trace rule.
    char path[] = "/tmp/smmusim-config-XXXXXX";
    FILE* f = fdopen(mkstemp(path), "w");
    fputs("[smmu.cmdq]\nbatch = \"012\"\n", f);
    fclose(f);
    cfg.load_file(path);
    EXPECT_EQ(cfg.u64("smmu.cmdq.batch"), 12u);
    f = fopen(path, "w");
    fputs("[smmu.cmdq]\nbatch = 012\n", f);
    fclose(f);
    EXPECT_THROW(cfg.load_file(path), ConfigError);
    remove(path);
}

TEST(Config, AddressWindowsMayNotOverlap)
{
    EXPECT_EQ(config_error({}), "");
    EXPECT_EQ(config_error({"platform.cmdqv_base=0x10010000"}),
              "platform.smmu_base [0x10000000, +0x20000) overlaps platform.cmdqv_base [0x10010000, +0x830000)");
    EXPECT_EQ(config_error({"platform.msi_base=0x80000000"}),
              "platform.msi_base [0x80000000, +0x10000) overlaps mem.dram_base [0x80000000, +0x40000000)");
    EXPECT_EQ(config_error({"platform.smmu_base=0xbfff0000"}),
              "platform.smmu_base [0xbfff0000, +0x20000) overlaps mem.dram_base [0x80000000, +0x40000000)");
    // Without a CMDQV its window is free.
    EXPECT_EQ(config_error({"cmdqv.present=false", "platform.cmdqv_base=0x10010000"}), "");
    // The CMDQV's window grows with its VINTFs.
    EXPECT_EQ(config_error({"platform.cmdqv_base=0x7f000000", "cmdqv.vintfs_log2=2"}), "");
    EXPECT_EQ(config_error({"platform.cmdqv_base=0x7f800000"}),
              "mem.dram_base [0x80000000, +0x40000000) overlaps platform.cmdqv_base [0x7f800000, +0x830000)");
}

TEST(Config, WindowsAreAlignedAndInsideThePaSpace)
{
    EXPECT_EQ(config_error({"mem.dram_base=0x80000800"}),
              "mem.dram_base [0x80000800, +0x40000000) is not 4 KiB-aligned (mem.dram_base, mem.dram_size)");
    EXPECT_EQ(config_error({"mem.dram_size=0x100800"}),
              "mem.dram_base [0x80000000, +0x100800) is not 4 KiB-aligned (mem.dram_base, mem.dram_size)");
    EXPECT_EQ(config_error({"platform.smmu_base=0x10008000"}),
              "platform.smmu_base [0x10008000, +0x20000) is not 64 KiB-aligned");
    EXPECT_EQ(config_error({"platform.cmdqv_base=0xffffffff0000"}),
              "platform.cmdqv_base [0xffffffff0000, +0x830000) leaves the 48-bit PA space (mem.pa_bits)");
    EXPECT_EQ(config_error({"mem.dram_base=0xfffff0000000"}),
              "mem.dram_base [0xfffff0000000, +0x40000000) leaves the 48-bit PA space (mem.pa_bits)");
}

TEST(Config, InterruptNumbersAreDistinct)
{
    EXPECT_EQ(config_error({"platform.cmdqv_irq=104"}),
              "platform.cmdqv_irq = 104 is one of the SMMU's interrupts 100..104 (platform.smmu_irq_base = 100)");
    EXPECT_EQ(config_error({"platform.smmu_irq_base=108"}),
              "platform.cmdqv_irq = 110 is one of the SMMU's interrupts 108..112 (platform.smmu_irq_base = 108)");
    EXPECT_EQ(config_error({"platform.cmdqv_irq=105"}), "");
    EXPECT_EQ(config_error({"platform.cmdqv_irq=102", "cmdqv.present=false"}), "");
}

// A key given twice among --set is refused, naming it, as a trace refuses a
// field given twice; distinct keys are all applied.
TEST(Config, AKeyGivenTwiceIsRefused)
{
    Config cfg;
    declare_all_params(cfg);
    try {
        cfg.set_assignments({"smmu.cmdq.batch=1", "smmu.clock_mhz=500", "smmu.cmdq.batch=2"}, "--set");
        FAIL() << "no exception";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), "--set smmu.cmdq.batch=2: 'smmu.cmdq.batch' is given twice");
    }
    Config ok;
    declare_all_params(ok);
    ok.set_assignments({"smmu.cmdq.batch=3", "smmu.clock_mhz=500"}, "--set");
    EXPECT_EQ(ok.u64("smmu.cmdq.batch"), 3u);
    EXPECT_EQ(ok.u64("smmu.clock_mhz"), 500u);
}

// A key with '=' in it ("a.b=c=1" meant as the key "a.b=c") is split at the
// first '=': the message says so, rather than only "unknown parameter 'a.b'";
// a known key whose value has '=' is that value's error.
TEST(Config, AnEqualsSignInTheKeyIsNamed)
{
    Config cfg;
    declare_all_params(cfg);
    try {
        cfg.set_assignment("smmu.clock=mhz=500", "--set");
        FAIL() << "no exception";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), "--set: unknown parameter 'smmu.clock' in 'smmu.clock=mhz=500': the key ends "
                                         "at the first '=' (no parameter's name has one; `smmusim params` lists them)");
    }
    try {
        cfg.set_assignment("smmu.clock_mhz=5=0", "--set");
        FAIL() << "no exception";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), "--set: smmu.clock_mhz expects integer, got '5=0'");
    }
}

// A TOML key or string may hold a NUL ("\u0000"): the message shows it as
// \x00 and goes on past it (newcomer16's cf06 ended at the NUL).
TEST(Config, AControlByteInAKeyOrValueIsShownNotCut)
{
    Config cfg;
    declare_all_params(cfg);
    char path[] = "/tmp/smmusim-config-XXXXXX";
    FILE* f = fdopen(mkstemp(path), "w");
    fputs("[smmu.idr]\n\"cmdqs\\u0000x\" = 7\n", f);
    fclose(f);
    std::string what;
    try {
        cfg.load_file(path);
    } catch (const ConfigError& e) {
        what = e.what();
    }
    EXPECT_NE(what.find("unknown parameter 'smmu.idr.cmdqs\\x00x' (`smmusim params` lists them)"), std::string::npos)
        << what;
    f = fopen(path, "w");
    fputs("[smmu.idr]\ncmdqs = \"7\\u0000\\u001b\"\n", f);
    fclose(f);
    what.clear();
    try {
        cfg.load_file(path);
    } catch (const ConfigError& e) {
        what = e.what();
    }
    EXPECT_NE(what.find("got '7\\x00\\x1b'"), std::string::npos) << what;
    remove(path);
}
