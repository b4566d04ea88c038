// SPDX-License-Identifier: GPL-2.0-only
// `--timeline FILE.json`: a Chrome trace-event file (opens in Perfetto or
// chrome://tracing) with one track per command queue showing every command
// the shared engine executed, from start to completion, and an instant
// marker per interrupt. Events are written as they happen, so memory stays
// bounded however long the run.
#pragma once

#include <cstdio>
#include <string>

#include "soc.h"

namespace smmusim {

class Timeline {
public:
    // Throws std::runtime_error if the file cannot be created.
    Timeline(Soc& soc, const std::string& path);
    ~Timeline();
    void close();
    uint64_t events() const { return events_; }

private:
    void emit(const std::string& json);

    FILE* f_ = nullptr;
    uint64_t events_ = 0;
};

}  // namespace smmusim
