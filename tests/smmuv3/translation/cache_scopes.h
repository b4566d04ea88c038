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
#include <ostream>
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

// One row of a table-driven invalidation test: a command by name with its
// fields, and the ids of the entries it leaves (or, where a test says so,
// removes). gtest prints the row by its command and name.
struct ScopeCase {
    const char* test;
    const char* command;
    Fields fields;
    std::vector<uint64_t> ids;
};
inline void PrintTo(const ScopeCase& c, std::ostream* os) { *os << c.command << " (" << c.test << ")"; }
inline std::string case_name(const ::testing::TestParamInfo<ScopeCase>& i) { return i.param.test; }

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

// Fills `cache` (empty) with `fill`, applies `s`, and returns the ids of
// the entries that survived (checking the invalidated count agrees).
template <class Cache, class E, class IdOf>
std::vector<uint64_t> survivors_of(Cache& cache, const std::vector<E>& fill, const InvalidationScope& s, IdOf id_of)
{
    for (const E& e : fill)
        cache.insert(e);
    EXPECT_EQ(cache.size(), fill.size());
    cache.invalidate(s);
    EXPECT_EQ(cache.stats().invalidated.value(), fill.size() - cache.size());
    return ids(cache, id_of);
}

// What a randomised run did: entries the commands removed, and the most
// entries held after a command (both should be large for a meaningful run).
struct RandomRun {
    uint64_t removed = 0;
    size_t peak = 0;
};

// `rounds` rounds of `fills` random entries (random_entry(rng, id)) and one
// random TLBI, on `cache` and on a plain list kept by the reference rule
// (removes(command, entry); same(a, b): b refills a's place); after each
// round the cache holds exactly the list's entries. The cache is large
// enough never to evict (checked).
template <class Cache, class E, class RandomEntry, class Same, class Removes, class IdOf>
RandomRun mirror_random_tlbis(Cache& cache, uint64_t seed, int rounds, int fills, RandomEntry random_entry, Same same,
                              Removes removes, IdOf id_of)
{
    std::mt19937_64 rng(seed);
    std::vector<E> ref;
    RandomRun run;
    uint64_t next_id = 1;
    for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < fills; i++) {
            const E e = random_entry(rng, next_id++);
            cache.insert(e);
            ref.erase(std::remove_if(ref.begin(), ref.end(), [&](const E& o) { return same(o, e); }), ref.end());
            ref.push_back(e);
        }
        const RawTlbi c = random_tlbi(rng);
        cache.invalidate(scope(c.name, c.fields()));
        const size_t before = ref.size();
        ref.erase(std::remove_if(ref.begin(), ref.end(), [&](const E& e) { return removes(c, e); }), ref.end());
        run.removed += before - ref.size();
        run.peak = std::max(run.peak, ref.size());
        std::vector<uint64_t> want;
        for (const E& e : ref)
            want.push_back(id_of(e));
        std::sort(want.begin(), want.end());
        EXPECT_EQ(ids(cache, id_of), want) << "round " << round << ": " << c.name << " vmid " << c.vmid << " asid "
                                           << c.asid << " addr 0x" << std::hex << c.addr << " leaf " << c.leaf
                                           << " tg " << c.tg << " ttl " << c.ttl << " num " << c.num << " scale "
                                           << c.scale;
        if (::testing::Test::HasFailure())
            break;
    }
    EXPECT_EQ(cache.stats().evictions.value(), 0u);
    return run;
}

}  // namespace smmusim::smmuv3::test
