// SPDX-License-Identifier: GPL-2.0-only
// The selftest's system calls, redirected to the simulated process
// (tools/testing/selftests/iommu/iommufd.c is compiled unmodified; its
// object alone is linked with ld -r --wrap=open,close,ioctl,read,write,
// poll,mmap,munmap,memfd_create,ftruncate,..., so its calls land here and
// everyone else's, these functions' own included, reach the C library).
//
// File descriptors: the shim's descriptor table numbers the simulated
// process's files from 3 to 255 (kernel_shim/src/file.c). At start-up every
// descriptor of that range is taken in the real process by /dev/null (one
// inherited there moves above it first), so the real process's files are
// numbered from 256 and a number says whose file it is. A call on a number
// below 256 goes to the simulated kernel, others to the C library.
//
// Memory: anonymous mappings are simulated user memory (simulated DRAM
// frames, host/user_memory.h), so iommufd pins the frames a test maps;
// MAP_FIXED places them where the test asks (replacing what was there);
// munmap() takes pages out of them (a pinned page stays pinned, as in the
// kernel). Its page-aligned posix_memalign() buffers are user memory too
// (--wrap=posix_memalign,free), as a process's heap is.
//
// Files: /dev/iommu, and by path the simulated kernel's debugfs
// (/sys/kernel/debug/...) and task files (/proc/self/task/<pid>/fail-nth:
// its task is numbered with this process's pid), smmusim/fs_calls.h;
// write() on a simulated file is the kernel's. memfd_create() makes a
// shmem file of the simulated kernel (src/shmem.c), sized by ftruncate();
// an mmap() of a simulated file is the simulated process's mmap (a memfd's
// pages are user memory aliasing the file's frames; iommufd's vIOMMU page
// is memory or MMIO as it lies); a MAP_PRIVATE mapping of a real file
// (/proc/self/exe) is user memory holding a copy of its bytes, the private
// pages the kernel would fault in; poll() on simulated files is the
// simulated kernel's.
//
// Not redirected: a poll() mixing simulated and real files (EINVAL); the
// real process's poll() runs with its timeout scaled (the harness's wait
// for a case); eventfd (a real file the simulated kernel cannot see). fork,
// waitpid, exit and fopen of /proc/PID/status are fork.cc's (a second
// simulated process); a blocking read() of a real descriptor first serves
// its forked children's calls. A munmap() of part of a memfd
// mapping takes those pages out but keeps the mapping's file reference
// until the process ends. Protections are not enforced: user memory is
// readable and writable whatever prot says.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <utility>

#include "fork.h"
#include "machine.h"
#include "smmusim/fs_calls.h"
#include "syscalls.h"

using smmusim::kshim::KernelShim;
using smmusim::kshim::selftest::machine;


namespace smmusim::kshim::selftest {

namespace {
constexpr int kSimFds = 256;  // the shim's table (kernel_shim/src/file.c)
}

bool simulated(int fd) { return fd >= 3 && fd < kSimFds; }

long sysret(long ret)
{
    if (ret < 0) {
        errno = static_cast<int>(-ret);
        return -1;
    }
    return ret;
}

long kernel_call(const std::function<long()>& call)
{
    long ret = -ENOSYS;
    machine().run([&] { ret = call(); });
    return ret;
}

}  // namespace smmusim::kshim::selftest

using smmusim::kshim::selftest::kernel_call;
using smmusim::kshim::selftest::kSimFds;
using smmusim::kshim::selftest::simulated;
using smmusim::kshim::selftest::sysret;

namespace {

__attribute__((constructor(101))) void reserve_fds()
{
    const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0) {
        std::perror("iommufd selftest: /dev/null");
        std::exit(2);
    }
    for (int fd = 3; fd < kSimFds; fd++) {
        if (fd == null)
            continue;
        // A descriptor inherited in that range moves above it.
        if (fcntl(fd, F_GETFD) != -1 && fcntl(fd, F_DUPFD, kSimFds) < 0) {
            std::perror("iommufd selftest: moving an inherited descriptor");
            std::exit(2);
        }
        if (dup2(null, fd) != fd) {
            std::perror("iommufd selftest: dup2");
            std::exit(2);
        }
    }
}

// posix_memalign()ed buffers: aligned pointer -> (allocation, bytes).
std::map<void*, std::pair<void*, size_t>>& aligned_buffers()
{
    static std::map<void*, std::pair<void*, size_t>> bufs;
    return bufs;
}

// mmap(MAP_PRIVATE) of a real file: simulated user memory holding the
// file's bytes from `off` (zero past its end), the private copy the kernel
// would fault in, so iommufd can pin it; do_mmap()'s checks first.
void* map_private_file(void* addr, size_t len, int flags, int fd, off_t off)
{
    struct stat st;
    if (len == 0 || off < 0 || off % 4096) {
        errno = EINVAL;
        return MAP_FAILED;
    }
    if (fstat(fd, &st) != 0)
        return MAP_FAILED;  // EBADF
    if (!S_ISREG(st.st_mode) || (fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY) {
        errno = S_ISREG(st.st_mode) ? EACCES : ENODEV;
        return MAP_FAILED;
    }
    auto& um = machine().user_memory();
    auto* p = static_cast<char*>((flags & MAP_FIXED) ? um.alloc_at(addr, len) : um.alloc(len));
    if (!p) {
        errno = ENOMEM;
        return MAP_FAILED;
    }
    size_t done = 0;
    while (done < len) {
        const ssize_t n = pread(fd, p + done, len - done, off + static_cast<off_t>(done));
        if (n > 0)
            done += static_cast<size_t>(n);
        else if (n == 0)
            break;  // the file's end: the rest stays zero
        else if (errno != EINTR) {
            const int err = errno;
            um.unmap(p, len);
            errno = err;
            return MAP_FAILED;
        }
    }
    return p;
}

}  // namespace

