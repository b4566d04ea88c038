// SPDX-License-Identifier: GPL-2.0-only
// Command and field names by table, built once from the encoder.
#include "cmd_names.h"

#include <array>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace smmusim {

namespace {

struct Tables {
    std::unordered_map<std::string_view, smmuv3::CommandName> commands;
    // Per opcode, its fields in command_fields() order, with their names.
    struct Field {
        std::string_view name;
        const smmuv3::FieldSpec* spec;
    };
    std::array<std::vector<Field>, 256> fields;

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
        for (std::string_view n : names) {
            smmuv3::CommandName c;
            if (asked.insert(n).second && smmuv3::command_by_name(std::string(n), c))
                commands.emplace(n, c);
        }
        for (unsigned op = 0; op < 256; op++) {
            for (const smmuv3::FieldSpec& f : smmuv3::command_fields(static_cast<uint8_t>(op)))
                fields[op].push_back({f.name, &f});
            if (fields[op].size() > 64)
                throw std::logic_error("a command with more than 64 fields (cmd_names.h)");
        }
    }
};

const Tables& tables()
{
    static const Tables t;
    return t;
}

}  // namespace

const smmuv3::CommandName* command_by_name(std::string_view name)
{
    const auto& c = tables().commands;
    const auto it = c.find(name);
    return it == c.end() ? nullptr : &it->second;
}

const smmuv3::FieldSpec* command_field(uint8_t op, std::string_view name, unsigned* index)
{
    const auto& fields = tables().fields[op];
    for (size_t i = 0; i < fields.size(); i++)
        if (fields[i].name == name) {
            if (index)
                *index = static_cast<unsigned>(i);
            return fields[i].spec;
        }
    return nullptr;
}

}  // namespace smmusim
