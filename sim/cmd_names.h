// SPDX-License-Identifier: GPL-2.0-only
// The command encoder's names (smmuv3/commands.h) as lookup tables for the
// trace reader: a command by its name and a field of a command by its name
// (in the command's own few fields), each by a perfect hash (one slot, one
// comparison), not a comparison with every name. The tables are built
// once, from the encoder itself, so they know exactly the names it knows:
// commands.h stays the one list. What a
// name means, and every error message, stays with the callers
// (cmd_syntax.h, cmd_expect.h). The look-ups are inline: a `cmd` line
// makes one per word.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include "smmuv3/commands.h"

namespace smmusim {

// The command `name` names (an architecture name, or CFGI_ALL); nullptr if
// none: the same answers as smmuv3::command_by_name.
const smmuv3::CommandName* command_by_name(std::string_view name);
// Command `op`'s field `name`; nullptr if it has none: the same answers as
// smmuv3::find_field. `index`, if given, is set to the field's position in
// smmuv3::command_fields(op) (a command has fewer than 64 fields: the
// position is a bit of a "given" mask).
const smmuv3::FieldSpec* command_field(uint8_t op, std::string_view name, unsigned* index = nullptr);

// A name as two words and its length, read a word at a time: its first and
// last 8 bytes (4 if it is shorter than 8; its first, middle and last byte
// if shorter than 4), which overlap and so hold every byte of a name of at
// most 16: two such names are equal if their keys are.
struct NameKey {
    uint64_t a = 0, b = 0;
    size_t len = 0;
    bool operator==(const NameKey& o) const { return a == o.a && b == o.b && len == o.len; }
};

[[gnu::always_inline]] inline NameKey name_key(std::string_view s)
{
    const char* p = s.data();
    const size_t n = s.size();
    NameKey k;
    k.len = n;
    if (n >= 8) {
        std::memcpy(&k.a, p, 8);
        std::memcpy(&k.b, p + n - 8, 8);
    } else if (n >= 4) {
        uint32_t x, y;
        std::memcpy(&x, p, 4);
        std::memcpy(&y, p + n - 4, 4);
        k.a = x;
        k.b = y;
    } else if (n) {
        k.a = static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[n / 2]) << 8 |
              static_cast<unsigned char>(p[n - 1]) << 16;
    }
    return k;
}

// A table of a few names built once, looked up by a perfect hash: a name's
// hash (of its key, times a seed picked at build time so that no two
// names share a slot) picks one slot, and one comparison of keys decides
// (of the whole names too, for one longer than a key holds). If no seed
// separates the names, lookups scan the names instead.
template <class T>
class NameTable {
public:
    void build(std::vector<std::pair<std::string_view, T>> entries);

    // The entry named `name` and its position in build()'s list; nullptr if none.
    [[gnu::always_inline]] const T* find(std::string_view name, unsigned* index = nullptr) const
    {
        if (name.empty())
            return nullptr;
        const NameKey k = name_key(name);
        if (slots_.empty())
            return scan(k, name, index);
        const int i = slots_[hash(k, mult_, mask_)];
        return i >= 0 && same(static_cast<size_t>(i), k, name) ? at(static_cast<size_t>(i), index) : nullptr;
    }

private:
    static constexpr size_t kWholeInKey = 16;
    // The hash's multiplier for `seed`.
    static constexpr uint64_t multiplier(uint32_t seed) { return 0xff51afd7ed558ccdull ^ (uint64_t(seed) << 32); }
    static uint32_t hash(const NameKey& k, uint64_t mult, uint32_t mask)
    {
        const uint64_t h = (k.a ^ (k.b * 0x9e3779b97f4a7c15ull) ^ k.len) * mult;
        return static_cast<uint32_t>(h >> 40) & mask;
    }
    [[gnu::noinline]] const T* scan(const NameKey& k, std::string_view name, unsigned* index) const
    {
        for (size_t i = 0; i < entries_.size(); i++)
            if (same(i, k, name))
                return at(i, index);
        return nullptr;
    }
    bool same(size_t i, const NameKey& k, std::string_view name) const
    {
        return keys_[i] == k && (k.len <= kWholeInKey || entries_[i].first == name);
    }
    const T* at(size_t i, unsigned* index) const
    {
        if (index)
            *index = static_cast<unsigned>(i);
        return &entries_[i].second;
    }

    std::vector<std::pair<std::string_view, T>> entries_;
    std::vector<NameKey> keys_;  // each entry's name's
    std::vector<int> slots_;     // empty: no perfect seed, scan
    uint64_t mult_ = multiplier(1);
    uint32_t mask_ = 0;
};

// Both tables, built on first use: a reader of many names takes get() once.
class CommandNames {
public:
    static const CommandNames& get();
    const smmuv3::CommandName* command(std::string_view name) const { return commands_.find(name); }
    const smmuv3::FieldSpec* field(uint8_t op, std::string_view name, unsigned* index = nullptr) const
    {
        const smmuv3::FieldSpec* const* f = fields_[op].find(name, index);
        return f ? *f : nullptr;
    }

private:
    CommandNames();
    NameTable<smmuv3::CommandName> commands_;
    // Per opcode, its fields in command_fields() order.
    std::array<NameTable<const smmuv3::FieldSpec*>, 256> fields_;
};

}  // namespace smmusim
