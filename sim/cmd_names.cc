// SPDX-License-Identifier: GPL-2.0-only
// Command and field names by table, built once from the encoder.
#include "cmd_names.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>
#include <unordered_set>
#include <vector>

namespace smmusim {

namespace {

// A name as two words and its length, read a word at a time: its first and
// last 8 bytes (4 if it is shorter than 8; its first, middle and last byte
// if shorter than 4), which overlap and so hold every byte of a name of at
// most 16: two such names are equal if their keys are.
struct NameKey {
    uint64_t a = 0, b = 0;
    size_t len = 0;
    bool operator==(const NameKey& o) const { return a == o.a && b == o.b && len == o.len; }
};
constexpr size_t kWholeInKey = 16;

[[gnu::always_inline]] inline NameKey key_of(std::string_view s)
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
    void build(std::vector<std::pair<std::string_view, T>> entries)
    {
        entries_ = std::move(entries);
        keys_.clear();
        for (const auto& e : entries_)
            keys_.push_back(key_of(e.first));
        size_t size = 1;
        while (size < 2 * entries_.size())
            size *= 2;
        for (; size <= 64 * std::max<size_t>(entries_.size(), 1); size *= 2)
            for (uint32_t seed = 1; seed < 4096; seed += 2) {
                std::vector<int> slots(size, -1);
                bool perfect = true;
                for (size_t i = 0; i < entries_.size() && perfect; i++) {
                    int& slot = slots[hash(keys_[i], seed, size - 1)];
                    perfect = slot < 0;
                    slot = static_cast<int>(i);
                }
                if (perfect) {
                    slots_ = std::move(slots);
                    seed_ = seed;
                    mask_ = static_cast<uint32_t>(size - 1);
                    return;
                }
            }
    }

    // The entry named `name` and its position in build()'s list; nullptr if none.
    const T* find(std::string_view name, unsigned* index = nullptr) const
    {
        if (name.empty())
            return nullptr;
        const NameKey k = key_of(name);
        if (!slots_.empty()) {
            const int i = slots_[hash(k, seed_, mask_)];
            return i >= 0 && same(static_cast<size_t>(i), k, name) ? at(static_cast<size_t>(i), index) : nullptr;
        }
        for (size_t i = 0; i < entries_.size(); i++)
            if (same(i, k, name))
                return at(i, index);
        return nullptr;
    }

private:
    static uint32_t hash(const NameKey& k, uint32_t seed, uint32_t mask)
    {
        const uint64_t h = (k.a ^ (k.b * 0x9e3779b97f4a7c15ull) ^ k.len) * (0xff51afd7ed558ccdull ^ (uint64_t(seed) << 32));
        return static_cast<uint32_t>(h >> 40) & mask;
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
    uint32_t seed_ = 1, mask_ = 0;
};

struct Tables {
    NameTable<smmuv3::CommandName> commands;
    // Per opcode, its fields in command_fields() order.
    std::array<NameTable<const smmuv3::FieldSpec*>, 256> fields;

    Tables()
    {
        // Every name opcode_name() gives, and the aliases command_by_name()
        // takes besides; the encoder decides what each stands for.
        // Each name asked once: most opcodes share the name of an
        // unallocated one, and command_by_name() scans every opcode.
        std::vector<std::string_view> names = {"CFGI_ALL"};
        std::unordered_set<std::string_view> asked;
        for (unsigned op = 0; op < 256; op++)
            names.push_back(smmuv3::opcode_name(static_cast<uint8_t>(op)));
        std::vector<std::pair<std::string_view, smmuv3::CommandName>> known;
        for (std::string_view n : names) {
            smmuv3::CommandName c;
            if (asked.insert(n).second && smmuv3::command_by_name(std::string(n), c))
                known.emplace_back(n, c);
        }
        commands.build(std::move(known));
        for (unsigned op = 0; op < 256; op++) {
            std::vector<std::pair<std::string_view, const smmuv3::FieldSpec*>> f;
            for (const smmuv3::FieldSpec& spec : smmuv3::command_fields(static_cast<uint8_t>(op)))
                f.emplace_back(spec.name, &spec);
            if (f.size() > 64)
                throw std::logic_error("a command with more than 64 fields (cmd_names.h)");
            fields[op].build(std::move(f));
        }
    }
};

const Tables& tables()
{
    static const Tables t;
    return t;
}

}  // namespace

const smmuv3::CommandName* command_by_name(std::string_view name) { return tables().commands.find(name); }

const smmuv3::FieldSpec* command_field(uint8_t op, std::string_view name, unsigned* index)
{
    const smmuv3::FieldSpec* const* f = tables().fields[op].find(name, index);
    return f ? *f : nullptr;
}

}  // namespace smmusim
