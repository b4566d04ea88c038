// SPDX-License-Identifier: GPL-2.0-only
// Which child (children.h) a `--child NAME` runs, and its one JSON line.
#include "children.h"

#include <fmt/format.h>

namespace smmusim::bench {

int run_child(const ChildArgs& a)
{
    try {
        nlohmann::json j;
        if (a.name == "model")
            j = measure_model(a.quick);
        else if (a.name == "trace")
            j = measure_trace(a.ops, a.quick);
        else if (a.name == "driver" || a.name == "driver_cost_off")
            j = measure_driver(a.ops, a.quick, a.name == "driver");
        else if (a.name == "count_cmdq" || a.name == "count_vcmdq" || a.name == "count_wait" ||
                 a.name == "count_hit" || a.name == "count_miss")
            j = count_jobs(a.name.substr(6), a.ops);
        else {
            fmt::print(stderr, "smmusim_bench: unknown child '{}' (model, trace, driver, driver_cost_off, count_cmdq, count_vcmdq, count_wait, count_hit, count_miss)\n", a.name);
            return 2;
        }
        fmt::print("{}\n", j.dump());
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "smmusim_bench: child {}: {}\n", a.name, e.what());
        return 1;
    }
}

}  // namespace smmusim::bench
