// SPDX-License-Identifier: GPL-2.0-only
// The kernel log as a kernel developer reads it: `dmesg`'s line format,
// source files relative to their tree, functions by name.
#include <string>

#include <gtest/gtest.h>

#include "bridge.h"
#include "symbols.h"

extern "C" const char* smmusim_host_tree_path(const char* file);
extern "C" int iommu_map(void*, unsigned long, unsigned long long, unsigned long, int, unsigned);

namespace smmusim::kshim {
namespace {

TEST(KernelLog, LinesAreInDmesgFormat)
{
    // util-linux dmesg: "[%5lu.%06lu] " then the message; no level.
    EXPECT_EQ(KernelShim::dmesg_line(LogRecord{6, 123456, "arm-smmu-v3 10000000.iommu: ias 48-bit"}),
              "[    0.000123] arm-smmu-v3 10000000.iommu: ias 48-bit\n");
    EXPECT_EQ(KernelShim::dmesg_line(LogRecord{3, 12345678901234ull, "x"}), "[12345.678901] x\n");
    EXPECT_EQ(KernelShim::dmesg_line(LogRecord{0, 0, ""}), "[    0.000000] \n");
}

TEST(KernelLog, SourcePathsAreRelativeToTheirTree)
{
    // Whatever path the compiler recorded (absolute, or relative to the
    // build directory as ccache makes it), WARNs name the file as the
    // kernel does.
    EXPECT_STREQ(smmusim_host_tree_path(SMMUSIM_KERNEL_TREE "/drivers/iommu/iommu.c"), "drivers/iommu/iommu.c");
    EXPECT_STREQ(smmusim_host_tree_path("../../x/y/drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c"),
                 "drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c");
    EXPECT_STREQ(smmusim_host_tree_path(SMMUSIM_KERNEL_SHIM_DIR "/src/mm.c"), "kernel_shim/src/mm.c");
    EXPECT_STREQ(smmusim_host_tree_path("../kernel_shim/src/sched.c"), "kernel_shim/src/sched.c");
    // Not a file of either tree: left as it is.
    EXPECT_STREQ(smmusim_host_tree_path("/nowhere/none.c"), "/nowhere/none.c");
}

TEST(KernelLog, AddressesAreFunctionsOfTheLinkedKernel)
{
    // %pS's form: function+offset/size, from the program's symbol table.
    const auto* fn = reinterpret_cast<const char*>(&iommu_map);
    EXPECT_EQ(symbolize(fn).rfind("iommu_map+0x0/0x", 0), 0u) << symbolize(fn);
    EXPECT_EQ(symbolize(fn + 4).rfind("iommu_map+0x4/0x", 0), 0u) << symbolize(fn + 4);
}

}  // namespace
}  // namespace smmusim::kshim
