// SPDX-License-Identifier: GPL-2.0-only
#include "errno_names.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

namespace smmusim {

namespace {
// The kernel's own errnos (include/linux/errno.h), never seen by user space.
const std::pair<const char*, int> kKernelErrnos[] = {
    {"ERESTARTSYS", 512}, {"ERESTARTNOINTR", 513}, {"ERESTARTNOHAND", 514},       {"ENOIOCTLCMD", 515},
    {"ERESTART_RESTARTBLOCK", 516}, {"EPROBE_DEFER", 517}, {"EOPENSTALLED", 518}, {"ENOPARAM", 519},
    {"EBADHANDLE", 521},  {"ENOTSYNC", 522},       {"EBADCOOKIE", 523},           {"ENOTSUPP", 524},
    {"ETOOSMALL", 525},   {"ESERVERFAULT", 526},   {"EBADTYPE", 527},             {"EJUKEBOX", 528},
    {"EIOCBQUEUED", 529}, {"ERECALLCONFLICT", 530}, {"ENOGRACE", 531},
};
// Second names of one errno (the table gives each number one name).
const std::pair<const char*, int> kErrnoAliases[] = {
    {"EWOULDBLOCK", EWOULDBLOCK}, {"ENOTSUP", ENOTSUP}, {"EDEADLOCK", EDEADLOCK}};
constexpr int kMaxUserErrno = 4095;  // MAX_ERRNO: the range ERR_PTR() encodes
constexpr int kFirstKernelErrno = 512, kLastKernelErrno = 531;
}  // namespace

const char* errno_name_or_null(int e)
{
    if (e <= 0 || e > kMaxUserErrno)
        return nullptr;
    for (const auto& [n, v] : kKernelErrnos)
        if (v == e)
            return n;
    return e < kFirstKernelErrno ? strerrorname_np(e) : nullptr;
}

int errno_by_name(const std::string& name)
{
    if (name == "0")
        return 0;
    for (const auto& [n, e] : kErrnoAliases)
        if (name == n)
            return e;
    for (int e = 1; e <= kLastKernelErrno; e++)
        if (const char* n = errno_name_or_null(e); n && name == n)
            return e;
    return -1;
}

std::string errno_name(int e)
{
    if (const char* n = errno_name_or_null(e))
        return n;
    return e ? fmt::format("errno {}", e) : "0";
}

}  // namespace smmusim
