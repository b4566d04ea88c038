// SPDX-License-Identifier: GPL-2.0-only
// The command encoder's names (smmuv3/commands.h) as lookup tables for the
// trace reader: a command by its name and a field of a command by its name
// (in the command's own few fields), each by a perfect hash (one slot, one
// comparison), not a comparison with every name. The tables are built
// once, from the encoder itself, so they know exactly the names it knows:
// commands.h stays the one list. What a
// name means, and every error message, stays with the callers
// (cmd_syntax.h, cmd_expect.h).
#pragma once

#include <cstdint>
#include <string_view>

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

}  // namespace smmusim
