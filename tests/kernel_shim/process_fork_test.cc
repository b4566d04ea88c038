// SPDX-License-Identifier: GPL-2.0-only
// A second simulated process (host/process_fork.h): fork() gives it a copy
// of the first process's descriptor table and address space; iommufd pins
// its pages while it lives and fails with EFAULT once it has exited, as
// for a real child (the iommufd selftest's fork_gone/fork_present); its
// exit closes its descriptors and counts as its mm's last user. The "child"
// is this host process (its memory is where user copies go), so these
// tests run without a real fork().
#include <unistd.h>

#include <cerrno>

#include <gtest/gtest.h>

#include SMMUSIM_UAPI_IOMMUFD_H

#include "host.h"
#include "kernel_shim.h"
#include "support/iommufd_setup.h"
#include "support/testbench.h"
#include "vmm/iommufd_args.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;

constexpr uint64_t kBytes = 16 * 4096, kIova = 1ull << 30;

struct Machine {
    TestBench bench;
    KernelShim ks{bench.soc()};
    smmusim::test::IommufdBound io;
    int& fd = io.fd;
    uint32_t& ioas = io.ioas;
    int& ep = io.ep;
    Forks& forks = host().process.forks();

    // /dev/iommu, an IOAS and an endpoint bound to it (not attached).
    void SetUp() { ASSERT_NO_FATAL_FAILURE(smmusim::test::open_iommufd_bound(ks, io)); }
    // A child forked after kBytes of user memory were allocated, which maps
    // them at kIova (IOMMU_IOAS_MAP as the child): its number.
    void fork_and_map(int& n)
    {
        void* buf = ks.user_alloc(kBytes);
        ASSERT_NE(buf, nullptr);
        n = forks.fork(getpid());
        ASSERT_GE(n, 1);
        iommu_ioas_map map = iommufd::ioas_map_fixed(ioas, buf, kBytes, kIova);
        map.size = sizeof(map);
        ASSERT_EQ(forks.as(n, [&] { return ks.sys_ioctl(fd, IOMMU_IOAS_MAP, &map); }), 0) << ks.dmesg();
    }
};

TEST(KernelShimFork, ChildHasItsOwnDescriptorTable)
{
    Machine m;
    ASSERT_NO_FATAL_FAILURE(m.SetUp());
    const int n = m.forks.fork(getpid());
    ASSERT_GE(n, 1);
    EXPECT_EQ(m.forks.as(n, [&] { return m.ks.sys_close(m.fd); }), 0);
    EXPECT_EQ(m.forks.as(n, [&] { return m.ks.sys_close(m.fd); }), -EBADF);
    // The parent's descriptor still names the shared file.
    iommu_ioas_alloc alloc{};
    alloc.size = sizeof(alloc);
    EXPECT_EQ(m.ks.sys_ioctl(m.fd, IOMMU_IOAS_ALLOC, &alloc), 0);
    m.forks.exit(n);
    EXPECT_TRUE(m.ks.failures().empty()) << m.ks.failures_text();
}

TEST(KernelShimFork, PagesOfALiveChildArePinnedAndCounted)
{
    Machine m;
    ASSERT_NO_FATAL_FAILURE(m.SetUp());
    int n = 0;
    ASSERT_NO_FATAL_FAILURE(m.fork_and_map(n));
    // The parent attaches: iommufd pins the child's pages (its mm).
    uint32_t pt = m.ioas;
    ASSERT_EQ(m.ks.vfio_attach(m.ep, &pt), 0) << m.ks.dmesg() << m.ks.failures_text();
    EXPECT_EQ(m.ks.user_memory().pins_live(), kBytes / 4096);
    unsigned long pinned = 0, locked = 0;
    m.forks.vm(n, &pinned, &locked);
    EXPECT_EQ(pinned, kBytes / 4096);
    m.forks.vm(0, &pinned, &locked);
    EXPECT_EQ(pinned, 0u);
    m.forks.exit(n);
    EXPECT_TRUE(m.ks.failures().empty()) << m.ks.failures_text();
}

TEST(KernelShimFork, PagesOfAnExitedChildCannotBePinned)
{
    Machine m;
    ASSERT_NO_FATAL_FAILURE(m.SetUp());
    int n = 0;
    ASSERT_NO_FATAL_FAILURE(m.fork_and_map(n));
    m.forks.exit(n);
    // iopt_pages' source mm has no user left (mmget_not_zero fails).
    uint32_t pt = m.ioas;
    EXPECT_EQ(m.ks.vfio_attach(m.ep, &pt), -EFAULT);
    EXPECT_EQ(m.ks.user_memory().pins_live(), 0u);
    EXPECT_EQ(m.forks.child_of(getpid()), n);
    unsigned long pinned = 1, locked = 1;
    m.forks.vm(n, &pinned, &locked);
    EXPECT_EQ(pinned + locked, 0u);
}

TEST(KernelShimFork, AFrameAChildMapsIsNotReusedBeforeItsExit)
{
    Machine m;
    ASSERT_NO_FATAL_FAILURE(m.SetUp());
    auto& um = m.ks.user_memory();
    void* buf = um.alloc(4096);
    ASSERT_NE(buf, nullptr);
    const uint64_t frame = um.pa(reinterpret_cast<uint64_t>(buf));
    const int n = m.forks.fork(getpid());
    ASSERT_GE(n, 1);
    ASSERT_TRUE(um.free(buf));
    EXPECT_EQ(m.forks.pa(n, reinterpret_cast<uint64_t>(buf)), frame);
    void* other = um.alloc(4096);
    EXPECT_NE(um.pa(reinterpret_cast<uint64_t>(other)), frame);
    m.forks.exit(n);
    EXPECT_EQ(m.forks.pa(n, reinterpret_cast<uint64_t>(buf)), ~0ull);
    void* again = um.alloc(4096);
    EXPECT_EQ(um.pa(reinterpret_cast<uint64_t>(again)), frame);
}

TEST(KernelShimFork, ExitClosesTheChildsDescriptors)
{
    Machine m;
    ASSERT_NO_FATAL_FAILURE(m.SetUp());
    m.ks.vfio_unbind(m.ep);
    const int n = m.forks.fork(getpid());
    ASSERT_GE(n, 1);
    // The parent closes its descriptor: the child's keeps the context.
    ASSERT_EQ(m.ks.sys_close(m.fd), 0);
    iommu_ioas_alloc alloc{};
    alloc.size = sizeof(alloc);
    EXPECT_EQ(m.forks.as(n, [&] { return m.ks.sys_ioctl(m.fd, IOMMU_IOAS_ALLOC, &alloc); }), 0);
    const uint64_t live = m.ks.alloc_stats().kmalloc_live;
    // Its exit releases the last reference: iommufd frees the context.
    m.forks.exit(n);
    EXPECT_LT(m.ks.alloc_stats().kmalloc_live, live);
    EXPECT_TRUE(m.ks.failures().empty()) << m.ks.failures_text();
}

}  // namespace
}  // namespace smmusim::kshim
