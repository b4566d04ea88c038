// SPDX-License-Identifier: GPL-2.0-only
// `--timeline FILE.json`: a Chrome trace-event file (opens in Perfetto or
// chrome://tracing) with one track per command queue showing every command
// the shared engine executed, from start to completion, an instant marker
// per interrupt, and a CPU track with the trace's operations. Events are written as they happen, so memory stays
// bounded however long the run.
#pragma once

#include <memory>
#include <string>

#include "outputs.h"
#include "soc.h"

namespace smmusim {

class Timeline {
public:
    // Throws OutputError (naming `option` and the path) if the file cannot
    // be created.
    Timeline(Soc& soc, const std::string& path, const std::string& option = "--timeline");
    // Without close() the file is not written (a run that ended early).
    ~Timeline();
    // Ends the array, closes the file and gives it its name (outputs.h);
    // false if any write failed (error()).
    bool close();
    // "" or why the file is incomplete ("--timeline PATH: cannot write: ...").
    const std::string& error() const { return out_->error(); }
    // A span on the CPU's track (the trace player's operations). One CPU:
    // there is one CPU track ("cpu0 (trace)"); several CPUs will need a
    // track per CPU and the CPU named here.
    void cpu_span(const std::string& name, const sc_core::sc_time& start, const sc_core::sc_time& end,
                  const std::string& where);
    uint64_t events() const { return events_; }

private:
    void emit(const nlohmann::json& event);

    std::unique_ptr<OutputWriter> out_;
    unsigned cpu_tid_ = 0;
    uint64_t events_ = 0;
};

}  // namespace smmusim
