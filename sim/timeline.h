// SPDX-License-Identifier: GPL-2.0-only
// `--timeline FILE.json`: a Chrome trace-event file (opens in Perfetto or
// chrome://tracing) with one track per command queue showing every command
// the shared engine executed, from start to completion, an instant marker
// per interrupt, and a CPU track with the trace's operations. Events are written as they happen, so memory stays
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
    // A span on the CPU's track (the trace player's operations).
    void cpu_span(const std::string& name, const sc_core::sc_time& start, const sc_core::sc_time& end,
                  const std::string& where);
    uint64_t events() const { return events_; }

private:
    void emit(const std::string& json);

    FILE* f_ = nullptr;
    unsigned cpu_tid_ = 0;
    uint64_t events_ = 0;
};

}  // namespace smmusim
