// SPDX-License-Identifier: GPL-2.0-only
// The kernel shim's timing figures are parameters: declared with unit,
// range and source, defaulting to the shim's own defaults, and set from a
// Config.
#include <cerrno>

#include <gtest/gtest.h>

#include "kernel_shim.h"
#include "support/testbench.h"

namespace smmusim::kshim {
namespace {

TEST(KernelParams, DeclaredWithUnitRangeAndSource)
{
    Config cfg;
    declare_kernel_params(cfg);
    for (const char* key : {"kernel.cpu_relax_ns", "kernel.wfe_timeout_ns"}) {
        ASSERT_TRUE(cfg.declared(key)) << key;
        const ParamDecl& d = cfg.decl(key);
        EXPECT_EQ(d.unit, "ns") << key;
        EXPECT_FALSE(d.desc.empty()) << key;
        EXPECT_FALSE(d.source.empty()) << key;
        EXPECT_GE(d.min, 1u) << key;  // a busy-wait step must take time
    }
    // The defaults are the shim's: no figure changes with the Config.
    const ShimOptions defaults;
    const ShimOptions o = shim_options(cfg);
    EXPECT_EQ(o.cpu_relax_ns, defaults.cpu_relax_ns);
    EXPECT_EQ(o.wfe_timeout_ns, defaults.wfe_timeout_ns);
    EXPECT_EQ(o.cpu_relax_ns, 10u);
    EXPECT_EQ(o.wfe_timeout_ns, 1000u);
}

TEST(KernelParams, SetFromAConfig)
{
    Config cfg;
    declare_kernel_params(cfg);
    cfg.set_assignments({"kernel.cpu_relax_ns=25", "kernel.wfe_timeout_ns=100000"}, "--set");
    const ShimOptions o = shim_options(cfg);
    EXPECT_EQ(o.cpu_relax_ns, 25u);
    EXPECT_EQ(o.wfe_timeout_ns, 100000u);
    EXPECT_THROW(cfg.set("kernel.cpu_relax_ns", "0", "--set"), ConfigError);
}

// A module parameter's value is checked before the run (the trace reader,
// through KernelShim::check_module_param) by the rule its setter applies at
// run time: both take exactly kstrtobool()'s values for a bool.
TEST(KernelModuleParams, TheCheckBeforeTheRunAgreesWithTheSetter)
{
    smmusim::test::TestBench bench;
    KernelShim ks(bench.soc());
    const std::string name = "arm_smmu_v3.bypass_vcmdq";
    const char* const takes[] = {"1", "0", "y", "Y", "n", "N", "t", "true", "F", "false", "on", "ON", "off", "Of", "yes"};
    const char* const refuses[] = {"maybe", "", "2", "o", "-1", "x"};
    for (const char* v : takes) {
        EXPECT_EQ(KernelShim::check_module_param(name, v), "") << v;
        EXPECT_EQ(ks.set_module_param(name, v), 0) << v;
    }
    for (const char* v : refuses) {
        EXPECT_NE(KernelShim::check_module_param(name, v), "") << v;
        EXPECT_EQ(ks.set_module_param(name, v), -EINVAL) << v;
    }
    EXPECT_EQ(KernelShim::check_module_param(name, "maybe"),
              "arm_smmu_v3.bypass_vcmdq is a bool: expected 1, y, Y, t, T or on (true), 0, n, N, f, F or off (false), "
              "as the kernel's kstrtobool() reads it; got 'maybe'");
    EXPECT_EQ(KernelShim::check_module_param("arm_smmu_v3.no_such", "1"), "no module parameter 'arm_smmu_v3.no_such'");
    EXPECT_EQ(ks.set_module_param(name, "0"), 0);
}

}  // namespace
}  // namespace smmusim::kshim
