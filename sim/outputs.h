// SPDX-License-Identifier: GPL-2.0-only
// The files a run writes (--stats, --timeline, --vcd), checked before
// anything is simulated: a path that cannot be written, two outputs to one
// file, or an output onto an input (the trace, the configuration) would
// otherwise be found only after the whole simulation, or destroy an input.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace smmusim {

class OutputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct OutputFile {
    std::string option;  // e.g. "--stats", for the message
    std::string path;    // "" when the option was not given
};

// Throws OutputError naming the option and the path. Leaves every file as
// it was (a file it creates to test the directory is removed again).
void check_outputs(const std::vector<OutputFile>& outputs, const std::vector<std::string>& inputs);

}  // namespace smmusim
