// SPDX-License-Identifier: GPL-2.0-only
#include "process.h"

#include <sys/mman.h>

#include <cerrno>
#include <stdexcept>

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
    const auto where = reinterpret_cast<uintptr_t>(window_) + window_next_;
    void* vma = nullptr;
    unsigned long long pa = 0;
    const int ret = h_.timed([&] {
        return smmusim_sys_mmap(fd, where, length, writable, shared, offset, &vma, &pa);
    });
    if (ret)
        return ret;
    window_next_ += len;
    h_.mmio.map_region(where, pa, len);
    maps_.push_back(Map{vma, where, len});
    return static_cast<int>(maps_.size() - 1);
}

int Process::sys_munmap(int map)
{
    if (map < 0 || static_cast<size_t>(map) >= maps_.size() || !maps_[static_cast<size_t>(map)].vma)
        return -EINVAL;
    Map& m = maps_[static_cast<size_t>(map)];
    void* vma = m.vma;
    m.vma = nullptr;
    h_.mmio.unmap_region(m.where);
    h_.timed([&] {
        smmusim_sys_munmap(vma);
        return 0;
    });
    return 0;
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
    return h_.timed([&] { return h_.mmio.read(reinterpret_cast<void*>(m->where + offset), size); });
}

void Process::map_write(int map, uint64_t offset, uint64_t value, unsigned size)
{
    const Map* m = mapping(map, offset, size, true);
    if (!m)
        return;
    h_.timed([&] {
        h_.mmio.write(reinterpret_cast<void*>(m->where + offset), value, size);
        return 0;
    });
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
