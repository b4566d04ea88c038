// SPDX-License-Identifier: GPL-2.0-only
// The smmusim program: parses the command line, builds the platform and runs.
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "soc.h"

// SystemC's own main() calls sc_main().
int sc_main(int argc, char** argv)
{
    CLI::App app{"smmusim: cycle-accurate SMMUv3 + Tegra241 CMDQV simulator"};
    app.require_subcommand(1);
    auto* params = app.add_subcommand("params", "list every parameter with its default, unit and source");
    CLI11_PARSE(app, argc, argv);

    smmusim::Config cfg;
    smmusim::declare_all_params(cfg);
    if (*params) {
        std::cout << cfg.describe();
        return 0;
    }
    return 0;
}
