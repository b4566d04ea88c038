// SPDX-License-Identifier: GPL-2.0-only
// The parameter table as Markdown (Config::markdown): what
// `smmusim params --markdown` prints and docs/timing.md holds, one table
// per model (the key's first word), so that the document is made from the
// declarations and cannot drift from them (its test: tests/build/).
// It does not judge the sources; it counts those that say "assumed".
#include <algorithm>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "params.h"

namespace smmusim {

namespace {

// What each key prefix is; a prefix not named here (a new model's) is
// headed by the prefix alone.
const std::map<std::string, std::string>& model_titles()
{
    static const std::map<std::string, std::string> titles = {
        {"bus", "Interconnect (models/platform/router.h)"},
        {"cmdqv", "Tegra241 CMDQV (models/cmdqv/cmdqv_params.h)"},
        {"cpu", "Kernel shim: the cost of the kernel code the simulated CPU runs"},
        {"endpoint", "PCIe endpoint ATS (models/endpoint/endpoint_params.h)"},
        {"kernel", "Kernel shim: the simulated CPU (kernel_shim/host/options.h)"},
        {"mem", "DRAM (models/platform/memory.h)"},
        {"platform", "Platform wiring (sim/soc.h)"},
        {"player", "Trace player pacing (sim/player_params.h)"},
        {"study", "the study vcmdq-vs-trap's own figures (studies/study_params.h): `smmusim study ... --set` "
                  "only, not `run` or --config"},
        {"vm", "VMs: exits, entries and the VMM's dispatch (kernel_shim/vmm/)"},
        {"smmu", "SMMUv3 (models/smmuv3/smmuv3_params.h, translation/cache_params.h, translation/translation_params.h)"},
    };
    return titles;
}

// The documents the sources cite by name, with where to read them; the
// document lists those some source cites.
const std::vector<std::pair<std::string, std::string>>& references()
{
    static const std::vector<std::pair<std::string, std::string>> refs = {
        {"IHI 0070", "Arm System Memory Management Unit Architecture Specification, SMMU architecture version 3: "
                     "https://developer.arm.com/documentation/ihi0070/latest"},
        {"Intel Agilex 5 HPS TRM (814346)",
         "Hard Processor System Technical Reference Manual: Agilex 5 SoCs, its MMU-600 configuration tables: "
         "https://www.intel.com/content/www/us/en/docs/programmable/814346/24-2/mmu-600-tcu-hardware-configuration.html"},
        {"DDI 0517", "Arm CoreLink MMU-500 System Memory Management Unit Technical Reference Manual"},
        {"DDI 0500E", "Arm Cortex-A53 MPCore Processor Technical Reference Manual: "
                      "https://developer.arm.com/docs/ddi0500/e/memory-management-unit/tlb-organization/main-tlb"},
        {"AnandTech 15578", "AnandTech, Cloud Clash: Amazon Graviton2 (Arm) against Intel and AMD: "
                            "https://www.anandtech.com/show/15578/cloud-clash-amazon-graviton2-arm-against-intel-and-amd"},
        {"Chips and Cheese", "Chips and Cheese, Arm's Neoverse V2, in AWS's Graviton 4: https://chipsandcheese.com/"},
        {"PCIe Base Spec", "PCI Express Base Specification, the ATS Extended Capability"},
        {"Linux 7.3", "the Linux tree the kernel shim compiles (./smmusim kernel-manifest names it)"},
    };
    return refs;
}

// A table cell: no line breaks, no column separators.
std::string cell(std::string s)
{
    std::string out;
    for (char c : s)
        out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
    return out;
}

bool assumed(const std::string& source) { return source.compare(0, 7, "assumed") == 0; }

}  // namespace

std::string Config::markdown() const
{
    std::map<std::string, std::vector<const Entry*>> models;
    size_t n_assumed = 0;
    for (const auto& [k, e] : params_) {
        models[k.substr(0, k.find('.'))].push_back(&e);
        n_assumed += assumed(e.decl.source);
    }
    std::ostringstream os;
    os << "<!-- SPDX-License-Identifier: GPL-2.0-only -->\n"
          "# Timing and sizing parameters\n\n"
          "Generated from the parameter declarations by `./smmusim params --markdown > docs/timing.md`;\n"
          "do not edit it by hand: change a declaration (its default, unit, description or source), then\n"
          "run that command. The test `Build.timing_doc` fails when this file and the declarations differ.\n\n"
          "Every default names its source (a document and its section or table, or the architecture), or\n"
          "says plainly `assumed:` and why that value. Any of them can be set with `--set key=value` or a\n"
          "TOML file (`--config`); `./smmusim params` lists them as text.\n\n";
    os << fmt::format("{} parameters, {} of them assumed.\n", params_.size(), n_assumed);
    for (const auto& [prefix, entries] : models) {
        const auto t = model_titles().find(prefix);
        os << fmt::format("\n## `{}.*`{}\n\n", prefix, t == model_titles().end() ? "" : ": " + t->second);
        os << "| parameter | default | unit | meaning | source |\n|---|---|---|---|---|\n";
        for (const Entry* e : entries) {
            const ParamDecl& d = e->decl;
            const std::string def = d.unit == "address" ? fmt::format("{:#x}", u64(d.name)) : d.def;
            os << fmt::format("| `{}` | {} | {} | {} | {} |\n", d.name, cell(def), cell(d.unit), cell(d.desc),
                              cell(d.source));
        }
    }
    os << "\n## References\n\n";
    for (const auto& ref : references()) {
        // A named pair, not a structured binding: C++17 lets no lambda
        // capture a binding (clang refuses it; the fuzz build is clang's).
        const std::string& name = ref.first;
        const bool cited = std::any_of(params_.begin(), params_.end(), [&name](const auto& p) {
            return p.second.decl.source.find(name) != std::string::npos;
        });
        if (cited)
            os << fmt::format("- {}: {}\n", name, ref.second);
    }
    return os.str();
}

}  // namespace smmusim
