// SPDX-License-Identifier: GPL-2.0-only
#include "log_regex_bounds.h"

#include <cctype>

#include <fmt/format.h>

namespace smmusim {

namespace {

// The byte after the bracket expression that opens at re[i] ('['); re.size()
// when it is not closed (regcomp() then says so).
size_t bracket_end(const std::string& re, size_t i)
{
    i++;
    if (i < re.size() && re[i] == '^')
        i++;
    if (i < re.size() && re[i] == ']')  // a ']' first is a member
        i++;
    while (i < re.size() && re[i] != ']') {
        // [:class:], [=equivalence=], [.collating.]: up to their closing pair.
        if (re[i] == '[' && i + 1 < re.size() && (re[i + 1] == ':' || re[i + 1] == '=' || re[i + 1] == '.')) {
            const size_t close = re.find(std::string{re[i + 1], ']'}, i + 2);
            if (close == std::string::npos)
                return re.size();
            i = close + 2;
            continue;
        }
        i++;
    }
    return i < re.size() ? i + 1 : re.size();
}

}  // namespace

LogRegexFault log_regex_bounds(const std::string& re)
{
    for (size_t i = 0; i < re.size();) {
        const char c = re[i];
        if (c == '\\') {
            if (i + 1 < re.size() && std::isdigit(static_cast<unsigned char>(re[i + 1])))
                return {fmt::format("'\\{}' is a back-reference, which an expect-log does not take (matching one "
                                    "can take exponential time)",
                                    re[i + 1]),
                        i};
            i += 2;
        } else if (c == '[') {
            i = bracket_end(re, i);
        } else {
            i++;
        }
    }
    return {};
}

}  // namespace smmusim
