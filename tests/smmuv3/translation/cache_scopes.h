// SPDX-License-Identifier: GPL-2.0-only
// What the cache tests share: an invalidation scope made the way the SMMU
// makes it (the command encoded by name with the project's encoder, decoded
// by the model's decoder, turned into a scope by invalidation_scope()), so
// the tests exercise the real decode; and the survivors of a cache as a
// sorted list of ids; and random TLBI commands with the reference
// reading of their address fields (for the randomised tests), written from
// the command's raw fields, apart from the model's decode.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "smmuv3/commands.h"
#include "smmuv3/invalidation.h"

namespace smmusim::smmuv3::test {

using Fields = std::vector<std::pair<std::string, uint64_t>>;

inline InvalidationScope scope(const std::string& name, const Fields& fields = {})
{
    const EncodedCommand c = encode_command(name, fields);
    const Decoded d = decode_command(c.dw0, c.dw1, CommandFeatures{});
    EXPECT_TRUE(d.ok) << name << ": " << (d.why ? d.why : "");
    InvalidationScope s;
    EXPECT_TRUE(invalidation_scope(d.cmd, s)) << name;
    return s;
}

// The ids (id_of(entry)) of every entry `cache` holds, sorted.
template <class Cache, class IdOf> std::vector<uint64_t> ids(const Cache& cache, IdOf id_of)
{
    std::vector<uint64_t> v;
    cache.for_each([&](const auto& e) { v.push_back(id_of(e)); });
    std::sort(v.begin(), v.end());
    return v;
}

// A TLBI command as raw field values, and the reference reading of them.
struct RawTlbi {
    std::string name;
    uint64_t vmid = 0, asid = 0, addr = 0, leaf = 0, tg = 0, ttl = 0, num = 0, scale = 0;

    // The fields the command has (encode_command refuses others).
    Fields fields() const
    {
        const Fields all = {{"vmid", vmid}, {"asid", asid}, {"addr", addr}, {"leaf", leaf},
                            {"tg", tg},     {"ttl", ttl},   {"num", num},   {"scale", scale}};
        CommandName n;
        command_by_name(name, n);
        Fields f;
        for (const auto& [k, v] : all)
            if (find_field(n.op, k))
                f.push_back({k, v});
        return f;
    }
    bool has_address() const { return find_field(static_cast<uint8_t>(opcode_by_name(name)), "addr") != nullptr; }
    // [base, base + size) meets the command's address: the page holding
    // `addr`, or (TG != 0) (NUM + 1) * 2^SCALE pages of the TG granule from it.
    bool meets(uint64_t base, uint64_t size) const
    {
        if (tg == 0)
            return base <= addr && addr - base < size;
        const uint64_t granule = tg == 1 ? 0x1000 : tg == 2 ? 0x4000 : 0x10000;
        const uint64_t end = addr + ((num + 1) << scale) * granule;  // small enough in these tests
        return base < end && addr < base + size;
    }
    // The TTL hint names another level than the leaf's (16K TTL = 1 is none).
    bool other_level(unsigned level) const
    {
        return tg != 0 && ttl != 0 && !(tg == 2 && ttl == 1) && ttl != level;
    }
};

// Addresses below 2^31, so entries and commands meet often.
inline RawTlbi random_tlbi(std::mt19937_64& rng)
{
    static const char* const kNames[] = {"TLBI_NH_ALL",  "TLBI_NH_ASID",  "TLBI_NH_VA",     "TLBI_NH_VAA",
                                         "TLBI_EL2_ALL", "TLBI_EL2_ASID", "TLBI_EL2_VA",    "TLBI_EL2_VAA",
                                         "TLBI_S2_IPA",  "TLBI_S12_VMALL", "TLBI_NSNH_ALL"};
    RawTlbi c;
    c.name = kNames[rng() % 11];
    c.vmid = rng() % 3;
    c.asid = rng() % 3;
    c.addr = (rng() % (1ull << 31)) & ~0xfffull;
    c.leaf = rng() % 2;
    if (rng() % 2) {  // a range
        c.tg = 1 + rng() % 3;
        c.ttl = rng() % 4;
        c.num = rng() % 32;
        c.scale = rng() % 12;
        if (c.num == 0 && c.scale == 0 && (c.ttl == 0 || (c.tg == 2 && c.ttl == 1)))
            c.num = 1;  // TG != 0 with no TTL, NUM and SCALE is reserved (CERROR_ILL)
    }
    return c;
}

}  // namespace smmusim::smmuv3::test
