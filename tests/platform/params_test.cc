// SPDX-License-Identifier: GPL-2.0-only
#include <cstdio>
#include <functional>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "platform/params.h"
#include "soc.h"

using namespace smmusim;

namespace {

#define TEST_PARAMS(X)                                                                            \
    X(uint64_t, cycles, "t.cycles", 7, 1, 100, "cycles", "a latency", "test")                     \
    X(bool, on, "t.on", true, 0, 1, "bool", "a switch", "test")                                   \
    X(double, ratio, "t.ratio", 0.5, 0, 1, "ratio", "a ratio", "test")

SMMUSIM_PARAM_STRUCT(TestParams, TEST_PARAMS);

std::string write_tmp(const char* text)
{
    char path[] = "/tmp/smmusim-params-XXXXXX";
    int fd = mkstemp(path);
    EXPECT_GE(fd, 0);
    FILE* f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

}  // namespace

TEST(Params, DefaultsComeFromTheDeclaration)
{
    Config cfg;
    TestParams::declare(cfg);
    TestParams p = TestParams::load(cfg);
    EXPECT_EQ(p.cycles, 7u);
    EXPECT_TRUE(p.on);
    EXPECT_DOUBLE_EQ(p.ratio, 0.5);
}

TEST(Params, SetOverridesAndChecksTypeAndRange)
{
    Config cfg;
    TestParams::declare(cfg);
    cfg.set_assignment("t.cycles=0x10", "--set");
    cfg.set("t.on", "false", "--set");
    TestParams p = TestParams::load(cfg);
    EXPECT_EQ(p.cycles, 16u);
    EXPECT_FALSE(p.on);
    EXPECT_THROW(cfg.set("t.cycles", "101", "--set"), ConfigError);  // max is 100
    EXPECT_THROW(cfg.set("t.cycles", "0", "--set"), ConfigError);    // min is 1
    EXPECT_THROW(cfg.set("t.cycles", "-3", "--set"), ConfigError);
    EXPECT_THROW(cfg.set("t.cycles", "abc", "--set"), ConfigError);
    EXPECT_THROW(cfg.set("t.on", "maybe", "--set"), ConfigError);
    EXPECT_THROW(cfg.set_assignment("t.cycles", "--set"), ConfigError);
    // A fractional parameter's range is checked when it is set too.
    cfg.set("t.ratio", "1", "--set");
    EXPECT_THROW(cfg.set("t.ratio", "1.5", "--set"), ConfigError);   // max is 1
    EXPECT_THROW(cfg.set("t.ratio", "-0.25", "--set"), ConfigError); // min is 0
}

// A negative number for an unsigned parameter is out of range, said with the
// range, from --set and from a TOML file alike (it was "expects integer").
TEST(Params, NegativeIntegerIsOutOfRange)
{
    Config cfg;
    TestParams::declare(cfg);
    auto expect_message = [&](const std::function<void()>& f, const std::string& want) {
        try {
            f();
            ADD_FAILURE() << "no error";
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find(want), std::string::npos) << e.what();
            EXPECT_EQ(std::string(e.what()).find("expects"), std::string::npos) << e.what();
        }
    };
    expect_message([&] { cfg.set("t.cycles", "-3", "--set"); }, "--set: t.cycles = -3 is out of range [1, 100]");
    std::string neg = write_tmp("[t]\ncycles = -3\n");
    expect_message([&] { cfg.load_file(neg); }, neg + ":2:10: t.cycles = -3 is out of range [1, 100]");
    remove(neg.c_str());
    // A sign on a number that is not negative is said as such, the same
    // for both signs ('-0' was out of range, '+5' "expects integer").
    expect_message([&] { cfg.set("t.cycles", "+5", "--set"); },
                   "--set: t.cycles = +5 has a sign, which an integer parameter does not take (write 5; the range "
                   "is [1, 100])");
    expect_message([&] { cfg.set("t.cycles", "-0", "--set"); },
                   "--set: t.cycles = -0 has a sign, which an integer parameter does not take (write 0; the range "
                   "is [1, 100])");
    // A minus sign before anything but digits is still not a number.
    try {
        cfg.set("t.cycles", "-x", "--set");
        ADD_FAILURE() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("expects"), std::string::npos) << e.what();
    }
}