extern "C" {

int __wrap_open(const char* path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    const int mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, int) : 0;
    va_end(ap);
    if (strcmp(path, "/dev/iommu") == 0)
        return static_cast<int>(sysret(machine().sys_open("iommu")));
    // The simulated kernel's debugfs and /proc files (smmusim/fs_calls.h).
    if (smmusim_path_simulated(path, getpid()))
        return static_cast<int>(
            sysret(kernel_call([&] { return smmusim_sys_openat(-1, path, flags, getpid()); })));
    return ::open(path, flags, mode);
}

int __wrap_close(int fd)
{
    if (!simulated(fd))
        return ::close(fd);
    return static_cast<int>(sysret(machine().sys_close(fd)));
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
    va_list ap;
    va_start(ap, req);
    void* arg = va_arg(ap, void*);
    va_end(ap);
    if (!simulated(fd))
        return ::ioctl(fd, req, arg);
    return static_cast<int>(sysret(machine().sys_ioctl(fd, req, arg)));
}

ssize_t __wrap_read(int fd, void* buf, size_t count)
{
    if (!simulated(fd)) {
        smmusim::kshim::selftest::serve_children_until_readable(fd);  // fork.cc
        return ::read(fd, buf, count);
    }
    return sysret(machine().sys_read(fd, buf, count));
}

ssize_t __wrap_write(int fd, const void* buf, size_t count)
{
    if (!simulated(fd))
        return ::write(fd, buf, count);
    return sysret(machine().sys_write(fd, buf, count));
}

// The harness waits for each case's child with poll() on a pidfd and a
// timeout (30 s unless the case sets one). A case runs its kernel on the
// simulator, which is slower than a kernel, and on a loaded machine: those
// waits get kTimeoutScale times as long.
constexpr int kTimeoutScale = 20;

int __wrap_poll(struct pollfd* fds, nfds_t nfds, int timeout)
{
    nfds_t sim = 0, real = 0;
    for (nfds_t i = 0; i < nfds; i++) {
        if (simulated(fds[i].fd))
            sim++;
        else if (fds[i].fd >= 0)
            real++;
    }
    if (sim && real)
        return static_cast<int>(sysret(-EINVAL));
    if (sim)
        return static_cast<int>(sysret(machine().sys_poll(fds, static_cast<unsigned>(nfds), timeout)));
    return ::poll(fds, nfds, timeout > 0 ? timeout * kTimeoutScale : timeout);
}

void* __wrap_mmap(void* addr, size_t len, int prot, int flags, int fd, off_t off)
{
    KernelShim& ks = machine();
    if (flags & MAP_ANONYMOUS) {
        void* p = (flags & MAP_FIXED) ? ks.user_memory().alloc_at(addr, len) : ks.user_memory().alloc(len);
        if (!p)
            errno = ENOMEM;
        return p ? p : MAP_FAILED;
    }
    if (!simulated(fd)) {
        if ((flags & MAP_TYPE) == MAP_PRIVATE)
            return map_private_file(addr, len, flags, fd, off);
        return ::mmap(addr, len, prot, flags, fd, off);
    }
    const int map = ks.sys_mmap(fd, len, static_cast<uint64_t>(off), flags & MAP_SHARED, prot & PROT_WRITE);
    if (map < 0) {
        errno = -map;
        return MAP_FAILED;
    }
    return reinterpret_cast<void*>(ks.map_address(map));
}

// A mapping of the simulated process's files first (a memfd's, iommufd's),
// then its anonymous memory, then the real process's.
int __wrap_munmap(void* addr, size_t len)
{
    KernelShim& ks = machine();
    const int map = ks.map_at(reinterpret_cast<uint64_t>(addr));
    if (map >= 0)
        return static_cast<int>(sysret(ks.sys_munmap(map)));
    if (ks.user_memory().pa(reinterpret_cast<uint64_t>(addr)) != ~0ull) {
        if (ks.user_memory().unmap(addr, len))
            return 0;
        errno = EINVAL;
        return -1;
    }
    return ::munmap(addr, len);
}

int __wrap_memfd_create(const char* name, unsigned int flags)
{
    if (!name)
        return static_cast<int>(sysret(-EFAULT));
    return static_cast<int>(sysret(machine().sys_memfd_create(name, flags)));
}

int __wrap_ftruncate(int fd, off_t length)
{
    if (!simulated(fd))
        return ::ftruncate(fd, length);
    return static_cast<int>(sysret(machine().sys_ftruncate(fd, length)));
}

// The page-aligned heap buffers the selftest passes to the kernel to pin
// (its data buffer, the dirty-tracking bitmap) are anonymous memory too.
// Each is a user-memory allocation with room to align inside it.
int __wrap_posix_memalign(void** out, size_t align, size_t size)
{
    if (align < 4096 || size == 0)
        return posix_memalign(out, align, size);
    void* raw = machine().user_memory().alloc(size + align);
    if (!raw)
        return ENOMEM;
    *out = reinterpret_cast<void*>((reinterpret_cast<uintptr_t>(raw) + align - 1) & ~(align - 1));
    aligned_buffers()[*out] = {raw, size + align};
    return 0;
}

void __wrap_free(void* p)
{
    auto& bufs = aligned_buffers();
    auto it = bufs.find(p);
    if (it == bufs.end()) {
        free(p);
        return;
    }
    machine().user_memory().unmap(it->second.first, it->second.second);
    bufs.erase(it);
}

}  // extern "C"
