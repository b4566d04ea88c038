// SPDX-License-Identifier: GPL-2.0-only
// Test helpers: every command the shared engine executes, with its queue,
// in the shape the trace player's `expect executed` checks
// (sim/cmd_expect.h), and expectations built in code.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cmd_expect.h"
#include "smmuv3/cmd_engine.h"

namespace smmusim::test {

struct CmdRecord {
    explicit CmdRecord(CommandEngine& e)
    {
        e.add_start_observer([this, &e](unsigned src, const smmuv3::Command& c) {
            std::string q = e.source_name(src);
            if (q.rfind("soc.", 0) == 0)
                q.erase(0, 4);
            cmds.push_back(ExecutedCmd{std::move(q), c});
        });
    }
    void clear() { cmds.clear(); }
    std::string text() const
    {
        std::string s;
        for (const auto& x : cmds)
            s += fmt::format("{} {} {:#018x} {:#018x}\n", x.queue, smmuv3::opcode_name(x.cmd.op), x.cmd.dw0,
                             x.cmd.dw1);
        return s;
    }
    std::vector<ExecutedCmd> cmds;
};

// `expect executed OP FIELD=VALUE...` (values as in traces: byte addresses).
inline CmdExpect expect_cmd(uint8_t op, std::initializer_list<std::pair<const char*, uint64_t>> fields)
{
    CmdExpect e;
    e.opcode = op;
    e.opname = smmuv3::opcode_name(op);
    for (const auto& [name, v] : fields) {
        const smmuv3::FieldSpec* f = smmuv3::find_field(op, name);
        if (!f)
            throw std::logic_error(fmt::format("{} has no field {}", e.opname, name));
        e.fields.push_back({f, v, fmt::format("{}={:#x}", name, v)});  // compared as get_field() reads it
    }
    return e;
}

}  // namespace smmusim::test
