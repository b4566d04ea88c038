// SPDX-License-Identifier: GPL-2.0-only
#include "kernel_ops.h"

#include <regex.h>

#include <fmt/format.h>

#include "log_regex_bounds.h"

namespace smmusim {

// POSIX extended regular expressions: glibc's regexec() does not backtrack
// without back-references (which glibc's ERE takes, and the bounds refuse),
// so no expression takes exponential time, whatever it nests.
std::string log_regex_error(const std::string& re, size_t* at)
{
    if (const LogRegexFault f = log_regex_bounds(re); !f.what.empty()) {
        if (at)
            *at = f.at;
        return f.what;
    }
    if (at)
        *at = 0;
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

}  // namespace smmusim
