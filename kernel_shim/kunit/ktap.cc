// SPDX-License-Identifier: GPL-2.0-only
#include "ktap.h"

#include <charconv>
#include <optional>

#include <fmt/format.h>

namespace smmusim::kunit {
namespace {

constexpr size_t kIndent = 4;  // KTAP: subtests are indented by 4 spaces

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::optional<int> number_at(std::string_view& s)
{
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end == s.data())
        return std::nullopt;
    s.remove_prefix(static_cast<size_t>(end - s.data()));
    return v;
}

// "ok N name [# SKIP reason]" / "not ok N name ...": false if malformed.
bool parse_result(std::string_view s, KtapTest& t)
{
    t.ok = starts_with(s, "ok ");
    s.remove_prefix(t.ok ? 3 : 7);
    auto n = number_at(s);
    if (!n)
        return false;
    t.number = *n;
    if (starts_with(s, " "))
        s.remove_prefix(1);
    const size_t hash = s.find(" # ");
    std::string_view directive;
    if (hash != std::string_view::npos) {
        directive = s.substr(hash + 3);
        s = s.substr(0, hash);
    }
    if (starts_with(s, "- "))
        s.remove_prefix(2);
    t.name = std::string(s);
    if (starts_with(directive, "SKIP") || starts_with(directive, "skip")) {
        t.skipped = true;
        directive.remove_prefix(4);
        if (starts_with(directive, " "))
            directive.remove_prefix(1);
        t.skip_reason = std::string(directive);
    }
    return true;
}

class Reader {
public:
    explicit Reader(KtapLog& out) : out_(out) { open_.emplace_back(); }

    void line(size_t lineno, std::string_view s);
    void finish(size_t lineno);

private:
    void result(size_t lineno, size_t depth, std::string_view s);
    void check_plan(size_t lineno, const KtapTest& t, const std::string& what);
    void error(size_t lineno, const std::string& what) { out_.errors.push_back(fmt::format("line {}: {}", lineno, what)); }

    KtapLog& out_;
    // open_[d]: the test whose subtests are printed at depth d (open_[0]:
    // the top level, kept in out_ at the end).
    std::vector<KtapTest> open_;
};

void Reader::line(size_t lineno, std::string_view s)
{
    if (!s.empty() && s.back() == '\r')
        s.remove_suffix(1);
    size_t spaces = s.find_first_not_of(' ');
    if (spaces == std::string_view::npos)
        return;
    const std::string_view text = s.substr(spaces);
    const bool header = starts_with(text, "KTAP version ");
    if (!out_.found) {
        if (!header || spaces != 0)
            return;  // before the log: other kernel messages
        out_.found = true;
        if (text != "KTAP version 1")
            error(lineno, fmt::format("unsupported '{}'", text));
        return;
    }
    if (spaces % kIndent != 0)
        return;  // not a KTAP line (KTAP indents by 4)
    const size_t depth = spaces / kIndent;
    if (header) {
        if (depth == 0)
            error(lineno, "a second top-level KTAP header");
        else if (text != "KTAP version 1")
            error(lineno, fmt::format("unsupported '{}'", text));
        while (open_.size() <= depth)
            open_.emplace_back();
        return;
    }
    // A case's own log (KUnit: its diagnostics, one level deeper than its
    // result line, with no header of their own) belongs to the case the
    // next result line at its parent's depth closes.
    if (depth == open_.size() && starts_with(text, "#"))
        open_.emplace_back();
    if (depth >= open_.size())
        return;  // deeper than any open test: not part of the log
    KtapTest& cur = open_[depth];
    if (starts_with(text, "1..")) {
        std::string_view n = text.substr(3);
        auto v = number_at(n);
        if (!v || !n.empty())
            error(lineno, fmt::format("malformed plan '{}'", text));
        else
            cur.plan = *v;
    } else if (starts_with(text, "# Subtest: ")) {
        cur.name = std::string(text.substr(11));
    } else if (starts_with(text, "ok ") || starts_with(text, "not ok ")) {
        result(lineno, depth, text);
    } else if (starts_with(text, "#")) {
        cur.diagnostics.emplace_back(text.substr(text.size() > 1 && text[1] == ' ' ? 2 : 1));
    }
}

void Reader::result(size_t lineno, size_t depth, std::string_view s)
{
    if (open_.size() > depth + 2)
        error(lineno, "a result line closes more than one level of subtests");
    KtapTest t;
    if (open_.size() > depth + 1) {
        t = std::move(open_[depth + 1]);
        open_.resize(depth + 1);
    }
    const std::string subtest_name = t.name;
    if (!parse_result(s, t)) {
        error(lineno, fmt::format("malformed result line '{}'", s));
        return;
    }
    if (!subtest_name.empty() && subtest_name != t.name)
        error(lineno, fmt::format("result of '{}' closes subtest '{}'", t.name, subtest_name));
    KtapTest& parent = open_[depth];
    if (t.number != static_cast<int>(parent.subtests.size()) + 1)
        error(lineno, fmt::format("test number {} after {}", t.number, parent.subtests.size()));
    check_plan(lineno, t, t.name);
    parent.subtests.push_back(std::move(t));
}

void Reader::check_plan(size_t lineno, const KtapTest& t, const std::string& what)
{
    if (t.plan >= 0 && t.plan != static_cast<int>(t.subtests.size()))
        error(lineno, fmt::format("{}: planned {} tests, {} reported", what, t.plan, t.subtests.size()));
}

void Reader::finish(size_t lineno)
{
    if (!out_.found) {
        error(lineno, "no KTAP header ('KTAP version 1')");
        return;
    }
    if (open_.size() > 1)
        error(lineno, "the log ends inside a subtest (no result line closes it)");
    open_.resize(1);
    out_.plan = open_[0].plan;
    out_.tests = std::move(open_[0].subtests);
    if (out_.plan < 0)
        error(lineno, "no top-level plan");
    KtapTest top;
    top.plan = out_.plan;
    top.subtests = out_.tests;
    check_plan(lineno, top, "the top level");
}

}  // namespace

KtapLog parse_ktap(std::string_view text)
{
    KtapLog out;
    Reader r(out);
    size_t lineno = 0;
    while (!text.empty()) {
        const size_t nl = text.find('\n');
        r.line(++lineno, text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    }
    r.finish(lineno);
    return out;
}

CaseCounts count_cases(const KtapTest& suite)
{
    CaseCounts c;
    for (const auto& t : suite.subtests) {
        c.run++;
        if (t.skipped)
            c.skip++;
        else if (t.ok)
            c.pass++;
        else
            c.fail++;
    }
    return c;
}

}  // namespace smmusim::kunit