// A number of more than 64 bits is a number: it does not fit, said as the
// trace's numbers say it, not "expects integer".
TEST(Params, NumberPast64BitsDoesNotFit)
{
    Config cfg;
    TestParams::declare(cfg);
    auto message = [&](const std::string& value) {
        try {
            cfg.set("t.cycles", value, "--set");
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(message("99999999999999999999999"), "--set: t.cycles = 99999999999999999999999 does not fit in 64 bits "
                                                  "(at most 0xffffffffffffffff; the range is [1, 100])");
    EXPECT_EQ(message("0x10000000000000000"),
              "--set: t.cycles = 0x10000000000000000 does not fit in 64 bits (at most 0xffffffffffffffff; the range "
              "is [1, 100])");
    EXPECT_EQ(message("18446744073709551615"), "--set: t.cycles = 18446744073709551615 is out of range [1, 100]");
    EXPECT_EQ(message("99999999999999999999999x"), "--set: t.cycles expects integer, got '99999999999999999999999x'");
    EXPECT_EQ(message("0x"), "--set: t.cycles expects integer, got '0x'");
}

TEST(Params, UnknownKeyIsAnError)
{
    Config cfg;
    TestParams::declare(cfg);
    try {
        cfg.set("t.cycle", "3", "--set");
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("unknown parameter 't.cycle'"), std::string::npos) << e.what();
    }
}

TEST(Params, RetiredKeySaysWhatReplacedIt)
{
    Config cfg;
    TestParams::declare(cfg);
    cfg.retire("t.old", "t.cycles replaced it");
    try {
        cfg.set("t.old", "3", "--set");
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "--set: parameter 't.old' no longer exists: t.cycles replaced it");
    }
    EXPECT_FALSE(cfg.declared("t.old"));
}

TEST(Params, TomlFileFlattensSectionsAndNamesFileLine)
{
    Config cfg;
    TestParams::declare(cfg);
    std::string good = write_tmp("# a comment\n[t]\ncycles = 42\non = false\nratio = 0.25\n");
    cfg.load_file(good);
    EXPECT_EQ(cfg.u64("t.cycles"), 42u);
    EXPECT_FALSE(cfg.flag("t.on"));
    EXPECT_DOUBLE_EQ(cfg.f64("t.ratio"), 0.25);
    auto j = cfg.resolved();
    EXPECT_EQ(j["t.cycles"]["value"], 42);
    EXPECT_EQ(j["t.cycles"]["origin"], good + ":3:10");

    // A bad file fails, naming its file:line.
    auto expect_load_error = [&](const std::string& path, const std::string& where) {
        try {
            cfg.load_file(path);
            ADD_FAILURE() << "no error";
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find(path + where), std::string::npos) << e.what();
        }
    };
    std::string unknown = write_tmp("[t]\ncycles = 1\nbogus = 2\n");
    expect_load_error(unknown, ":3:");
    std::string syntax = write_tmp("[t]\ncycles = = 1\n");
    expect_load_error(syntax, ":2:");
    remove(good.c_str());
    remove(unknown.c_str());
    remove(syntax.c_str());
}

TEST(Params, EveryModelParameterHasUnitDescriptionAndSource)
{
    Config cfg;
    declare_all_params(cfg);
    EXPECT_GT(cfg.names().size(), 30u);
    for (const auto& n : cfg.names()) {
        const ParamDecl& d = cfg.decl(n);
        EXPECT_FALSE(d.unit.empty()) << n;
        EXPECT_FALSE(d.desc.empty()) << n;
        EXPECT_FALSE(d.source.empty()) << n;
    }
}

// A platform that builds the models in C++ (no Config) gets the same ranges:
// the models' constructors check them (Smmuv3::validate, Cmdqv::validate),
// and a clock domain refuses a frequency it cannot turn into a period.
TEST(Params, RangesHoldForParametersSetInCxx)
{
    smmusim::Smmuv3Params sp;
    EXPECT_NO_THROW(sp.check_ranges());
    sp.cmdqs = 20;  // IDR1.CMDQS: at most 19
    try {
        sp.check_ranges();
        ADD_FAILURE() << "smmu.idr.cmdqs = 20 was accepted";
    } catch (const smmusim::ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("= 20 is out of range [0, 19]"), std::string::npos) << e.what();
    }
    EXPECT_THROW(smmusim::Smmuv3::validate(sp), smmusim::ConfigError);
    sp.cmdqs = 19;
    EXPECT_NO_THROW(smmusim::Smmuv3::validate(sp));

    smmusim::CmdqvParams cp;
    cp.vcmdqs_log2 = 99;
    EXPECT_THROW(smmusim::Cmdqv::validate(cp), smmusim::ConfigError);

    EXPECT_THROW(smmusim::ClockDomain("smmu", 0), smmusim::ConfigError);
    EXPECT_EQ(smmusim::ClockDomain("smmu", 1000000).period_ps(), 1u);
}
