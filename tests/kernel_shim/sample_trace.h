// SPDX-License-Identifier: GPL-2.0-only
// The run options of a sample trace (traces/<name>.trace) as the goldens
// play it: with its configuration beside it (traces/<name>.toml) if it has
// one, quiet. Not here: running it (sim/run.h) or judging the result.
#pragma once

#include <fstream>
#include <string>

#include "run.h"

namespace smmusim::kshim {

inline RunOptions sample_trace_options(const std::string& name)
{
    RunOptions o;
    o.trace = std::string(SMMUSIM_TRACE_DIR "/") + name + ".trace";
    const std::string toml = std::string(SMMUSIM_TRACE_DIR "/") + name + ".toml";
    if (std::ifstream(toml))
        o.config = toml;
    o.quiet = true;
    return o;
}

}  // namespace smmusim::kshim
