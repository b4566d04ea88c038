// SPDX-License-Identifier: GPL-2.0-only
#include "commands.h"

#include <array>
#include <stdexcept>

#include "decode_rules.h"

namespace smmusim::smmuv3 {

using namespace cmdf;

const char* opcode_name(uint8_t op)
{
    switch (op) {
    case OP_PREFETCH_CONFIG: return "PREFETCH_CONFIG";
    case OP_PREFETCH_ADDR: return "PREFETCH_ADDR";
    case OP_CFGI_STE: return "CFGI_STE";
    case OP_CFGI_STE_RANGE: return "CFGI_STE_RANGE";
    case OP_CFGI_CD: return "CFGI_CD";
    case OP_CFGI_CD_ALL: return "CFGI_CD_ALL";
    case OP_CFGI_VMS_PIDM: return "CFGI_VMS_PIDM";
    case OP_TLBI_NH_ALL: return "TLBI_NH_ALL";
    case OP_TLBI_NH_ASID: return "TLBI_NH_ASID";
    case OP_TLBI_NH_VA: return "TLBI_NH_VA";
    case OP_TLBI_NH_VAA: return "TLBI_NH_VAA";
    case OP_TLBI_EL3_ALL: return "TLBI_EL3_ALL";
    case OP_TLBI_EL3_VA: return "TLBI_EL3_VA";
    case OP_TLBI_EL2_ALL: return "TLBI_EL2_ALL";
    case OP_TLBI_EL2_ASID: return "TLBI_EL2_ASID";
    case OP_TLBI_EL2_VA: return "TLBI_EL2_VA";
    case OP_TLBI_EL2_VAA: return "TLBI_EL2_VAA";
    case OP_TLBI_S12_VMALL: return "TLBI_S12_VMALL";
    case OP_TLBI_S2_IPA: return "TLBI_S2_IPA";
    case OP_TLBI_NSNH_ALL: return "TLBI_NSNH_ALL";
    case OP_ATC_INV: return "ATC_INV";
    case OP_PRI_RESP: return "PRI_RESP";
    case OP_RESUME: return "RESUME";
    case OP_STALL_TERM: return "STALL_TERM";
    case OP_CMD_SYNC: return "CMD_SYNC";
    default: return "UNKNOWN";
    }
}

namespace {

constexpr CmdClass class_by_switch(uint8_t op)
{
    switch (op) {
    case OP_PREFETCH_CONFIG:
    case OP_PREFETCH_ADDR: return CmdClass::Prefetch;
    case OP_CFGI_STE:
    case OP_CFGI_CD: return CmdClass::Cfgi;
    case OP_CFGI_STE_RANGE:
    case OP_CFGI_CD_ALL: return CmdClass::CfgiAll;
    case OP_TLBI_NH_ALL:
    case OP_TLBI_EL2_ALL:
    case OP_TLBI_S12_VMALL:
    case OP_TLBI_NSNH_ALL: return CmdClass::TlbiAll;
    case OP_TLBI_NH_ASID:
    case OP_TLBI_EL2_ASID: return CmdClass::TlbiAsid;
    case OP_TLBI_NH_VA:
    case OP_TLBI_NH_VAA:
    case OP_TLBI_EL2_VA:
    case OP_TLBI_EL2_VAA:
    case OP_TLBI_S2_IPA: return CmdClass::TlbiVa;
    case OP_ATC_INV: return CmdClass::AtcInv;
    case OP_PRI_RESP: return CmdClass::PriResp;
    case OP_RESUME:
    case OP_STALL_TERM: return CmdClass::Resume;
    default: return CmdClass::Sync;
    }
}

// Every opcode's class, made at compile time: the decoder reads it per
// command instead of calling through the switch.
constexpr std::array<CmdClass, 256> kClassByOp = [] {
    std::array<CmdClass, 256> t{};
    for (unsigned op = 0; op < 256; op++)
        t[op] = class_by_switch(static_cast<uint8_t>(op));
    return t;
}();

}  // namespace

CmdClass command_class(uint8_t op) { return kClassByOp[op]; }

namespace {

// A range TLBI (TG != 0) covers (NUM+1) * 2^SCALE pages of the TG granule.
[[gnu::always_inline]] inline void decode_range(Command& c)
{
    const uint64_t tg = TLBI_TG.get(c.dw1);
    if (tg == 0)
        return;
    const uint64_t num = TLBI_NUM.get(c.dw0);
    const unsigned scale = static_cast<unsigned>(TLBI_SCALE.get(c.dw0));  // up to 63
    const unsigned granule_shift = tg == 1 ? 12 : tg == 2 ? 14 : 16;
    if (scale + 5 + granule_shift >= 64) {  // (NUM+1) <= 2^5: beyond any address space
        c.pages = UINT32_MAX;
        c.span = ~0ull;
        return;
    }
    const uint64_t pages = (num + 1) << scale;
    c.pages = pages > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(pages);
    c.span = pages << granule_shift;
}

// A TLBI's fields, each opcode's own code (what its opcode says of the
// fields is known when it is compiled, not tested per command).
template <uint8_t Op>
[[gnu::always_inline]] inline void decode_tlbi(Command& c, const CommandFeatures& f)
{
    constexpr bool stage2 = Op == OP_TLBI_S12_VMALL || Op == OP_TLBI_S2_IPA;
    constexpr bool el2 = Op >= OP_TLBI_EL2_ALL && Op <= OP_TLBI_EL2_VAA;
    const uint64_t dw0 = c.dw0, dw1 = c.dw1;
    if constexpr (!el2)
        c.vmid = static_cast<uint16_t>(TLBI_VMID.get(dw0) & (f.vmid16 ? 0xffff : 0xff));
    if constexpr (!stage2)
        c.asid = static_cast<uint16_t>(TLBI_ASID.get(dw0) & (f.asid16 ? 0xffff : 0xff));
    if constexpr (kClassByOp[Op] == CmdClass::TlbiVa) {
        c.leaf = TLBI_LEAF.get(dw1);
        c.addr = (Op == OP_TLBI_S2_IPA ? TLBI_IPA.get(dw1) : TLBI_VA.get(dw1)) << 12;
        decode_range(c);
    }
}

// Inline in the decoders below (a call per command, with its saved
// registers, cost about as much as the common command's fields).
[[gnu::always_inline]] inline void decode_fields(Command& c, const CommandFeatures& f)
{
    const uint64_t dw0 = c.dw0, dw1 = c.dw1;
    switch (c.op) {
    case OP_PREFETCH_CONFIG:
    case OP_PREFETCH_ADDR:
        c.sid = static_cast<uint32_t>(PREFETCH_SID.get(dw0));
        c.ssv = SSV.get(dw0);
        c.ssid = static_cast<uint32_t>(PREFETCH_SSID.get(dw0));
        if (c.op == OP_PREFETCH_ADDR) {
            c.addr = PREFETCH_ADDR.get(dw1) << 12;
            c.span = 4096ull << PREFETCH_SIZE.get(dw1);
        }
        return;
    case OP_CFGI_STE:
    case OP_CFGI_CD:
        c.sid = static_cast<uint32_t>(CFGI_SID.get(dw0));
        c.ssid = c.op == OP_CFGI_CD ? static_cast<uint32_t>(CFGI_SSID.get(dw0)) : 0;
        c.leaf = CFGI_LEAF.get(dw1);
        return;
    case OP_CFGI_STE_RANGE: {
        const uint64_t span = 2ull << CFGI_RANGE.get(dw1);
        c.sid = static_cast<uint32_t>(CFGI_SID.get(dw0) & ~(span - 1));
        c.sid_span = span > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(span);
        return;
    }
    case OP_CFGI_CD_ALL:
        c.sid = static_cast<uint32_t>(CFGI_SID.get(dw0));
        return;
    case OP_TLBI_NH_ALL: return decode_tlbi<OP_TLBI_NH_ALL>(c, f);
    case OP_TLBI_NH_ASID: return decode_tlbi<OP_TLBI_NH_ASID>(c, f);
    case OP_TLBI_NH_VA: return decode_tlbi<OP_TLBI_NH_VA>(c, f);
    case OP_TLBI_NH_VAA: return decode_tlbi<OP_TLBI_NH_VAA>(c, f);
    case OP_TLBI_EL2_ALL: return decode_tlbi<OP_TLBI_EL2_ALL>(c, f);
    case OP_TLBI_EL2_ASID: return decode_tlbi<OP_TLBI_EL2_ASID>(c, f);
    case OP_TLBI_EL2_VA: return decode_tlbi<OP_TLBI_EL2_VA>(c, f);
    case OP_TLBI_EL2_VAA: return decode_tlbi<OP_TLBI_EL2_VAA>(c, f);
    case OP_TLBI_S12_VMALL: return decode_tlbi<OP_TLBI_S12_VMALL>(c, f);
    case OP_TLBI_S2_IPA: return decode_tlbi<OP_TLBI_S2_IPA>(c, f);
    case OP_ATC_INV: {
        c.sid = static_cast<uint32_t>(ATC_SID.get(dw0));
        c.ssv = SSV.get(dw0);
        c.ssid = static_cast<uint32_t>(ATC_SSID.get(dw0));
        const unsigned size = static_cast<unsigned>(ATC_SIZE.get(dw1));
        c.span = size >= 52 ? ~0ull : 4096ull << size;
        // Address bits below the span are ignored: the range is aligned.
        c.addr = (ATC_ADDR.get(dw1) << 12) & ~(size >= 52 ? ~0ull : c.span - 1);
        return;
    }
    case OP_PRI_RESP:
        c.sid = static_cast<uint32_t>(PRI_SID.get(dw0));
        c.ssv = SSV.get(dw0);
        c.ssid = static_cast<uint32_t>(PRI_SSID.get(dw0));
        return;
    case OP_RESUME:
        c.sid = static_cast<uint32_t>(RESUME_SID.get(dw0));
        return;
    case OP_STALL_TERM:
        c.sid = static_cast<uint32_t>(STALL_TERM_SID.get(dw0));
        return;
    case OP_CMD_SYNC:
        c.cs = static_cast<uint8_t>(SYNC_CS.get(dw0));
        c.msi_data = static_cast<uint32_t>(SYNC_MSIDATA.get(dw0));
        c.msi_addr = SYNC_MSIADDR.get(dw1) << 2;
        return;
    default:
        return;
    }
}

}  // namespace

namespace {

// The command written into `c` (every field: a blank command, then its
// words, opcode and class; its other fields when no rule refuses it, `r`
// being the rule it breaks).
[[gnu::always_inline]] inline void decode_into(Command& c, uint64_t dw0, uint64_t dw1, const DecodeRule* r, const CommandFeatures& f)
{
    c = Command{};
    c.dw0 = dw0;
    c.dw1 = dw1;
    const uint8_t op = static_cast<uint8_t>(OPCODE.get(dw0));
    c.op = static_cast<Opcode>(op);
    c.cls = kClassByOp[op];
    if (!r)
        decode_fields(c, f);
}

// The same into `d`, with the verdict and its reason.
[[gnu::always_inline]] inline void decode_into(Decoded& d, uint64_t dw0, uint64_t dw1, const DecodeRule* r, const CommandFeatures& f)
{
    decode_into(d.cmd, dw0, dw1, r, f);
    d.ok = r == nullptr;
    d.why = r ? r->why : nullptr;
}

}  // namespace

Decoded decode_command(uint64_t dw0, uint64_t dw1, const CommandFeatures& f)
{
    Decoded d{};
    decode_into(d, dw0, dw1, broken_rule(dw0, dw1, f), f);
    return d;
}

Decoded decode_command(uint64_t dw0, uint64_t dw1, const DecodeRuleTable& rules)
{
    Decoded d{};
    decode_command_into(d, dw0, dw1, rules);
    return d;
}

void decode_command_into(Decoded& d, uint64_t dw0, uint64_t dw1, const DecodeRuleTable& rules)
{
    decode_into(d, dw0, dw1, rules.broken(dw0, dw1), rules.features());
}

bool decode_command_into(Command& c, uint64_t dw0, uint64_t dw1, const DecodeRuleTable& rules)
{
    const DecodeRule* r = rules.broken(dw0, dw1);
    decode_into(c, dw0, dw1, r, rules.features());
    return r == nullptr;
}

size_t decode_commands_into(Command* out, const uint64_t* words, size_t n, const DecodeRuleTable& rules)
{
    const CommandFeatures& f = rules.features();
    for (size_t i = 0; i < n; i++) {
        const uint64_t dw0 = words[2 * i], dw1 = words[2 * i + 1];
        const DecodeRule* r = rules.broken(dw0, dw1);
        decode_into(out[i], dw0, dw1, r, f);
        if (r)
            return i;
    }
    return n;
}

}  // namespace smmusim::smmuv3

