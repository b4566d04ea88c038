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

template <class T>
void NameTable<T>::build(std::vector<std::pair<std::string_view, T>> entries)
{
    entries_ = std::move(entries);
    keys_.clear();
    for (const auto& e : entries_)
        keys_.push_back(name_key(e.first));
    size_t size = 1;
    while (size < 2 * entries_.size())
        size *= 2;
    for (; size <= 64 * std::max<size_t>(entries_.size(), 1); size *= 2)
        for (uint32_t seed = 1; seed < 4096; seed += 2) {
            std::vector<int> slots(size, -1);
            bool perfect = true;
            for (size_t i = 0; i < entries_.size() && perfect; i++) {
                int& slot = slots[hash(keys_[i], multiplier(seed), static_cast<uint32_t>(size - 1))];
                perfect = slot < 0;
                slot = static_cast<int>(i);
            }
            if (perfect) {
                slots_ = std::move(slots);
                mult_ = multiplier(seed);
                mask_ = static_cast<uint32_t>(size - 1);
                return;
            }
        }
}

template class NameTable<smmuv3::CommandName>;
template class NameTable<const smmuv3::FieldSpec*>;

CommandNames::CommandNames()
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
    commands_.build(std::move(known));
    for (unsigned op = 0; op < 256; op++) {
        std::vector<std::pair<std::string_view, const smmuv3::FieldSpec*>> f;
        for (const smmuv3::FieldSpec& spec : smmuv3::command_fields(static_cast<uint8_t>(op)))
            f.emplace_back(spec.name, &spec);
        if (f.size() > 64)
            throw std::logic_error("a command with more than 64 fields (cmd_names.h)");
        fields_[op].build(std::move(f));
    }
}

const CommandNames& CommandNames::get()
{
    static const CommandNames t;
    return t;
}

const smmuv3::CommandName* command_by_name(std::string_view name) { return CommandNames::get().command(name); }

const smmuv3::FieldSpec* command_field(uint8_t op, std::string_view name, unsigned* index)
{
    return CommandNames::get().field(op, name, index);
}

}  // namespace smmusim
