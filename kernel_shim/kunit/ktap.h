// SPDX-License-Identifier: GPL-2.0-only
// A reader of KTAP (Documentation/dev-tools/ktap.rst, version 1), the
// format KUnit prints its results in: nested tests, each a
// "KTAP version 1" header, a plan "1..N", indented subtests, and a result
// line "ok N name" / "not ok N name", with an optional "# SKIP reason"
// directive; "#" lines are diagnostics. Lines before the first header and
// lines KTAP does not define (other kernel messages) are ignored, as the
// specification says a reader should. What it does not do: TAP 13/14
// extensions (YAML blocks, "# TODO"), or judge a run (the caller does).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace smmusim::kunit {

struct KtapTest {
    std::string name;
    int number = 0;
    bool ok = false;
    bool skipped = false;     // "# SKIP": ok, not run
    std::string skip_reason;  // the directive's text
    int plan = -1;            // its subtests' plan, -1 when it has none
    std::vector<KtapTest> subtests;
    std::vector<std::string> diagnostics;  // its "#" lines, without "# "
};

struct KtapLog {
    bool found = false;  // a top-level "KTAP version 1" header was seen
    int plan = -1;
    std::vector<KtapTest> tests;      // the top level (KUnit: the suites)
    std::vector<std::string> errors;  // "line N: what is wrong"
};

// Reads `text` (lines; leading "[  time] " dmesg stamps are not expected).
KtapLog parse_ktap(std::string_view text);

// What a suite's cases did (subtests of one top-level test).
struct CaseCounts {
    int run = 0, pass = 0, skip = 0, fail = 0;
};
CaseCounts count_cases(const KtapTest& suite);

}  // namespace smmusim::kunit
