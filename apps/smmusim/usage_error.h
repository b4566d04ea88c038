// SPDX-License-Identifier: GPL-2.0-only
// What the program says when the command line is refused: CLI11's own
// errors (an unknown option, a missing value, a bad number, a file that is
// not there) as the program's other messages are (sim/complain.h): one line
// "smmusim: ...", the words of the command line it echoes cut when long,
// and where to read the usage.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace smmusim {

// The message of `e` (a parse error of `app`; argv: the command line) on one
// line, each argument of more than kLongWord characters it echoes quoted (so
// that complain() cuts it), and "(smmusim [COMMAND] --help for more)".
// Arguments CLI11 did not expect are listed in the command line's order, an
// unknown option among them named first ("unknown option '--json'; also
// not expected: x.json").
std::string usage_error(const CLI::ParseError& e, const CLI::App& app, int argc, char** argv);

}  // namespace smmusim
