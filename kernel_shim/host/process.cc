// SPDX-License-Identifier: GPL-2.0-only
#include "process.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "host.h"
#include "smmusim/kernel.h"
#include "smmusim/kernel_facts.h"

namespace smmusim::kshim {

namespace {
constexpr uint64_t kWindowBytes = 1ull << 30;
}

// mmap()ed device regions: inaccessible host addresses whose accesses
// become MMIO (like ioremap cookies).
Process::Process(Host& h) : h_(h), forks_(h)
{
    window_ = mmap(nullptr, kWindowBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (window_ == MAP_FAILED)
        throw std::runtime_error("kernel shim: cannot reserve host address space for mmap()");
}

Process::~Process() { munmap(window_, kWindowBytes); }

int Process::sys_open(const std::string& misc_device)
{
    if (fwd_)
        return fwd_->open(misc_device);
    h_.devices.boot();
    const int fd = h_.timed([&] { return smmusim_sys_open(misc_device.c_str(), smmusim_kernel_o_rdwr); });
    opened_iommu_ |= fd >= 0 && misc_device == "iommu";
    return fd;
}

long Process::sys_ioctl(int fd, unsigned long cmd, void* arg)
{
    if (fwd_)
        return fwd_->ioctl(fd, cmd, arg);
    return h_.timed([&] {
        return smmusim_sys_ioctl(fd, static_cast<unsigned>(cmd), reinterpret_cast<unsigned long>(arg));
    });
}

long Process::sys_read(int fd, void* buf, size_t count)
{
    if (fwd_)
        return fwd_->read(fd, buf, count);
    return h_.timed([&] { return smmusim_sys_read(fd, buf, count); });
}

long Process::sys_write(int fd, const void* buf, size_t count)
{
    return h_.timed([&] { return smmusim_sys_write(fd, buf, count); });
}

int Process::sys_close(int fd)
{
    if (fwd_)
        return fwd_->close(fd);
    return h_.timed([&] { return smmusim_sys_close(fd); });
}

int Process::sys_mmap(int fd, uint64_t length, uint64_t offset, bool shared, bool writable)
{
    if (fwd_)
        return -ENOSYS;
    const uint64_t len = (length + 4095) & ~uint64_t(4095);
    if (len == 0 || window_next_ + len > kWindowBytes)
        return -EINVAL;
    auto where = reinterpret_cast<uintptr_t>(window_) + window_next_;
    void* vma = nullptr;
    unsigned long long pa = 0;
    const int ret = h_.timed([&] {
        int r = smmusim_sys_mmap(fd, where, length, writable, shared, offset, &vma, &pa);
        if (r == 0 && pa == ~0ull && (r = populate(vma, where, len, shared)) != 0)
            smmusim_sys_munmap(vma);
        return r;
    });
    if (ret)
        return ret;
    window_next_ += len;
    const Kind kind = pa == ~0ull ? Kind::File : place(pa, len, &where);
    if (kind == Kind::Mmio)
        h_.mmio.map_region(where, pa, len);
    maps_.push_back(Map{vma, where, len, kind});
    return static_cast<int>(maps_.size() - 1);
}

// remap_pfn_range() of RAM gives memory, of a device's registers MMIO. The
// shim's page allocator is the host heap (src/slab.c), so a kernel page's
// "PA" is __pa() of a host address: the range is that live heap block,
// mapped where the kernel sees it (user and kernel share the host's
// address space).
Process::Kind Process::place(uint64_t pa, uint64_t len, uintptr_t* where)
{
    const Memory& dram = h_.board.memory();
    if (dram.host_ptr(pa, len)) {
        if (!dram.map_alias(pa, len, reinterpret_cast<void*>(*where)))
            throw std::runtime_error("kernel shim: cannot map simulated DRAM into the process");
        return Kind::Dram;
    }
    const Memory::Region& r = dram.regions().front();
    const uintptr_t va = reinterpret_cast<uintptr_t>(r.host) - r.base + pa;
    if (h_.kmem.ksize(reinterpret_cast<const void*>(va)) >= len) {
        *where = va;
        return Kind::Kernel;
    }
    return Kind::Mmio;
}

int Process::populate(void* vma, uintptr_t where, uint64_t len, bool shared)
{
    std::vector<uint64_t> frames(len / 4096);
    for (size_t i = 0; i < frames.size(); i++) {
        unsigned long long pa = 0;
        const int r = smmusim_vma_fault(vma, i, &pa);
        if (r == -ENOMEM)
            return r;
        frames[i] = r ? ~0ull : pa;  // past the file's end: no page
    }
    void* at = reinterpret_cast<void*>(where);
    return (shared ? h_.user.map_file(at, frames) : h_.user.map_copy(at, frames)) ? 0 : -ENOMEM;
}

void Process::unmap_host(const Map& m)
{
    switch (m.kind) {
    case Kind::Mmio:
        h_.mmio.unmap_region(m.where);
        break;
    case Kind::Dram:
        mmap(reinterpret_cast<void*>(m.where), m.length, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
        break;
    case Kind::Kernel:
        break;  // the kernel's page stays the kernel's
    case Kind::File:
        h_.user.unmap(reinterpret_cast<void*>(m.where), m.length);
        break;
    }
}

int Process::sys_munmap(int map)
{
    if (fwd_)
        return -ENOSYS;  // a forked child: not modelled (fork.cc)
    if (map < 0 || static_cast<size_t>(map) >= maps_.size() || !maps_[static_cast<size_t>(map)].vma)
        return -EINVAL;
    Map& m = maps_[static_cast<size_t>(map)];
    void* vma = m.vma;
    m.vma = nullptr;
    unmap_host(m);
    h_.timed([&] {
        smmusim_sys_munmap(vma);
        return 0;
    });
    return 0;
}

int Process::sys_memfd_create(const std::string& name, unsigned flags)
{
    if (fwd_)
        return -ENOSYS;  // a forked child: not modelled (fork.cc)
    return h_.timed([&] { return smmusim_sys_memfd_create(name.c_str(), flags); });
}

int Process::sys_ftruncate(int fd, int64_t length)
{
    if (fwd_)
        return -ENOSYS;  // a forked child: not modelled (fork.cc)
    return h_.timed([&] { return smmusim_sys_ftruncate(fd, length); });
}

int Process::sys_poll(void* fds, unsigned nfds, int timeout_ms)
{
    if (fwd_)
        return -ENOSYS;  // a forked child: not modelled (fork.cc)
    return h_.timed([&] { return smmusim_sys_poll(fds, nfds, timeout_ms); });
}

const Process::Map* Process::mapping(int map, uint64_t offset, unsigned size, bool write)
{
    if (map < 0 || static_cast<size_t>(map) >= maps_.size() || !maps_[static_cast<size_t>(map)].vma) {
        h_.log.fail("segv", fmt::format("{} mapping {} which is not mapped", write ? "write to" : "read of", map));
        return nullptr;
    }
    const Map& m = maps_[static_cast<size_t>(map)];
    if (offset + size > m.length) {
        h_.log.fail("segv", fmt::format("{} at offset {:#x} beyond the {:#x}-byte mapping", write ? "write" : "read",
                                        offset, m.length));
        return nullptr;
    }
    return &m;
}

uint64_t Process::map_address(int map) const
{
    if (map < 0 || static_cast<size_t>(map) >= maps_.size() || !maps_[static_cast<size_t>(map)].vma)
        return 0;
    return maps_[static_cast<size_t>(map)].where;
}

int Process::map_at(uint64_t where) const
{
    for (size_t i = 0; i < maps_.size(); i++)
        if (maps_[i].vma && maps_[i].where == where)
            return static_cast<int>(i);
    return -1;
}

uint64_t Process::map_read(int map, uint64_t offset, unsigned size)
{
    const Map* m = mapping(map, offset, size, false);
    if (!m)
        return ~0ull;
    if (m->kind != Kind::Mmio) {
        uint64_t v = 0;
        if (memory_at(*m, offset, size, false))
            std::memcpy(&v, reinterpret_cast<const void*>(m->where + offset), size);
        return v;
    }
    return h_.timed([&] { return h_.mmio.read(reinterpret_cast<void*>(m->where + offset), size); });
}

void Process::map_write(int map, uint64_t offset, uint64_t value, unsigned size)
{
    const Map* m = mapping(map, offset, size, true);
    if (!m)
        return;
    if (m->kind != Kind::Mmio) {
        if (memory_at(*m, offset, size, true))
            std::memcpy(reinterpret_cast<void*>(m->where + offset), &value, size);
        return;
    }
    h_.timed([&] {
        h_.mmio.write(reinterpret_cast<void*>(m->where + offset), value, size);
        return 0;
    });
}

// An access of 1 to 8 bytes to a page of a memory mapping that is there (a
// file's page past its end is not); otherwise a "segv" failure is recorded.
bool Process::memory_at(const Map& m, uint64_t offset, unsigned size, bool write)
{
    const char* what = write ? "write" : "read";
    if (size == 0 || size > sizeof(uint64_t)) {
        h_.log.fail("segv", fmt::format("{} of {} bytes at once from a memory mapping", what, size));
        return false;
    }
    if (m.kind != Kind::File ||
        (h_.user.pa(m.where + offset) != ~0ull && h_.user.pa(m.where + offset + size - 1) != ~0ull))
        return true;
    h_.log.fail("segv", fmt::format("{} at offset {:#x} of a file mapping, past the end of the file", what, offset));
    return false;
}

int Process::vfio_bind(int fd, int ep, uint32_t* dev_id)
{
    void* p = h_.devices.endpoint(ep);
    if (!p || idevs_.count(ep))
        return p ? -EBUSY : -EINVAL;
    int err = 0;
    unsigned id = 0;
    void* idev = h_.timed([&] { return smmusim_iommufd_bind(fd, p, &id, &err); });
    if (!idev)
        return err;
    idevs_[ep] = idev;
    *dev_id = id;
    return 0;
}

int Process::vfio_attach(int ep, uint32_t* pt_id)
{
    auto it = idevs_.find(ep);
    if (it == idevs_.end())
        return -EINVAL;
    // VFIO_DEVICE_ATTACH_IOMMUFD_PT: attach, or replace when attached.
    const bool replace = attached_.count(ep) != 0;
    unsigned id = *pt_id;
    const int ret = h_.timed([&] {
        return replace ? smmusim_iommufd_replace(it->second, &id) : smmusim_iommufd_attach(it->second, &id);
    });
    *pt_id = id;
    if (ret == 0)
        attached_.insert(ep);
    return ret;
}

void Process::vfio_detach(int ep)
{
    auto it = idevs_.find(ep);
    if (it != idevs_.end() && attached_.erase(ep))
        h_.timed([&] {
            smmusim_iommufd_detach(it->second);
            return 0;
        });
}

void Process::vfio_unbind(int ep)
{
    auto it = idevs_.find(ep);
    if (it == idevs_.end())
        return;
    void* idev = it->second;
    idevs_.erase(it);
    attached_.erase(ep);
    h_.timed([&] {
        smmusim_iommufd_unbind(idev);
        return 0;
    });
}

}  // namespace smmusim::kshim
