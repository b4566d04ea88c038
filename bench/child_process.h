// SPDX-License-Identifier: GPL-2.0-only
// Runs a child of the benchmark program (children.h): this same executable
// (/proc/self/exe) with `--child` and the given arguments, its stderr the
// parent's, its stdout read whole; the child's answer is its last line,
// parsed as JSON. Not here: what the children measure.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace smmusim::bench {

// Throws std::runtime_error naming the child when it cannot be started,
// exits other than 0 or answers no JSON object.
nlohmann::json run_child_process(const std::vector<std::string>& args);

}  // namespace smmusim::bench
