// SPDX-License-Identifier: GPL-2.0-only
// The kernel shim's timing figures are parameters: declared with unit,
// range and source, defaulting to the shim's own defaults, and set from a
// Config.
#include <gtest/gtest.h>

#include "kernel_shim.h"

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

}  // namespace
}  // namespace smmusim::kshim
