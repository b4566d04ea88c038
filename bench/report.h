// SPDX-License-Identifier: GPL-2.0-only
// `./smmusim bench`: runs the measurement children (children.h) one after
// another, combines their answers into one document (the fields of issue
// #13, listed in bench/README.md, each time also as a ratio to the
// yardstick), judges the targets (targets.h), prints a table and, with
// --json, writes the document. The parent simulates nothing itself.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace smmusim::bench {

struct BenchOptions {
    std::string json;              // where to write the document; "" nowhere
    bool quick = false;            // tiny sizes: a smoke run of a few seconds
    uint64_t max_ops = 10000000;  // the scaling sweep's largest size at most
};

// The scaling sweep's sizes: 10^4..10^7 (quick: 10^3 and 10^4), those up to
// max_ops; max_ops itself when none is.
std::vector<uint64_t> scaling_sizes(const BenchOptions& o);

// Runs every measurement; the document (without writing or printing it).
nlohmann::json collect(const BenchOptions& o);

// collect(), the table on stdout, the document to o.json; the exit status
// (0 whether or not targets are met; 1 when a measurement or the output
// failed, the reason on stderr).
int run_bench(const BenchOptions& o);

}  // namespace smmusim::bench
