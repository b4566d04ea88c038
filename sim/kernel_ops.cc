// SPDX-License-Identifier: GPL-2.0-only
#include "kernel_ops.h"

#include <cerrno>
#include <cstring>
#include <regex.h>
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
}  // namespace

// The one errno table of the project: the user-space errnos by glibc's
// strerrorname_np() (Linux's numbers), then the kernel's own.
const char* errno_name_or_null(int e)
{
    if (e <= 0 || e > kMaxUserErrno)
        return nullptr;
    for (const auto& [n, v] : kKernelErrnos)
        if (v == e)
            return n;
    return e < 512 ? strerrorname_np(e) : nullptr;
}

int errno_by_name(const std::string& name)
{
    if (name == "0")
        return 0;
    for (const auto& [n, e] : kErrnoAliases)
        if (name == n)
            return e;
    for (int e = 1; e <= 531; e++)
        if (const char* n = errno_name_or_null(e); n && name == n)
            return e;
    return -1;
}

// POSIX extended regular expressions: glibc's regexec() does not backtrack
// (without back-references, which ERE has not), so no expression takes
// exponential time, whatever it nests.
std::string log_regex_error(const std::string& re)
{
    regex_t r;
    const int rc = regcomp(&r, re.c_str(), REG_EXTENDED | REG_NOSUB);
    if (rc == 0) {
        regfree(&r);
        return "";
    }
    char msg[128];
    regerror(rc, &r, msg, sizeof(msg));
    return msg;
}

bool log_regex_search(const std::string& re, const std::string& text)
{
    regex_t r;
    if (regcomp(&r, re.c_str(), REG_EXTENDED | REG_NOSUB) != 0)
        return false;
    const bool hit = regexec(&r, text.c_str(), 0, nullptr, 0) == 0;
    regfree(&r);
    return hit;
}

std::string errno_name(int e)
{
    if (const char* n = errno_name_or_null(e))
        return n;
    return e ? fmt::format("errno {}", e) : "0";
}

}  // namespace smmusim