namespace smmusim::smmuv3 {

int opcode_by_name(const std::string& name)
{
    if (name == "CFGI_ALL")
        return OP_CFGI_STE_RANGE;
    for (int op = 0; op < 256; op++)
        if (name == opcode_name(static_cast<uint8_t>(op)) && name != "UNKNOWN")
            return op;
    return -1;
}

const std::vector<FieldSpec>& command_fields(uint8_t op)
{
    using namespace cmdf;
    static const std::vector<FieldSpec> none;
    static const std::vector<FieldSpec> prefetch = {
        {"sid", 0, PREFETCH_SID, 0}, {"ssid", 0, PREFETCH_SSID, 0}, {"ssv", 0, SSV, 0},
        {"size", 1, PREFETCH_SIZE, 0}, {"addr", 1, PREFETCH_ADDR, 12}};
    static const std::vector<FieldSpec> cfgi = {
        {"sid", 0, CFGI_SID, 0}, {"ssid", 0, CFGI_SSID, 0}, {"leaf", 1, CFGI_LEAF, 0}};
    static const std::vector<FieldSpec> cfgi_range = {{"sid", 0, CFGI_SID, 0}, {"range", 1, CFGI_RANGE, 0}};
    static const std::vector<FieldSpec> cfgi_sid = {{"sid", 0, CFGI_SID, 0}};
    static const std::vector<FieldSpec> tlbi_all = {{"vmid", 0, TLBI_VMID, 0}};
    static const std::vector<FieldSpec> tlbi_asid = {{"vmid", 0, TLBI_VMID, 0}, {"asid", 0, TLBI_ASID, 0}};
    static const std::vector<FieldSpec> tlbi_va = {
        {"vmid", 0, TLBI_VMID, 0}, {"asid", 0, TLBI_ASID, 0}, {"num", 0, TLBI_NUM, 0},
        {"scale", 0, TLBI_SCALE, 0}, {"leaf", 1, TLBI_LEAF, 0}, {"ttl", 1, TLBI_TTL, 0},
        {"tg", 1, TLBI_TG, 0}, {"addr", 1, TLBI_VA, 12}};
    static const std::vector<FieldSpec> tlbi_ipa = {
        {"vmid", 0, TLBI_VMID, 0}, {"num", 0, TLBI_NUM, 0}, {"scale", 0, TLBI_SCALE, 0},
        {"leaf", 1, TLBI_LEAF, 0}, {"ttl", 1, TLBI_TTL, 0}, {"tg", 1, TLBI_TG, 0}, {"addr", 1, TLBI_IPA, 12}};
    static const std::vector<FieldSpec> atc = {
        {"sid", 0, ATC_SID, 0}, {"ssid", 0, ATC_SSID, 0}, {"ssv", 0, SSV, 0}, {"global", 0, ATC_GLOBAL, 0},
        {"size", 1, ATC_SIZE, 0}, {"addr", 1, ATC_ADDR, 12}};
    static const std::vector<FieldSpec> pri = {
        {"sid", 0, PRI_SID, 0}, {"ssid", 0, PRI_SSID, 0}, {"ssv", 0, SSV, 0},
        {"grpid", 1, PRI_GRPID, 0}, {"resp", 1, PRI_RESP, 0}};
    static const std::vector<FieldSpec> resume = {
        {"sid", 0, RESUME_SID, 0}, {"resp", 0, RESUME_RESP, 0}, {"stag", 1, RESUME_STAG, 0}};
    static const std::vector<FieldSpec> stall_term = {{"sid", 0, STALL_TERM_SID, 0}};
    static const std::vector<FieldSpec> sync = {
        {"cs", 0, SYNC_CS, 0}, {"msh", 0, SYNC_MSH, 0}, {"msiattr", 0, SYNC_MSIATTR, 0},
        {"msidata", 0, SYNC_MSIDATA, 0}, {"msiaddr", 1, SYNC_MSIADDR, 2}};
    switch (op) {
    case OP_PREFETCH_CONFIG:
    case OP_PREFETCH_ADDR: return prefetch;
    case OP_CFGI_STE:
    case OP_CFGI_CD: return cfgi;
    case OP_CFGI_STE_RANGE: return cfgi_range;
    case OP_CFGI_CD_ALL: return cfgi_sid;
    case OP_TLBI_NH_ALL:
    case OP_TLBI_S12_VMALL: return tlbi_all;
    case OP_TLBI_NH_ASID:
    case OP_TLBI_EL2_ASID: return tlbi_asid;
    case OP_TLBI_NH_VA:
    case OP_TLBI_NH_VAA:
    case OP_TLBI_EL2_VA:
    case OP_TLBI_EL2_VAA: return tlbi_va;
    case OP_TLBI_S2_IPA: return tlbi_ipa;
    case OP_ATC_INV: return atc;
    case OP_PRI_RESP: return pri;
    case OP_RESUME: return resume;
    case OP_STALL_TERM: return stall_term;
    case OP_CMD_SYNC: return sync;
    default: return none;
    }
}

const FieldSpec* find_field(uint8_t op, const std::string& name)
{
    for (const FieldSpec& f : command_fields(op))
        if (name == f.name)
            return &f;
    return nullptr;
}

bool command_by_name(const std::string& name, CommandName& c)
{
    const int op = opcode_by_name(name);
    if (op < 0)
        return false;
    c = CommandName{static_cast<uint8_t>(op)};
    if (name == "CFGI_ALL") {  // CFGI_STE_RANGE with Range = 31: every StreamID
        c.implied = find_field(OP_CFGI_STE_RANGE, "range");
        c.implied_value = 31;
    }
    return true;
}

bool field_value_by_name(uint8_t op, const FieldSpec& f, std::string_view word, uint64_t& v)
{
    if (op != OP_CMD_SYNC || std::string_view(f.name) != "cs")
        return false;
    static const std::pair<const char*, uint64_t> kCs[] = {{"none", CS_NONE}, {"irq", CS_IRQ}, {"sev", CS_SEV}};
    for (const auto& [n, cs] : kCs)
        if (word == n) {
            v = cs;
            return true;
        }
    return false;
}

FieldFit field_fit(const FieldSpec& f, uint64_t v)
{
    if (f.shift && (v & ((1ull << f.shift) - 1)))
        return FieldFit::Unaligned;
    return f.field.fits(v >> f.shift) ? FieldFit::Fits : FieldFit::TooWide;
}

void put_field(const FieldSpec& f, uint64_t v, uint64_t& dw0, uint64_t& dw1)
{
    (f.dword ? dw1 : dw0) |= f.field.put(v >> f.shift);
}

uint64_t get_field(const FieldSpec& f, uint64_t dw0, uint64_t dw1)
{
    return f.field.get(f.dword ? dw1 : dw0) << f.shift;
}

EncodedCommand encode_command(const std::string& name, const std::vector<std::pair<std::string, uint64_t>>& fields)
{
    CommandName n;
    if (!command_by_name(name, n))
        throw std::invalid_argument("unknown command '" + name + "'");
    EncodedCommand c{n.op, OPCODE.put(n.op), 0};
    if (n.implied)
        put_field(*n.implied, n.implied_value, c.dw0, c.dw1);
    for (const auto& [field, v] : fields) {
        const FieldSpec* f = find_field(n.op, field);
        if (!f)
            throw std::invalid_argument(name + " has no field '" + field + "'");
        if (field_fit(*f, v) != FieldFit::Fits)
            throw std::invalid_argument(name + ": " + field + " = " + std::to_string(v) + " does not fit its field");
        put_field(*f, v, c.dw0, c.dw1);
    }
    return c;
}

}  // namespace smmusim::smmuv3
