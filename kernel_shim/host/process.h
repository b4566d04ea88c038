// SPDX-License-Identifier: GPL-2.0-only
// The simulated process (a VMM): its user memory, its system calls on
// /dev/iommu (open, ioctl, read, close, mmap, munmap), accesses through
// its mmap()ed device regions (MMIO in simulated time, as a guest's), and
// VFIO's iommufd calls for its devices (bind, attach, detach, unbind).
// Its file-backed memory: memfd_create/ftruncate, and mmap() of a file
// whose pages fault in (a shmem file: user memory aliasing the file's
// frames, or a copy of them for MAP_PRIVATE) or of a PFN range that is memory (DRAM, or the kernel's own
// heap page, mapped where the kernel sees it) rather than registers.
// The processes fork() adds are process_fork.h's; their system calls run
// here too, as Forks::as() them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "process_fork.h"

namespace smmusim::kshim {

struct Host;

// Where the system calls of a process that does not run the simulated
// kernel go: a forked child of the iommufd selftest sends them to the host
// process that does (kernel_shim/selftest/fork.cc). Each returns what the
// kernel returned (negative errno).
class SyscallForwarder {
public:
    virtual ~SyscallForwarder() = default;
    virtual int open(const std::string& misc_device) = 0;
    virtual long ioctl(int fd, unsigned long cmd, void* arg) = 0;
    virtual long read(int fd, void* buf, size_t count) = 0;
    virtual int close(int fd) = 0;
};

class Process {
public:
    explicit Process(Host& h);
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    int sys_open(const std::string& misc_device);
    long sys_ioctl(int fd, unsigned long cmd, void* arg);
    long sys_read(int fd, void* buf, size_t count);
    long sys_write(int fd, const void* buf, size_t count);
    int sys_close(int fd);
    int sys_mmap(int fd, uint64_t length, uint64_t offset, bool shared, bool writable);
    int sys_munmap(int map);
    int sys_memfd_create(const std::string& name, unsigned flags);
    int sys_ftruncate(int fd, int64_t length);
    int sys_poll(void* fds, unsigned nfds, int timeout_ms);
    uint64_t map_read(int map, uint64_t offset, unsigned size);
    // The address a live mapping starts at (0 if none), and the live
    // mapping starting at `where` (-1 if none).
    uint64_t map_address(int map) const;
    int map_at(uint64_t where) const;
    void map_write(int map, uint64_t offset, uint64_t value, unsigned size);

    int vfio_bind(int fd, int ep, uint32_t* dev_id);
    int vfio_attach(int ep, uint32_t* pt_id);
    void vfio_detach(int ep);
    void vfio_unbind(int ep);

    // The processes fork() added (process_fork.h).
    Forks& forks() { return forks_; }
    // Whether this process has opened /dev/iommu (a fork() after that is a
    // second process of this machine; kernel_shim/selftest/fork.cc).
    bool opened_iommu() const { return opened_iommu_; }
    // From now on open/ioctl/read/close go to `f` (not owned), and mmap(),
    // munmap() of a device region, memfd_create(), ftruncate() and poll()
    // fail with ENOSYS: this host process stands for a forked child whose
    // kernel runs elsewhere.
    void forward_to(SyscallForwarder* f) { fwd_ = f; }

private:
    enum class Kind {
        Mmio,    // a device's registers: accesses are MMIO
        Dram,    // DRAM frames remapped (remap_pfn_range of RAM)
        Kernel,  // a kernel heap block, at its kernel address
        File,    // a shmem file's pages (user memory, pinnable)
    };
    struct Map {
        void* vma = nullptr;
        uintptr_t where = 0;
        uint64_t length = 0;
        Kind kind = Kind::Mmio;
    };
    // Where a remapped PA range goes and how it is reached.
    Kind place(uint64_t pa, uint64_t len, uintptr_t* where);
    // Faults every page of `vma` in and maps the frames at `where` (a
    // File mapping; a private one gets a copy of them); -errno when a page
    // cannot be had.
    int populate(void* vma, uintptr_t where, uint64_t len, bool shared);
    void unmap_host(const Map& m);
    bool memory_at(const Map& m, uint64_t offset, unsigned size, bool write);
    // The live mapping `map` covering [offset, offset + size), or null (a
    // "segv" failure is recorded).
    const Map* mapping(int map, uint64_t offset, unsigned size, bool write);

    Host& h_;
    std::vector<Map> maps_;       // sys_mmap() (vma null: unmapped)
    std::map<int, void*> idevs_;  // endpoint -> iommufd_device
    std::set<int> attached_;      // endpoints attached to a page table (VFIO's iommufd_attached)
    void* window_ = nullptr;      // PROT_NONE host range for maps_
    uint64_t window_next_ = 0;
    Forks forks_;
    bool opened_iommu_ = false;
    SyscallForwarder* fwd_ = nullptr;
};

}  // namespace smmusim::kshim
