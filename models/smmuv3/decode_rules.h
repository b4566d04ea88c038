// SPDX-License-Identifier: GPL-2.0-only
// The decode rules that make a command illegal (CERROR_ILL), one table row
// per rule: the opcodes it applies to, the section of the architecture
// (Arm IHI 0070, chapter 4 "Commands") or the model's documented choice
// (models/smmuv3/README.md, "Decisions"), and the predicate over the raw
// command and the implemented features. decode_command() (commands.h)
// checks every row that applies before it decodes a field; the first row
// that matches gives the reason. tests/smmuv3/decode_rules_test.cc has one
// test row per rule.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "commands.h"

namespace smmusim::smmuv3 {

struct DecodeRule {
    const char* id;       // stable short name (tests, logs)
    const char* section;  // where the rule comes from
    bool (*applies)(uint8_t op);
    bool (*illegal)(uint64_t dw0, uint64_t dw1, const CommandFeatures& f);
    const char* why;      // the reason decode_command() reports
    // Whether some command with this opcode can break the rule with these
    // features (a rule of an absent feature, a width the ID registers
    // allow, an architected opcode); nullptr: yes.
    bool (*possible)(uint8_t op, const CommandFeatures& f) = nullptr;
    // The fields `illegal` reads besides the opcode, in dword 0 and dword 1,
    // when no command with all of them zero breaks the rule, whatever the
    // features; both 0: the rule has no such fields (it is always checked).
    uint64_t fields_dw0 = 0;
    uint64_t fields_dw1 = 0;
};

const std::vector<DecodeRule>& decode_rules();
// The first rule the command breaks, or nullptr if it is legal.
const DecodeRule* broken_rule(uint64_t dw0, uint64_t dw1, const CommandFeatures& f);

// broken_rule() for one implementation's features, which an SMMU fixes when
// it is built: per opcode, only the rules that apply to it and that some
// command can break with these features, in table order (the first broken
// one is the same; a TLBI_NH_VA checks four predicates instead of ten with
// the default features), and none when every one of those rules has fields
// (DecodeRule::fields_dw0/dw1) and the command's are all zero (a TLBI_NH_VA
// without range fields, a CMD_SYNC with CS = NONE). Host cost only.
class DecodeRuleTable {
public:
    explicit DecodeRuleTable(const CommandFeatures& f);
    const CommandFeatures& features() const { return f_; }
    // Inline: the zero-fields answer (no call) is the common command's.
    const DecodeRule* broken(uint64_t dw0, uint64_t dw1) const
    {
        const Fields& z = zero_legal_[cmdf::OPCODE.get(dw0) & 0xff];
        if (z.valid && (dw0 & z.dw0) == 0 && (dw1 & z.dw1) == 0)
            return nullptr;  // every rule's fields are zero: none is broken
        return checked(dw0, dw1);
    }
    // The rules checked for an opcode, in table order.
    const std::vector<const DecodeRule*>& rules(uint8_t op) const { return by_op_[op]; }

private:
    // broken() by the opcode's rules, one predicate after another.
    const DecodeRule* checked(uint64_t dw0, uint64_t dw1) const;
    // Per opcode, the union of its rules' fields; valid when each has some.
    struct Fields {
        uint64_t dw0;
        uint64_t dw1;
        bool valid;
    };
    CommandFeatures f_;
    std::array<std::vector<const DecodeRule*>, 256> by_op_;
    std::array<Fields, 256> zero_legal_;
};

// A fetched burst decoded in place: out[i] = the command of words[2i],
// words[2i+1] (decode_command_into(Command&, ...), every field), for i from
// 0 up to and including the first illegal one; returns how many were legal
// before it (n when none is illegal). One call for a consumer's burst, the
// decoder inline in its loop (commands.cc).
size_t decode_commands_into(Command* out, const uint64_t* words, size_t n, const DecodeRuleTable& rules);

// A range TLBI's TTL as the SMMU reads it: TTL = 1 (level 1) with the 16 KiB
// granule names a level that exists only with 52-bit addresses (IDR5.DS),
// so without DS it is read as TTL = 0 ("no level given").
unsigned effective_ttl(uint64_t dw1, const CommandFeatures& f);

}  // namespace smmusim::smmuv3
