// SPDX-License-Identifier: GPL-2.0-only
// A command as trace words (command_words.h).
#include "command_words.h"

#include <fmt/format.h>

namespace smmusim::studies {

std::string command_words(const smmuv3::EncodedCommand& c)
{
    std::string s = smmuv3::opcode_name(c.op);
    for (const smmuv3::FieldSpec& f : smmuv3::command_fields(c.op)) {
        const uint64_t v = smmuv3::get_field(f, c.dw0, c.dw1);  // in bytes for an address
        if (v == 0)
            continue;
        if (f.shift)
            s += fmt::format(" {}={:#x}", f.name, v);  // an address
        else
            s += fmt::format(" {}={}", f.name, v);
    }
    return s;
}

}  // namespace smmusim::studies
