// SPDX-License-Identifier: GPL-2.0-only
// cmdqv.vcmdq.sev's values as text (cmdqv_params.h).
#include "cmdqv_params.h"

#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace smmusim {

namespace {
constexpr const char* kSevNames[] = {"cons", "sync", "none"};  // in VcmdqSev's order
}

std::string param_default_text(VcmdqSev v)
{
    const auto i = static_cast<size_t>(v);
    return i < std::size(kSevNames) ? kSevNames[i] : std::to_string(i);
}

void retire_cmdqv_params(Config& cfg)
{
    cfg.retire("cmdqv.sev_on_cons",
               "cmdqv.vcmdq.sev replaced it (true was 'cons', false 'none'; the default is 'sync', "
               "docs/model-changes.md)");
}

template <> VcmdqSev Config::get<VcmdqSev>(const std::string& name) const
{
    const std::string& text = str(name);
    for (size_t i = 0; i < std::size(kSevNames); i++)
        if (text == kSevNames[i])
            return static_cast<VcmdqSev>(i);
    const std::string origin = resolved().at(name).at("origin").get<std::string>();
    throw ConfigError(fmt::format("{}: {} = '{}' is none of cons, sync, none", origin, name, text));
}

}  // namespace smmusim
