// SPDX-License-Identifier: GPL-2.0-only
// The system calls iommufd_fail_nth.c makes beyond iommufd.c's
// (../syscalls.cc), redirected the same way (its object is linked with
// ld -r --wrap=openat,opendir,readdir,closedir,dirfd,pread,pwrite): on the
// simulated kernel's files (a simulated descriptor, or a path of its
// debugfs or of its task's /proc files: smmusim/fs_calls.h) they are its
// system calls; on anything else the C library's.
//
// A directory of the simulated kernel is a descriptor of the simulated
// process; its DIR handle is this file's (a SimDir), which readdir() fills
// one entry at a time from the kernel's listing. Nothing else is
// redirected here (the kernel-integrity check at exit is integrity.cc).
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <set>

#include "smmusim/fs_calls.h"
#include "smmusim/kernel.h"
#include "syscalls.h"
#include "integrity.h"

using smmusim::kshim::selftest::kernel_call;
using smmusim::kshim::selftest::simulated;
using smmusim::kshim::selftest::sysret;

namespace {

struct SimDir {
    int fd;
    long pos = 0;
    struct dirent entry {};
};

std::set<const void*>& sim_dirs()
{
    static std::set<const void*> dirs;
    return dirs;
}

SimDir* sim_dir(DIR* d)
{
    return sim_dirs().count(d) ? reinterpret_cast<SimDir*>(d) : nullptr;
}

}  // namespace

extern "C" {

int __wrap_openat(int dfd, const char* path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    const int mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, int) : 0;
    va_end(ap);
    const bool mine = path[0] == '/' ? smmusim_path_simulated(path, getpid()) != 0 : simulated(dfd);
    if (!mine)
        return ::openat(dfd, path, flags, mode);
    return static_cast<int>(sysret(kernel_call([&] { return smmusim_sys_openat(dfd, path, flags, getpid()); })));
}

DIR* __wrap_opendir(const char* path)
{
    if (!smmusim_path_simulated(path, getpid()))
        return ::opendir(path);
    const long fd = sysret(
        kernel_call([&] { return smmusim_sys_openat(-1, path, O_RDONLY | O_DIRECTORY, getpid()); }));
    if (fd < 0)
        return nullptr;
    auto* d = new SimDir{static_cast<int>(fd)};
    sim_dirs().insert(d);
    return reinterpret_cast<DIR*>(d);
}

struct dirent* __wrap_readdir(DIR* dir)
{
    SimDir* d = sim_dir(dir);
    if (!d)
        return ::readdir(dir);
    int is_dir = 0;
    struct dirent& e = d->entry;
    const long got = sysret(kernel_call(
        [&] { return smmusim_sys_readdir(d->fd, d->pos, e.d_name, sizeof(e.d_name), &is_dir); }));
    if (got <= 0)
        return nullptr;  // the end (errno untouched), or an error (errno set)
    d->pos++;
    e.d_ino = static_cast<ino_t>(d->pos);
    e.d_off = d->pos;
    e.d_reclen = sizeof(e);
    e.d_type = is_dir ? DT_DIR : DT_REG;
    return &e;
}

int __wrap_closedir(DIR* dir)
{
    SimDir* d = sim_dir(dir);
    if (!d)
        return ::closedir(dir);
    sim_dirs().erase(d);
    const int fd = d->fd;
    delete d;
    return static_cast<int>(sysret(kernel_call([&] { return smmusim_sys_close(fd); })));
}

int __wrap_dirfd(DIR* dir)
{
    SimDir* d = sim_dir(dir);
    return d ? d->fd : ::dirfd(dir);
}

ssize_t __wrap_pread(int fd, void* buf, size_t count, off_t pos)
{
    if (!simulated(fd))
        return ::pread(fd, buf, count, pos);
    return sysret(kernel_call([&] { return smmusim_sys_pread(fd, buf, count, pos); }));
}

// A write of fail-nth ends an iteration of the sweep: the kernel's
// failures recorded since are reported with it (integrity.h).
ssize_t __wrap_pwrite(int fd, const void* buf, size_t count, off_t pos)
{
    if (!simulated(fd))
        return ::pwrite(fd, buf, count, pos);
    const long ret = kernel_call([&] { return smmusim_sys_pwrite(fd, buf, count, pos); });
    smmusim::kshim::selftest::report_new_failures();
    return sysret(ret);
}

}  // extern "C"
