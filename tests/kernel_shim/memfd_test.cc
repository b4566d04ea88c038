// SPDX-License-Identifier: GPL-2.0-only
// File-backed memory of the simulated process (kernel_shim/src/shmem.c,
// gup.c's memfd_pin_folios, file.c's mmap of a file whose pages fault in)
// and its poll() system call (src/poll.c), through the unmodified iommufd
// and the SMMUv3 driver: a memfd's pages are the frames its mapping shows,
// IOMMU_IOAS_MAP_FILE pins exactly those, truncation takes pages out of
// mappings and pinned ones live until their unpin; bad arguments get
// mm/memfd.c's, fs/open.c's and mm/gup.c's errnos.
#include <poll.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include SMMUSIM_UAPI_IOMMUFD_H

#include "kernel_shim.h"
#include "shim_setup.h"
#include "support/iommufd_setup.h"
#include "support/testbench.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;
constexpr uint64_t kPage = 4096;
// include/uapi/linux/memfd.h (the host's may predate MFD_EXEC).
constexpr unsigned kMfdCloexec = 0x1, kMfdHugetlb = 0x4, kMfdNoexecSeal = 0x8, kMfdExec = 0x10;

// /dev/iommu with one IOAS, an endpoint attached to it (so a map pins at
// once: the SMMU domain is filled), and a 4-page memfd mapped shared.
struct MemfdVmm {
    TestBench bench;
    KernelShim ks{bench.soc()};
    smmusim::test::IommufdBound io;
    int& fd = io.fd;
    int& ep = io.ep;
    uint32_t& ioas = io.ioas;
    int mfd = -1, map = -1;
    uint8_t* buf = nullptr;

    void create()
    {
        ASSERT_NO_FATAL_FAILURE(smmusim::test::open_iommufd_bound(ks, io, "vfio0"));
        uint32_t pt = ioas;
        ASSERT_EQ(ks.vfio_attach(ep, &pt), 0) << ks.dmesg() << ks.failures_text();
        mfd = ks.sys_memfd_create("buffer", kMfdCloexec);
        ASSERT_GE(mfd, 3);
        ASSERT_EQ(ks.sys_ftruncate(mfd, 4 * kPage), 0);
        map = ks.sys_mmap(mfd, 4 * kPage, 0);
        ASSERT_GE(map, 0);
        buf = reinterpret_cast<uint8_t*>(ks.map_address(map));
    }
    long map_file(int file, uint64_t start, uint64_t length, uint64_t iova)
    {
        iommu_ioas_map_file m{};
        m.size = sizeof(m);
        m.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE;
        m.ioas_id = ioas;
        m.fd = file;
        m.start = start;
        m.length = length;
        m.iova = iova;
        return ks.sys_ioctl(fd, IOMMU_IOAS_MAP_FILE, &m);
    }
    long unmap(uint64_t iova, uint64_t length)
    {
        iommu_ioas_unmap u{};
        u.size = sizeof(u);
        u.ioas_id = ioas;
        u.iova = iova;
        u.length = length;
        return ks.sys_ioctl(fd, IOMMU_IOAS_UNMAP, &u);
    }
    uint64_t pfn(uint64_t offset) { return ks.user_memory().pa(reinterpret_cast<uint64_t>(buf) + offset) / kPage; }
    void destroy()
    {
        EXPECT_EQ(ks.sys_munmap(map), 0);
        EXPECT_EQ(ks.sys_close(mfd), 0);
        ks.vfio_detach(ep);
        ks.vfio_unbind(ep);
        EXPECT_EQ(ks.sys_close(fd), 0);
        EXPECT_EQ(ks.user_memory().pins_live(), 0u);
        EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
    }
};

