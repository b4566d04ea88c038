// SPDX-License-Identifier: GPL-2.0-only
// What a decoder's answer (ste.h's SteDecode, cd.h's CdDecode) says, for
// the translation tests: the configuration, or the reason code of its
// C_BAD_STE / C_BAD_CD fault; and the rows of a validity-rule table.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "linux_entries.h"
#include "smmuv3/translation/types.h"

namespace smmusim::test {

// The configuration; a test failure (and a default configuration) if the
// decoder faulted.
template <class Config>
Config config_of(const std::variant<Config, smmuv3::Fault>& d)
{
    if (const auto* f = std::get_if<smmuv3::Fault>(&d)) {
        ADD_FAILURE() << "event " << int(f->type) << ", reason " << int(f->reason);
        return Config{};
    }
    return std::get<Config>(d);
}

// The fault's reason code (0: it decoded); a test failure if the fault is
// not of `type`.
template <class Config>
uint8_t reason_of(const std::variant<Config, smmuv3::Fault>& d, uint8_t type)
{
    const auto* f = std::get_if<smmuv3::Fault>(&d);
    if (!f)
        return 0;
    EXPECT_EQ(f->type, type);
    return f->reason;
}

// One validity rule: a structure that breaks it (in its context) and its
// nearest legal neighbour. Each row is checked with why(entry, context),
// which gives the reason code (Reason::None: it decodes).
template <class Context, class Reason>
struct RuleRow {
    std::string name;
    Entry bad;
    Context bad_ctx;
    Entry good;
    Context good_ctx;
    Reason reason;
};

template <class Context, class Reason, class Why>
void expect_rules(const std::vector<RuleRow<Context, Reason>>& rows, Why why)
{
    for (const auto& r : rows) {
        EXPECT_EQ(why(r.bad, r.bad_ctx), r.reason) << r.name;
        EXPECT_EQ(why(r.good, r.good_ctx), Reason::None) << r.name << " (legal neighbour)";
    }
}

// An STE or a CD of random bits (the random tests bias some fields after).
inline Entry random_entry(std::mt19937_64& rng)
{
    Entry e;
    for (uint64_t& d : e.d)
        d = rng();
    return e;
}

// The decoder's answer was a configuration error of `type` with a reason
// code (a test failure if it was another fault); false for a configuration.
template <class Config>
bool is_config_error(const std::variant<Config, smmuv3::Fault>& d, uint8_t type)
{
    const auto* f = std::get_if<smmuv3::Fault>(&d);
    if (f) {
        EXPECT_EQ(f->type, type);
        EXPECT_NE(f->reason, 0u);
    }
    return f != nullptr;
}

}  // namespace smmusim::test
