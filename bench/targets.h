// SPDX-License-Identifier: GPL-2.0-only
// Issue #13's targets, judged on the benchmark's figures (report.h's
// document): each as {name, want, value, met}. Every target is judged on
// ratios to the yardstick (yardstick.h) measured in the same process as the
// figure, or on ratios of such ratios, so that a loaded host does not move
// the verdict as much as it moves the raw times. Not tests: host time never
// decides a test (the smoke test checks only that the verdicts are there).
#pragma once

#include <nlohmann/json.hpp>

namespace smmusim::bench {

// The map+unmap baseline of issue #13: 8.45 us of host time per map+unmap
// through the real driver, with a bare timed wait at 82 ns, on commit
// 997360c (2-core VM, release build, medians). The target is half of it in
// units of the wait: (8450 / 82) / 2 = 51.5 waits.
constexpr double kBaselineMapUnmapNs = 8450, kBaselineWaitNs = 82;

// The targets array for `doc`'s figures.
nlohmann::json judge_targets(const nlohmann::json& doc);

}  // namespace smmusim::bench
