// SPDX-License-Identifier: GPL-2.0-only
// Where a study's trace is written before its run: DIR/NAME when the user
// asked to keep it (`--emit-trace DIR`, an existing directory), else a
// temporary file (in $TMPDIR, default /tmp) removed again when this goes.
// It does not run anything.
#pragma once

#include <string>

namespace smmusim::studies {

class StudyTraceFile {
public:
    // Throws std::runtime_error naming the path when it cannot be written
    // (OutputError for DIR/NAME, refused as outputs.h says).
    StudyTraceFile(const std::string& dir, const std::string& name, const std::string& text);
    ~StudyTraceFile();
    StudyTraceFile(const StudyTraceFile&) = delete;
    StudyTraceFile& operator=(const StudyTraceFile&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
    bool temporary_ = false;
};

}  // namespace smmusim::studies
