// SPDX-License-Identifier: GPL-2.0-only
// The shim's heap and DMA pool (host/kmem.h). The DMA pool hands out
// zeroed memory, whether the range is fresh DRAM or was used and freed
// (poisoned) before, and whether it is zeroed by writing (small ranges) or
// by becoming a hole in DRAM's memory file (64 KiB and more, which then
// holds no host memory): the models' view of DRAM (the Memory backdoor) and
// a second mapping of the same frames (as user memory has) read zeros too.
// User memory (host/user_memory.h, the same DRAM frames) is zero too. The
// heap's leak report names the kernel function of each live block.
#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernel_shim.h"
#include "klog.h"
#include "kmem.h"
#include "support/testbench.h"
#include "user_memory.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;

bool all_zero(const uint8_t* p, size_t n) { return std::all_of(p, p + n, [](uint8_t b) { return b == 0; }); }

// Pages of [p, p + n) that hold host memory (page cache of DRAM's file).
size_t resident_pages(const void* p, size_t n)
{
    std::vector<unsigned char> v((n + 4095) / 4096);
    EXPECT_EQ(mincore(const_cast<void*>(p), n, v.data()), 0);
    return static_cast<size_t>(std::count_if(v.begin(), v.end(), [](unsigned char c) { return c & 1; }));
}

// [pa, pa + len) as the models read it.
std::vector<uint8_t> dram(TestBench& b, uint64_t pa, size_t len)
{
    std::vector<uint8_t> v(len, 0xee);
    EXPECT_TRUE(b.mem().read(pa, v.data(), len));
    return v;
}

TEST(KernelShimKmem, DmaMemoryIsZeroFreshAndAfterReuse)
{
    TestBench bench;
    Klog log(false);
    const uint64_t pool = bench.mem().regions().front().base + (512ull << 20);
    Kmem kmem(bench.mem(), pool, 64ull << 20, log);
    // Below, at and above the size from which the pool punches holes.
    for (const size_t size : {size_t{4096}, size_t{60} << 10, size_t{64} << 10, size_t{8} << 20}) {
        SCOPED_TRACE(size);
        uint64_t pa = 0;
        auto* p = static_cast<uint8_t*>(kmem.dma_alloc(size, &pa));
        ASSERT_NE(p, nullptr);
        // 64 KiB and more: zeroed without being touched (a fresh command
        // queue costs the host nothing until it is used).
        EXPECT_EQ(resident_pages(p, size), size >= (64u << 10) ? 0u : size / 4096);
        EXPECT_TRUE(all_zero(p, size));
        // A second view of the frames (the simulated process's user memory).
        void* alias = mmap(nullptr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        ASSERT_NE(alias, MAP_FAILED);
        ASSERT_TRUE(bench.mem().map_alias(pa, size, alias));
        memset(p, 0xa5, size);
        kmem.dma_free(p);  // poisons
        ASSERT_EQ(static_cast<uint8_t*>(alias)[size - 1], 0x6b);

        uint64_t again = 0;
        auto* q = static_cast<uint8_t*>(kmem.dma_alloc(size, &again));
        ASSERT_EQ(again, pa) << "first fit reuses the range";
        EXPECT_EQ(resident_pages(q, size), size >= (64u << 10) ? 0u : size / 4096);
        EXPECT_TRUE(all_zero(q, size));
        EXPECT_TRUE(all_zero(static_cast<uint8_t*>(alias), size));
        EXPECT_TRUE(all_zero(dram(bench, pa, size).data(), size));
        kmem.dma_free(q);
        munmap(alias, size);
    }
    EXPECT_TRUE(log.failures().empty());
    EXPECT_EQ(kmem.stats().dma_live, 0u);
}

// A process's user memory: zero, fresh or reused, a contiguous run of
// frames of 64 KiB or more without touching the host pages.
TEST(KernelShimKmem, UserMemoryIsZeroFreshAndAfterReuse)
{
    TestBench bench;
    const uint64_t pool = bench.mem().regions().front().base + (768ull << 20);
    UserMemory user(bench.mem(), pool, 16ull << 20);
    const size_t kRam = 2u << 20;
    for (const auto layout : {UserMemory::Layout::Contiguous, UserMemory::Layout::Scattered}) {
        SCOPED_TRACE(layout == UserMemory::Layout::Contiguous ? "contiguous" : "scattered");
        auto* p = static_cast<uint8_t*>(user.alloc(kRam, layout));
        ASSERT_NE(p, nullptr);
        if (layout == UserMemory::Layout::Contiguous) {
            EXPECT_EQ(resident_pages(p, kRam), 0u);
        }
        EXPECT_TRUE(all_zero(p, kRam));
        const uint64_t first = user.pa(reinterpret_cast<uint64_t>(p));
        memset(p, 0xa5, kRam);
        ASSERT_TRUE(user.free(p));
        auto* q = static_cast<uint8_t*>(user.alloc(kRam, layout));
        ASSERT_NE(q, nullptr);
        ASSERT_EQ(user.pa(reinterpret_cast<uint64_t>(q)), first) << "the same frames again";
        EXPECT_TRUE(all_zero(q, kRam));
        EXPECT_TRUE(all_zero(dram(bench, first, 4096).data(), 4096));
        ASSERT_TRUE(user.free(q));
    }
}

// The leak report names the kernel function that allocated each live block
// (its static functions too), not the shim's allocators in between.
TEST(KernelShimKmem, TheLeakReportNamesTheKernelFunctionThatAllocated)
{
    TestBench bench({"cmdqv.present=false"});
    KernelShim ks(bench.soc());
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg();
    const std::string report = ks.live_kmallocs();
    EXPECT_NE(report.find(" from arm_smmu_device_probe\n"), std::string::npos) << report;
    EXPECT_NE(report.find(" from arm_smmu_cmdq_init\n"), std::string::npos) << report;
    for (const char* wrapper : {" from ?\n", "kmalloc\n", "kzalloc\n", " from devm_", " from smmusim_"})
        EXPECT_EQ(report.find(wrapper), std::string::npos) << wrapper << " in\n" << report;
}

}  // namespace
}  // namespace smmusim::kshim
