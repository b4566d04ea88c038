// SPDX-License-Identifier: GPL-2.0-only
// Traces a test writes in its own source: made in memory
// (TraceInput::from_text, sim/trace.h), read or checked by the player, with
// their errors and failures given without the trace's name (":2:1: what").
// No temporary files: a test that needs a real file (one it rewrites while
// the player runs) makes its own.
#pragma once

#include <string>
#include <vector>

#include "soc.h"
#include "trace.h"

namespace smmusim::test {

// The name of a trace made by trace_text(), in its locations and errors.
inline constexpr const char* kTraceName = "t";

// `text` as a trace called kTraceName.
TraceInput trace_text(const std::string& text);

// A location or message of a trace_text() trace without its name in front.
std::string without_name(const std::string& located);

// Reads `text` to its end: the error ("" if none), and every operation read
// before it into `ops` if given.
std::string parse_error(const std::string& text, std::vector<TraceOp>* ops = nullptr);

// The operations of `text`; a test failure if it does not parse.
std::vector<TraceOp> parse_ops(const std::string& text);

// The player's check pass (TracePlayer::validate) on `text`: its error
// ("" if none).
std::string validate_error(Soc& soc, const std::string& text);

}  // namespace smmusim::test
