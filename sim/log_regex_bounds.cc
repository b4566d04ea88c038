// SPDX-License-Identifier: GPL-2.0-only
#include "log_regex_bounds.h"

#include <cctype>
#include <cstring>

#include <fmt/format.h>

namespace smmusim {

namespace {

constexpr const char* kMetacharacters = ".[]()*+?{}|^$\\";
constexpr const char* kClasses[] = {"alnum", "alpha", "blank", "cntrl", "digit", "graph",
                                    "lower", "print", "punct", "space", "upper", "xdigit"};

// A recursive-descent reader of the subset (log_regex_bounds.h). Each
// reader returns false once `fault` is set.
class SubsetReader {
public:
    explicit SubsetReader(const std::string& re) : re_(re) {}

    LogRegexFault read()
    {
        if (!alternation(true))
            return fault_;
        if (i_ < re_.size())  // alternation() stops only at ')' or the end
            limit(i_, "a ')' that closes no group (a literal one is '\\)')");
        return fault_;
    }

private:
    bool limit(size_t at, std::string what)
    {
        fault_ = {std::move(what), at, false};
        return false;
    }
    bool invalid(size_t at, std::string what)
    {
        fault_ = {std::move(what), at, true};
        return false;
    }
    bool at(char c) const { return i_ < re_.size() && re_[i_] == c; }

    // Every character, '.' or bracket expression adds a position; an
    // interval adds its operand's again for each further copy.
    bool add_positions(unsigned long n, size_t where)
    {
        positions_ += n;
        if (positions_ > kLogRegexMaxPositions)
            return limit(where, fmt::format("more than {} characters, '.'s and bracket expressions once each "
                                            "interval has copied its operand",
                                            kLogRegexMaxPositions));
        return true;
    }

    bool alternation(bool top)
    {
        for (;;) {
            if (!branch(top))
                return false;
            if (!at('|'))
                return true;
            i_++;
        }
    }

    bool branch(bool top)
    {
        const size_t start = i_;
        while (i_ < re_.size() && re_[i_] != '|' && re_[i_] != ')') {
            const char c = re_[i_];
            if (c == '^') {
                if (!top || i_ != start)
                    return limit(i_, "a '^' that is not at the start of the expression or of one of its "
                                     "top-level alternatives (a literal one is '\\^')");
                i_++;
                if (i_ < re_.size() && std::strchr("*+?{", re_[i_]))
                    return invalid(i_, fmt::format("a '{}' after the anchor '^', which it cannot repeat", re_[i_]));
                continue;
            }
            if (c == '$') {
                if (!top || (i_ + 1 < re_.size() && re_[i_ + 1] != '|'))
                    return limit(i_, "a '$' that is not at the end of the expression or of one of its "
                                     "top-level alternatives (a literal one is '\\$')");
                i_++;
                continue;
            }
            if (std::strchr("*+?{", c))
                return invalid(i_, fmt::format("a '{}' with nothing before it to repeat", c));
            if (!piece())
                return false;
        }
        return true;
    }

    // An atom and its repetitions.
    bool piece()
    {
        const unsigned long before = positions_;
        atom_repeats_ = false;
        if (!atom())
            return false;
        bool repeats = atom_repeats_;
        while (i_ < re_.size() && std::strchr("*+?{", re_[i_])) {
            seen_repeat_ = true;
            if (re_[i_] != '{') {
                repeats = true;
                i_++;
                continue;
            }
            const size_t brace = i_;
            unsigned long lo = 0, hi = 0;
            size_t lo_at = 0, hi_at = 0;
            if (!interval(lo, lo_at, hi, hi_at))
                return false;
            if (repeats)
                return limit(brace, "an interval whose operand repeats ('*', '+', '?' or an interval in it), "
                                    "which an expect-log does not take (compiling one can take exponential "
                                    "time and memory)");
            for (const auto& [bound, where] : {std::pair{lo, lo_at}, std::pair{hi, hi_at}})
                if (bound > kLogRegexMaxRepeat)
                    return limit(where, fmt::format("an interval bound of {} is more than {}, the largest an "
                                                    "expect-log takes",
                                                    bound, kLogRegexMaxRepeat));
            if (hi_at && hi < lo)
                return invalid(brace, fmt::format("the interval's bounds {} and {} are out of order", lo, hi));
            // regcomp() copies the operand: {M,N} N times, {M,} M + 1 times.
            const unsigned long copies = hi_at ? hi : lo + (unbounded_ ? 1 : 0);
            if (copies > 1 && !add_positions((positions_ - before) * (copies - 1), brace))
                return false;
            repeats = true;
        }
        return true;
    }

