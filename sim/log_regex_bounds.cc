// SPDX-License-Identifier: GPL-2.0-only
#include "log_regex_bounds.h"

#include <cctype>
#include <vector>

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

// The digits at re[i]: their value (saturated) and the byte after them.
size_t read_bound(const std::string& re, size_t i, unsigned long& value)
{
    value = 0;
    while (i < re.size() && std::isdigit(static_cast<unsigned char>(re[i]))) {
        value = value > 1000000 ? value : value * 10 + static_cast<unsigned long>(re[i] - '0');
        i++;
    }
    return i;
}

}  // namespace

LogRegexFault log_regex_bounds(const std::string& re)
{
    if (re.size() > kLogRegexMaxBytes)
        return {fmt::format("the expression is {} bytes long, more than the {} an expect-log takes", re.size(),
                            kLogRegexMaxBytes),
                kLogRegexMaxBytes};
    // Whether each open group, and the last operand, holds a repetition
    // ('*', '+', '?' or an interval).
    std::vector<bool> groups;
    bool operand_repeats = false;
    for (size_t i = 0; i < re.size();) {
        const char c = re[i];
        if (c == '\\') {
            if (i + 1 < re.size() && std::isdigit(static_cast<unsigned char>(re[i + 1])))
                return {fmt::format("'\\{}' is a back-reference, which an expect-log does not take (matching one "
                                    "can take exponential time)",
                                    re[i + 1]),
                        i};
            operand_repeats = false;
            i += 2;
        } else if (c == '[') {
            operand_repeats = false;
            i = bracket_end(re, i);
        } else if (c == '(') {
            groups.push_back(false);
            i++;
        } else if (c == ')') {
            operand_repeats = !groups.empty() && groups.back();
            if (!groups.empty())
                groups.pop_back();
            i++;
        } else if (c == '{') {
            unsigned long lo = 0, hi = 0;
            size_t j = read_bound(re, i + 1, lo);
            const size_t hi_at = j + 1;
            if (j < re.size() && re[j] == ',')
                j = read_bound(re, hi_at, hi);
            if (j >= re.size() || re[j] != '}') {  // not an interval: regcomp() judges it
                i++;
                continue;
            }
            if (operand_repeats)
                return {"an interval whose operand repeats ('*', '+', '?' or an interval in it), which an "
                        "expect-log does not take (compiling one can take exponential time and memory)",
                        i};
            for (const auto& [bound, at] : {std::pair{lo, i + 1}, std::pair{hi, hi_at}})
                if (bound > kLogRegexMaxRepeat)
                    return {fmt::format("an interval bound of {} is more than {}, the largest an expect-log takes",
                                        bound, kLogRegexMaxRepeat),
                            at};
            operand_repeats = true;
            for (size_t g = 0; g < groups.size(); g++)
                groups[g] = true;
            i = j + 1;
        } else if (c == '*' || c == '+' || c == '?') {
            operand_repeats = true;
            for (size_t g = 0; g < groups.size(); g++)
                groups[g] = true;
            i++;
        } else {
            operand_repeats = false;
            i++;
        }
    }
    return {};
}

}  // namespace smmusim
