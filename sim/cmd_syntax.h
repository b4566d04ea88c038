// SPDX-License-Identifier: GPL-2.0-only
// SMMU commands as trace words: `OPNAME { FIELD=VALUE }` (the names and
// fields of traces/FORMAT.md), read for `cmd QUEUE ...`, `guest VM cmd L
// ...` and `expect executed ...`. The bits come from the model's encoder
// (smmuv3/commands.h); what this adds is the column of every mistake.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lexer.h"
#include "smmuv3/commands.h"

namespace smmusim {

// The command `name` names (cmd_names.h); else "unknown command 'NAME'".
smmuv3::CommandName command_named(const Lexer& lx, const Token& name);
// A field's VALUE: one of its named values (cs=sev) or a NUMBER.
uint64_t field_value(const Lexer& lx, uint8_t op, const smmuv3::FieldSpec& f, const Token& value);
// Refuses a value the field cannot hold (unaligned or too wide) at its column.
void check_field_fits(const Lexer& lx, const smmuv3::FieldSpec& f, const Token& value, uint64_t v);

// Encodes "OPNAME FIELD=VALUE..." into a command's two dwords; each field
// at most once.
struct CommandWords {
    uint8_t opcode = 0;
    uint64_t dw0 = 0, dw1 = 0;
};
CommandWords parse_command(const Lexer& lx, const Token& name, TokenSpan fields);

}  // namespace smmusim