    // '{M}', '{M,}', '{M,N}' or '{,N}' at i_; hi_at is 0 unless N is given.
    bool interval(unsigned long& lo, size_t& lo_at, unsigned long& hi, size_t& hi_at)
    {
        const size_t brace = i_;
        lo_at = i_ + 1;
        size_t j = digits(lo_at, lo);
        const bool has_lo = j > lo_at;
        unbounded_ = false;
        hi_at = 0;
        if (j < re_.size() && re_[j] == ',') {
            const size_t h = j + 1;
            j = digits(h, hi);
            if (j > h)
                hi_at = h;
            else
                unbounded_ = true;
        }
        // glibc reads more than these forms (an escaped comma '\,' among
        // them) and judges the bounds of some only once it has copied the
        // operand: every other form is refused here.
        if (re_.find('}', brace) == std::string::npos)
            return invalid(brace, "the '{' is not closed by '}' (a literal one is '\\{')");
        if (j >= re_.size() || re_[j] != '}')
            return limit(j, fmt::format("'{}' in an interval, which an expect-log takes only as '{{M}}', "
                                        "'{{M,}}', '{{M,N}}' or '{{,N}}' of decimal digits (a literal brace is '\\{{')",
                                        re_[j]));
        if (!has_lo && !hi_at)
            return invalid(j, "an interval without a bound");
        i_ = j + 1;
        return true;
    }

    // The digits at re_[j]: their value (saturated) and the byte after them.
    size_t digits(size_t j, unsigned long& value) const
    {
        value = 0;
        while (j < re_.size() && std::isdigit(static_cast<unsigned char>(re_[j]))) {
            value = value > 1000000 ? value : value * 10 + static_cast<unsigned long>(re_[j] - '0');
            j++;
        }
        return j;
    }

    bool atom()
    {
        const size_t start = i_;
        const char c = re_[i_];
        if (c == '(') {
            i_++;
            const bool outer = seen_repeat_;
            seen_repeat_ = false;
            if (!alternation(false))
                return false;
            if (!at(')'))
                return invalid(start, "the '(' is not closed");
            i_++;
            atom_repeats_ = seen_repeat_;
            seen_repeat_ = outer || atom_repeats_;
            return true;
        }
        if (c == '[')
            return bracket() && add_positions(1, start);
        if (c == '\\')
            return escape() && add_positions(1, start);
        if (c == '}')
            return limit(i_, "a '}' that closes no interval (a literal one is '\\}')");
        if (c == '\0')
            return limit(i_, "a NUL byte");
        i_++;
        return add_positions(1, start);
    }

    bool escape()
    {
        const size_t start = i_;
        if (i_ + 1 >= re_.size())
            return invalid(start, "a '\\' that ends the expression");
        const char e = re_[i_ + 1];
        if (e >= '1' && e <= '9')
            return limit(start, fmt::format("'\\{}' is a back-reference, which an expect-log does not take "
                                            "(matching one can take exponential time)",
                                            e));
        if (e == '\0' || !std::strchr(kMetacharacters, e)) {
            if (std::strchr("bB<>`'", e))
                return limit(start, fmt::format("'\\{}' is one of glibc's zero-width assertions, which an "
                                                "expect-log does not take (repeated, they multiply the "
                                                "compiled automaton)",
                                                e));
            return limit(start, fmt::format("'\\{}': an expect-log takes a backslash only before one of {}", e,
                                            kMetacharacters));
        }
        i_ += 2;
        return true;
    }

    // A bracket expression: '[', an optional '^', a ']' first as a member,
    // members and ranges, '[:class:]', up to the closing ']'.
    bool bracket()
    {
        const size_t start = i_;
        i_++;
        if (at('^'))
            i_++;
        if (at(']'))
            i_++;
        while (i_ < re_.size() && re_[i_] != ']') {
            if (re_[i_] == '[' && i_ + 1 < re_.size() && (re_[i_ + 1] == '=' || re_[i_ + 1] == '.'))
                return limit(i_, fmt::format("'[{}' in a bracket expression (an equivalence class or collating "
                                             "symbol), which an expect-log does not take",
                                             re_[i_ + 1]));
            if (re_[i_] == '[' && i_ + 1 < re_.size() && re_[i_ + 1] == ':') {
                const size_t close = re_.find(":]", i_ + 2);
                if (close == std::string::npos)
                    return invalid(i_, "the '[:' is not closed by ':]'");
                const std::string name = re_.substr(i_ + 2, close - i_ - 2);
                bool known = false;
                for (const char* k : kClasses)
                    known = known || name == k;
                if (!known)
                    return invalid(i_, fmt::format("'[:{}:]' is not a character class", name));
                i_ = close + 2;
                continue;
            }
            if (re_[i_] == '\0')
                return limit(i_, "a NUL byte");
            i_++;
        }
        if (i_ >= re_.size())
            return invalid(start, "the '[' is not closed");
        i_++;
        return true;
    }

    const std::string& re_;
    size_t i_ = 0;
    unsigned long positions_ = 0;
    bool unbounded_ = false;     // the last interval read was '{M,}'
    bool seen_repeat_ = false;   // a repetition in the group being read
    bool atom_repeats_ = false;  // the last atom read holds a repetition
    LogRegexFault fault_;
};

}  // namespace

LogRegexFault log_regex_bounds(const std::string& re)
{
    if (re.size() > kLogRegexMaxBytes)
        return {fmt::format("the expression is {} bytes long, more than the {} an expect-log takes", re.size(),
                            kLogRegexMaxBytes),
                kLogRegexMaxBytes};
    return SubsetReader(re).read();
}

}  // namespace smmusim
