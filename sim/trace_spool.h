// SPDX-License-Identifier: GPL-2.0-only
// The operations of a checked trace, kept for its run, so that a trace is
// parsed once: the check pass (TracePlayer::validate) appends every
// register-level operation, as it checked and resolved it, to an anonymous
// temporary file (in $TMPDIR, else /tmp), and the run reads them back in order instead of reading
// and parsing the trace again. Memory stays flat whatever the trace's
// length: one stdio buffer, and a table of the few names the operations
// use (queues, registers); the file (about 20 bytes an operation, removed
// by the system when closed) holds the rest.
//
// It does not keep kernel-level or `expect executed` operations (their
// parsers keep state and text of their own): a trace with any of them is
// read again by its run, as is one whose spool could not be written (no
// temporary file, a full disk). Each value an operation holds is written
// as a varint, only where it differs from a blank TraceOp.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "trace.h"

namespace smmusim {

class TraceSpool {
public:
    TraceSpool();
    ~TraceSpool();
    TraceSpool(const TraceSpool&) = delete;
    TraceSpool& operator=(const TraceSpool&) = delete;

    // The operation can be kept (not kernel-level, not `expect executed`).
    static bool keeps(const TraceOp& op);
    // False once something failed (or the file could not be made): the run
    // must read the trace again.
    bool ok() const { return f_ != nullptr && ok_; }
    // Appends `op` (keeps(op)); a write error makes ok() false.
    void put(const TraceOp& op);
    // After the last put(): the run reads from the first operation; false
    // (and ok() false) if the file cannot be read back.
    bool rewind();
    // The next operation, its location naming `file`; false at the end.
    // `op` is one get() filled before, or a blank TraceOp (its kernel
    // operation and expectation are not touched). Throws TraceError if the
    // file cannot be read.
    bool get(TraceOp& op, const std::string* file);

private:
    uint32_t name_id(const std::string& s);
    uint64_t varint();

    std::FILE* f_ = nullptr;
    bool ok_ = true;
    std::vector<std::string> names_{""};  // id 0: no name
    std::unordered_map<std::string, uint32_t> ids_{{"", 0}};
};

}  // namespace smmusim