TEST(KernelShimMemfd, MapFilePinsTheFramesTheMappingShows)
{
    MemfdVmm v;
    ASSERT_NO_FATAL_FAILURE(v.create());
    std::memset(v.buf, 0xa5, 4 * kPage);  // the mapping is memory
    v.ks.map_write(v.map, 8, 0x12345678, 4);  // and map_read/map_write reach it
    EXPECT_EQ(v.buf[8], 0x78);
    EXPECT_EQ(v.ks.map_read(v.map, 8, 8), 0xa5a5a5a512345678ull);
    std::memset(v.buf, 0xa5, 16);
    for (uint64_t i = 0; i < 4; i++)
        ASSERT_NE(v.ks.user_memory().pa(reinterpret_cast<uint64_t>(v.buf) + i * kPage), ~0ull);
    // A second mapping of the file shows the same frames.
    const int again = v.ks.sys_mmap(v.mfd, 2 * kPage, kPage);
    ASSERT_GE(again, 0);
    EXPECT_EQ(v.ks.user_memory().pa(v.ks.map_address(again)) / kPage, v.pfn(kPage));
    EXPECT_EQ(*reinterpret_cast<uint8_t*>(v.ks.map_address(again)), 0xa5);
    EXPECT_EQ(v.ks.sys_munmap(again), 0);
    // A private mapping is a copy: its writes stay its own.
    const int priv = v.ks.sys_mmap(v.mfd, kPage, 0, false);
    ASSERT_GE(priv, 0);
    auto* copy = reinterpret_cast<uint8_t*>(v.ks.map_address(priv));
    EXPECT_NE(v.ks.user_memory().pa(v.ks.map_address(priv)) / kPage, v.pfn(0));
    EXPECT_EQ(copy[5], 0xa5);
    copy[5] = 1;
    EXPECT_EQ(v.buf[5], 0xa5);
    EXPECT_EQ(v.ks.sys_munmap(priv), 0);

    ASSERT_EQ(v.map_file(v.mfd, kPage, 2 * kPage, 0x100000), 0) << v.ks.dmesg() << v.ks.failures_text();
    EXPECT_EQ(v.ks.user_memory().pins_live(), 2u);
    EXPECT_EQ(v.ks.user_memory().pins_of(v.pfn(0)), 0);
    EXPECT_EQ(v.ks.user_memory().pins_of(v.pfn(kPage)), 1);
    EXPECT_EQ(v.ks.user_memory().pins_of(v.pfn(2 * kPage)), 1);
    EXPECT_EQ(v.unmap(0x100000, 2 * kPage), 0);
    EXPECT_EQ(v.ks.user_memory().pins_live(), 0u);
    v.destroy();
}

TEST(KernelShimMemfd, MapFileRefusesWhatMemfdPinFoliosRefuses)
{
    MemfdVmm v;
    ASSERT_NO_FATAL_FAILURE(v.create());
    EXPECT_EQ(v.map_file(v.mfd, 0, 5 * kPage, 0x100000), -EINVAL);  // past the file's end
    EXPECT_EQ(v.map_file(v.mfd, 3 * kPage, kPage + 1, 0x100000), -EINVAL);
    EXPECT_EQ(v.map_file(v.fd, 0, kPage, 0x100000), -EINVAL);  // not a memfd
    EXPECT_EQ(v.map_file(200, 0, kPage, 0x100000), -EBADF);
    EXPECT_EQ(v.map_file(v.mfd, 0, 0, 0x100000), -EINVAL);
    EXPECT_EQ(v.ks.user_memory().pins_live(), 0u);  // a failed pin leaves none
    v.destroy();
}

TEST(KernelShimMemfd, TruncationUnmapsPagesAndAPinnedOneLivesUntilItsUnpin)
{
    MemfdVmm v;
    ASSERT_NO_FATAL_FAILURE(v.create());
    std::memset(v.buf, 0x5a, 4 * kPage);
    const uint64_t pinned = v.pfn(2 * kPage);
    ASSERT_EQ(v.map_file(v.mfd, 2 * kPage, kPage, 0x100000), 0);
    ASSERT_EQ(v.ks.sys_ftruncate(v.mfd, kPage + 100), 0);
    // Pages 2 and 3 left the mapping; the tail of page 1 reads as zero.
    EXPECT_EQ(v.ks.user_memory().pa(reinterpret_cast<uint64_t>(v.buf) + 2 * kPage), ~0ull);
    EXPECT_EQ(v.ks.user_memory().pa(reinterpret_cast<uint64_t>(v.buf) + 3 * kPage), ~0ull);
    EXPECT_EQ(v.buf[kPage + 99], 0x5a);
    EXPECT_EQ(v.buf[kPage + 100], 0);
    EXPECT_EQ(v.ks.user_memory().pins_of(pinned), 1);
    EXPECT_EQ(v.map_file(v.mfd, 2 * kPage, kPage, 0x200000), -EINVAL);
    EXPECT_EQ(v.unmap(0x100000, kPage), 0);
    EXPECT_EQ(v.ks.user_memory().pins_of(pinned), 0);
    // Grown again: new pages, zeroed, in a new mapping.
    ASSERT_EQ(v.ks.sys_ftruncate(v.mfd, 4 * kPage), 0);
    const int again = v.ks.sys_mmap(v.mfd, 4 * kPage, 0);
    ASSERT_GE(again, 0);
    const auto* p = reinterpret_cast<const uint8_t*>(v.ks.map_address(again));
    EXPECT_EQ(p[0], 0x5a);
    EXPECT_EQ(p[3 * kPage + 7], 0);
    EXPECT_EQ(v.ks.sys_munmap(again), 0);
    v.destroy();
}

