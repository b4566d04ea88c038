// SPDX-License-Identifier: GPL-2.0-only
// Traces made in memory for tests (trace_text.h).
#include "support/trace_text.h"

#include <gtest/gtest.h>

#include "player.h"

namespace smmusim::test {

TraceInput trace_text(const std::string& text)
{
    return TraceInput::from_text(kTraceName, text);
}

std::string without_name(const std::string& located)
{
    const std::string name = kTraceName;
    EXPECT_EQ(located.compare(0, name.size(), name), 0) << located;
    return located.substr(name.size());
}

std::string parse_error(const std::string& text, std::vector<TraceOp>* ops)
{
    try {
        TraceReader r(trace_text(text));
        TraceOp op;
        while (r.next(op))
            if (ops)
                ops->push_back(op);
    } catch (const TraceError& e) {
        return without_name(e.what());
    }
    return "";
}

std::vector<TraceOp> parse_ops(const std::string& text)
{
    std::vector<TraceOp> ops;
    const std::string err = parse_error(text, &ops);
    EXPECT_EQ(err, "") << text;
    return ops;
}

std::string validate_error(Soc& soc, const std::string& text)
{
    try {
        TracePlayer player(soc, trace_text(text));
        player.validate();
    } catch (const TraceError& e) {
        return without_name(e.what());
    }
    return "";
}

}  // namespace smmusim::test
