// SPDX-License-Identifier: GPL-2.0-only
// The kernel log as a kernel developer reads it: `dmesg`'s line format,
// source files relative to their tree, functions by name.
#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "kernel_shim.h"
#include "support/testbench.h"
#include "smmusim/host.h"
#include "symbols.h"

extern "C" int iommu_map(void*, unsigned long, unsigned long long, unsigned long, int, unsigned);
extern "C" void mutex_unlock(void* lock);

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

std::string vformat(const char* fmt, ...)
{
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    smmusim_host_vformat(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return buf;
}

const void* err_ptr(long e) { return reinterpret_cast<const void*>(static_cast<intptr_t>(e)); }

TEST(KernelLog, PeNamesEveryErrnoAsTheKernelDoes)
{
    // %pe of an ERR_PTR: the errno's name, user-space and kernel-internal.
    EXPECT_EQ(vformat("%pe", err_ptr(-ENOTTY)), "-ENOTTY");
    EXPECT_EQ(vformat("%pe", err_ptr(-EINVAL)), "-EINVAL");
    EXPECT_EQ(vformat("%pe", err_ptr(-524)), "-ENOTSUPP");
    EXPECT_EQ(vformat("%pe", err_ptr(-517)), "-EPROBE_DEFER");
    EXPECT_EQ(vformat("%pe", err_ptr(-520)), "-520");  // no errno of Linux
}

TEST(KernelLog, SourcePathsAreRelativeToTheirTree)
{
    // Whatever path the compiler recorded (absolute, or relative to the
    // build directory as ccache makes it), WARNs name the file as the
    // kernel does.
    EXPECT_STREQ(smmusim_host_tree_path(SMMUSIM_KERNEL_TREE "/drivers/iommu/iommu.c"), "drivers/iommu/iommu.c");
    EXPECT_STREQ(smmusim_host_tree_path("../../x/y/drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c"),
                 "drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c");
    EXPECT_STREQ(smmusim_host_tree_path(SMMUSIM_KERNEL_SHIM_DIR "/src/slab.c"), "kernel_shim/src/slab.c");
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

TEST(KernelLog, AWarnNamesItsTreeRelativeFileAndFunction)
{
    smmusim::test::TestBench bench;
    KernelShim ks(bench.soc());
    // A struct mutex nobody holds (owner, its first field, is 0): unlocking
    // it WARNs (kernel_shim/src/locking.c).
    alignas(64) static unsigned char lock[256] = {};
    ks.run([&] { mutex_unlock(lock); });
    ASSERT_EQ(ks.failures().size(), 1u) << ks.failures_text();
    EXPECT_EQ(ks.failures()[0].kind, "WARN");
    const std::string& m = ks.failures()[0].message;
    EXPECT_TRUE(std::regex_search(m, std::regex("^WARNING: kernel_shim/src/locking\\.c:[0-9]+ at "
                                                "mutex_unlock\\+0x[0-9a-f]+/0x[0-9a-f]+: mutex_unlock: ")))
        << m;
    EXPECT_EQ(m.find("/work"), std::string::npos) << m;
    EXPECT_TRUE(ks.log_contains("WARNING: kernel_shim/src/locking.c:")) << ks.dmesg();
}

}  // namespace
}  // namespace smmusim::kshim
