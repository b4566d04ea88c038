// SPDX-License-Identifier: GPL-2.0-only
// The files a run writes (--stats, --timeline, --vcd), checked before
// anything is simulated: a path that cannot be written, two outputs to one
// file, or an output onto an input (the trace, the configuration) would
// otherwise be found only after the whole simulation, or destroy an input.
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace smmusim {

class OutputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct OutputFile {
    std::string option;  // e.g. "--stats", for the message
    std::string path;    // "" when the option was not given
    // The output is itself of an input's kind (`study --emit-trace`'s
    // DIR/NAME.trace): an existing one there is that output's earlier copy.
    bool is_input_kind = false;
};

// Throws OutputError naming the option and the path. Leaves every file as
// it was (a file it creates to test the directory is removed again). An
// output onto an existing file of an input's kind (a trace, a TOML
// configuration) is refused, naming the likely slip: the option's value
// forgotten, so that it took the next argument (`run --stats T.trace`).
void check_outputs(const std::vector<OutputFile>& outputs, const std::vector<std::string>& inputs);

// Every file the program writes is written through this class (a test
// looks for any other way of writing a file in the program's sources), so
// one rule holds for all: the one check_outputs() applies to each file
// (an input's kind, symbolic links, directories) is applied again when the
// writer is made.
//
// One output file, every write and the close checked. The first error is
// kept (later writes are dropped) and error() names the option, the path
// and the reason, so a full disk or a file that refuses writes is reported
// instead of passing silently. Never throws after construction.
//
// A regular file (or a new one) is written under no name (O_TMPFILE, in
// the directory of the file the path leads to) and given its name only by
// close(), when everything was written: a run that ends early, whatever
// ends it (an exception, the kernel oops's _exit() from its signal handler,
// a signal that kills the process), leaves the file the path names as it
// was, never a truncated one; the kernel frees the unnamed file, so nothing
// has to be done in a signal handler. Where the file system has no
// O_TMPFILE, a hidden ".NAME.smmusim-XXXXXX" beside it takes its place
// (removed again by the destructor; only a process killed by a signal can
// leave one). A character device or a FIFO (/dev/null, a pipe) is written
// in place.
class OutputWriter {
public:
    // Throws OutputError naming the option and the path if it is refused
    // (check_outputs()'s rule for one file) or cannot be created.
    // `is_input_kind`: as OutputFile's.
    OutputWriter(std::string option, std::string path, bool is_input_kind = false);
    // Without close(): the file the path names is left as it was.
    ~OutputWriter();
    OutputWriter(const OutputWriter&) = delete;
    OutputWriter& operator=(const OutputWriter&) = delete;

    void write(std::string_view s);
    // Flushes, closes and gives the file its name; false (and error()) if
    // anything failed (then a regular file is left as it was). Later calls
    // do nothing and return the same answer.
    bool close();
    bool is_open() const { return f_ != nullptr; }
    // "" or "--stats PATH: cannot write: No space left on device".
    const std::string& error() const { return error_; }

private:
    void failed(const char* what, int err);
    void discard();
    bool install();

    std::string option_, path_;
    std::string target_;  // the regular file to give the written one's name to; "" written in place
    std::string temp_;    // the fallback's hidden name; "" none (O_TMPFILE, or in place)
    FILE* f_ = nullptr;
    std::string error_;
};

// Every JSON the program writes: strings that are not UTF-8 (a path with
// arbitrary bytes) are written with U+FFFD in place of each bad byte, never
// an exception. indent < 0: one line.
std::string json_text(const nlohmann::json& j, int indent = -1);

}  // namespace smmusim
