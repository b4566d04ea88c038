// SPDX-License-Identifier: GPL-2.0-only
#include "kernel_ops.h"

#include <regex.h>

#include <fmt/format.h>

#include "log_regex_bounds.h"

namespace smmusim {

// POSIX extended regular expressions: glibc's regexec() does not backtrack
// without back-references (which glibc's ERE takes, and the subset
// refuses), so no expression takes exponential time, whatever it nests.
// Only an expression the subset takes reaches regcomp(), which builds the
// whole (expanded) automaton before it judges the rest.
std::string log_regex_error(const std::string& re, size_t* at, bool* past_limits)
{
    const LogRegexFault f = log_regex_bounds(re);
    if (at)
        *at = f.what.empty() ? 0 : f.at;
    if (past_limits)
        *past_limits = !f.what.empty() && !f.invalid;
    if (!f.what.empty())
        return f.what;
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