TEST(KernelShimMemfd, BadArgumentsGetTheKernelsErrnos)
{
    MemfdVmm v;
    ASSERT_NO_FATAL_FAILURE(v.create());
    KernelShim& ks = v.ks;
    EXPECT_EQ(ks.sys_memfd_create("x", 0x100), -EINVAL);
    EXPECT_EQ(ks.sys_memfd_create("x", kMfdExec | kMfdNoexecSeal), -EINVAL);
    EXPECT_EQ(ks.sys_memfd_create("x", kMfdHugetlb), -ENOSYS);  // no CONFIG_HUGETLBFS
    EXPECT_EQ(ks.sys_memfd_create(std::string(250, 'n'), 0), -EINVAL);
    const int named = ks.sys_memfd_create(std::string(249, 'n'), 0);
    EXPECT_GE(named, 3);
    EXPECT_EQ(ks.sys_close(named), 0);
    EXPECT_EQ(ks.sys_ftruncate(v.mfd, -1), -EINVAL);
    EXPECT_EQ(ks.sys_ftruncate(v.fd, 0), -EINVAL);  // not a regular file
    EXPECT_EQ(ks.sys_ftruncate(200, 0), -EBADF);
    EXPECT_EQ(ks.sys_mmap(v.mfd, kPage, 1), -EINVAL);
    // A mapping past the file's end: those pages are not there.
    const int past = ks.sys_mmap(v.mfd, 6 * kPage, 0);
    ASSERT_GE(past, 0);
    EXPECT_NE(ks.user_memory().pa(ks.map_address(past) + 3 * kPage), ~0ull);
    EXPECT_EQ(ks.user_memory().pa(ks.map_address(past) + 4 * kPage), ~0ull);
    EXPECT_EQ(ks.sys_munmap(past), 0);
    v.destroy();
}

TEST(KernelShimPoll, ReadyFilesInvalidOnesAndATimeoutInSimulatedTime)
{
    MemfdVmm v;
    ASSERT_NO_FATAL_FAILURE(v.create());
    iommu_fault_alloc fa{};
    fa.size = sizeof(fa);
    ASSERT_EQ(v.ks.sys_ioctl(v.fd, IOMMU_FAULT_QUEUE_ALLOC, &fa), 0) << v.ks.dmesg();
    const int ffd = static_cast<int>(fa.out_fault_fd);

    // A file without ->poll is always ready (DEFAULT_POLLMASK); a closed
    // descriptor is POLLNVAL; a negative one is skipped.
    pollfd fds[3] = {{v.mfd, POLLIN, 0}, {200, POLLIN, 0}, {-1, POLLIN, 0}};
    EXPECT_EQ(v.ks.sys_poll(fds, 3, 0), 2);
    EXPECT_EQ(fds[0].revents, POLLIN);
    EXPECT_EQ(fds[1].revents, POLLNVAL);
    EXPECT_EQ(fds[2].revents, 0);
    // The fault queue is writable at once, readable only with a fault: a
    // POLLIN wait ends at its timeout, in simulated time.
    pollfd q{ffd, POLLIN | POLLOUT, 0};
    EXPECT_EQ(v.ks.sys_poll(&q, 1, 0), 1);
    EXPECT_EQ(q.revents, POLLOUT);
    q.events = POLLIN;
    const sc_core::sc_time t0 = sc_core::sc_time_stamp();
    EXPECT_EQ(v.ks.sys_poll(&q, 1, 3), 0);
    EXPECT_GE(sc_core::sc_time_stamp() - t0, sc_core::sc_time(3, sc_core::SC_MS));
    EXPECT_EQ(v.ks.sys_poll(&q, 1025, 0), -EINVAL);
    EXPECT_EQ(v.ks.sys_poll(nullptr, 1, 0), -EFAULT);
    EXPECT_EQ(v.ks.sys_close(ffd), 0);
    iommu_destroy d{};
    d.size = sizeof(d);
    d.id = fa.out_fault_id;
    EXPECT_EQ(v.ks.sys_ioctl(v.fd, IOMMU_DESTROY, &d), 0);
    v.destroy();
}

}  // namespace
}  // namespace smmusim::kshim
