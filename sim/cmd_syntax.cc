// SPDX-License-Identifier: GPL-2.0-only
// SMMU commands as trace words: names, field values and their errors.
#include "cmd_syntax.h"

#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cmd_names.h"

namespace smmusim {

smmuv3::CommandName command_named(const Lexer& lx, const Token& name)
{
    const smmuv3::CommandName* c = command_by_name(name.text);
    if (!c)
        lx.fail(name, fmt::format("unknown command '{}'", name.text));
    return *c;
}

namespace {
// The words the encoder takes for a field (smmuv3::field_value_by_name()),
// for a message: these candidates, each kept only if the encoder takes it
// (it has no list of its own to ask for).
std::vector<std::string_view> field_words(uint8_t op, const smmuv3::FieldSpec& f)
{
    static constexpr std::string_view kCandidates[] = {"none", "irq", "sev"};  // CMD_SYNC cs
    std::vector<std::string_view> words;
    uint64_t v = 0;
    for (const std::string_view w : kCandidates)
        if (smmuv3::field_value_by_name(op, f, w, v))
            words.push_back(w);
    return words;
}
}  // namespace

uint64_t field_value(const Lexer& lx, uint8_t op, const smmuv3::FieldSpec& f, const Token& value)
{
    uint64_t v = 0;
    if (smmuv3::field_value_by_name(op, f, value.text, v))
        return v;
    // A word that is no number, for a field that takes words
    // (cs=none|irq|sev): they are listed.
    if (value.text.find_first_not_of("0123456789abcdefABCDEFxX") != std::string_view::npos)
        if (const std::vector<std::string_view> words = field_words(op, f); !words.empty())
            lx.fail(value, fmt::format("expected {} or a number for {}, got '{}'", fmt::join(words, ", "), f.name,
                                       value.text));
    return lx.number(value, "a field value");
}

namespace {
// No bit of `v` outside the ones the field holds (its width above its
// shift): it fits. Anything else, the encoder decides.
bool surely_fits(const smmuv3::FieldSpec& f, uint64_t v)
{
    const unsigned width = f.field.hi - f.field.lo + 1;
    const uint64_t holds = (width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1) << f.shift;
    return (v & ~holds) == 0;
}
}  // namespace

void check_field_fits(const Lexer& lx, const smmuv3::FieldSpec& f, const Token& value, uint64_t v)
{
    if (surely_fits(f, v))
        return;
    switch (smmuv3::field_fit(f, v)) {
    case smmuv3::FieldFit::Fits: return;
    case smmuv3::FieldFit::Unaligned: lx.fail(value, fmt::format("{} must be a multiple of {}", f.name, 1ull << f.shift));
    case smmuv3::FieldFit::TooWide: {
        const unsigned width = f.field.hi - f.field.lo + 1;
        if (f.shift == 0)
            lx.fail(value, fmt::format("{} = {:#x} does not fit its {}-bit field", f.name, v, width));
        // A value in bytes whose field holds its upper bits (addr: bits
        // [51:12] of an address): the limit in the value's own unit.
        lx.fail(value, fmt::format("{} = {:#x} does not fit: its field holds bits [{}:{}] of it (below 2^{})", f.name,
                                   v, width + f.shift - 1, f.shift, width + f.shift));
    }
    }
}

namespace {
// "(fields: a, b, c)" of a command's "has no field" error.
std::string field_list(uint8_t op)
{
    std::string names;
    for (const auto& fs : smmuv3::command_fields(op))
        names += std::string(names.empty() ? "" : ", ") + fs.name;
    return names.empty() ? "none" : names;
}

}  // namespace

CommandWords parse_command(const Lexer& lx, const Token& name, TokenSpan fields)
{
    // The tables once for the line: its look-ups are inline.
    const CommandNames& names = CommandNames::get();
    const smmuv3::CommandName* cn = names.command(name.text);
    if (!cn)
        command_named(lx, name);  // the error
    const smmuv3::CommandName& c = *cn;
    CommandWords w{c.op, smmuv3::cmdf::OPCODE.put(c.op), 0};
    if (c.implied)
        smmuv3::put_field(*c.implied, c.implied_value, w.dw0, w.dw1);
    // The command's fields given so far, a bit each by position: a field
    // given twice would be ORed in. (A key that is no field fails below at
    // its first use.)
    uint64_t seen = 0;
    for (const Token& tok : fields) {
        KeyValue kv;
        if (!split_field(tok, kv))
            lx.fail(tok, fmt::format("expected FIELD=VALUE, got '{}'", tok.text));
        unsigned index = 0;
        // CFGI_ALL is CFGI_STE_RANGE with Range = 31 (IHI 0070 4.3.3): the
        // name sets its fields; it has none of its own.
        const smmuv3::FieldSpec* f = c.implied ? nullptr : names.field(c.op, kv.key, &index);
        const uint64_t bit = f ? uint64_t(1) << index : 0;
        if (seen & bit)
            lx.fail(tok, fmt::format("'{}' is given twice", kv.key));
        seen |= bit;
        // The value is read first: a bad number is reported as such even
        // under a field the command does not have.
        const uint64_t v = f ? field_value(lx, c.op, *f, kv.value) : lx.number(kv.value, "a field value");
        if (!f)
            lx.fail(tok, fmt::format("{} has no field '{}' ({})", name.text, kv.key,
                                     c.implied ? std::string("it has none") : "fields: " + field_list(c.op)));
        if (!surely_fits(*f, v))
            check_field_fits(lx, *f, kv.value, v);
        smmuv3::put_field(*f, v, w.dw0, w.dw1);
    }
    return w;
}

}  // namespace smmusim
