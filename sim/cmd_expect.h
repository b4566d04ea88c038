// SPDX-License-Identifier: GPL-2.0-only
// Expectations on the commands the hardware executed: the trace line
//
//   expect executed none
//   expect executed OPNAME { FIELD=VALUE } [ count=N ] [ covers=BASE+SIZE | covers=all ]
//                          [ granule=BYTES ] [ queue=NAME ]
//
// checks the decoded commands the SMMU's shared command engine executed
// (after the CMDQV's guest filter rewrote them; taken as each starts
// executing, since a CMD_SYNC's MSI can reach software before the SMMU is
// done with it) in the expectation's window:
// the commands executed since the previous `expect` line, or since the start
// of the last operation that is not a queue operation (cmd, doorbell, wait,
// wait consumed, a when-only line, guest VM cmd|doorbell|wait), whichever is
// later. traces/FORMAT.md documents the line; the player records the
// commands (CommandLog) and fails the line with what differs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lexer.h"
#include "smmuv3/commands.h"

namespace smmusim {

class CommandEngine;
struct TraceOp;

struct CmdExpect {
    bool none = false;        // "none": nothing at all executed in the window
    uint8_t opcode = 0;
    std::string opname;
    struct FieldEq {
        const smmuv3::FieldSpec* spec;
        uint64_t value;       // the field's value (as smmuv3::get_field() reads it)
        std::string text;     // as written, for messages; "" if implied()
        // A field the command's name implies rather than the line writes
        // (CFGI_ALL: CFGI_STE_RANGE's Range = 31, IHI 0070 4.3.3): it
        // selects the commands the expectation is about, with the opcode.
        bool implied() const { return text.empty(); }
    };
    // The implied fields (parse time, from the name), then the written
    // ones, which every selected command must have: one list, so that
    // whatever keeps an expectation's fields (the run's spool,
    // trace_spool.h) keeps what selects too.
    std::vector<FieldEq> fields;
    bool has_count = false;
    uint64_t count = 0;           // without count=: at least one
    bool has_covers = false;
    // The union of the commands' ranges is exactly [base, base+size);
    // base+size <= 2^64. Size 0 is 2^64 (base 0): covers=all.
    uint64_t base = 0, size = 0;
    uint64_t granule = 4096;      // what a TLBI without a range (TG = 0) covers
    std::string queue;            // "smmu.cmdq", "cmdqv.vcmdqN"; empty: any
    std::string queue_text;       // queue= as the trace wrote it (cmdqv.vcmdq04): what messages echo
};

// The name of a VCMDQ's queue in queue= and in the executed records:
// this prefix and the VCMDQ's index in decimal ("cmdqv.vcmdq2").
inline constexpr std::string_view kVcmdqQueuePrefix = "cmdqv.vcmdq";

// The VCMDQ index the expectation's queue= names; none for smmu.cmdq and
// for an expectation on any queue.
std::optional<unsigned> expected_vcmdq(const CmdExpect& e);

// Parses what follows "expect" (toks[k] is "executed"); errors name
// file:line:column through the lexer.
void parse_cmd_expect(const Lexer& lx, const std::vector<Token>& toks, size_t k, CmdExpect& e);

// One executed command and the queue it came from ("smmu.cmdq", "cmdqv.vcmdq2").
struct ExecutedCmd {
    std::string queue;
    smmuv3::Command cmd;
};

// "" when `cmds` meet the expectation, else what differs.
std::string check_commands(const CmdExpect& e, const std::vector<ExecutedCmd>& cmds);

// The bytes [first, last] (inclusive: a range may end at 2^64) a command
// addresses, for covers=, from its fields:
// a range TLBI's (NUM+1) * 2^SCALE granules, a TLBI without a range (TG = 0)
// the `granule` holding its address, an ATC_INV or PREFETCH_ADDR its
// naturally aligned 2^SIZE pages. False for commands without an address.
bool command_range(const smmuv3::Command& c, uint64_t granule, uint64_t& first, uint64_t& last);

// Records what the engine executes while a trace runs, window by window.
class CommandLog {
public:
    static constexpr size_t kMaxWindow = 1u << 20;  // commands kept per window

    // Starts recording (once; traces without expect lines never call it).
    void attach(CommandEngine& engine);
    // Called before every trace operation starts (before its `when`).
    void before(const TraceOp& op);
    std::string check(const CmdExpect& e) const;

private:
    CommandEngine* engine_ = nullptr;
    std::vector<ExecutedCmd> window_;
    uint64_t dropped_ = 0;
    bool after_expect_ = false;
};

}  // namespace smmusim
