// SPDX-License-Identifier: GPL-2.0-only
// Decoded command -> invalidation scope (invalidation.h).
#include "invalidation.h"

namespace smmusim::smmuv3 {

using namespace cmdf;

namespace {

using Scope = InvalidationScope;

// What a TLBI's opcode alone says of its scope.
struct TlbiShape {
    Scope::Regime regime = Scope::Regime::Nh;
    bool by_vmid = true;
    bool by_asid = false;
};

constexpr TlbiShape tlbi_shape(unsigned op)
{
    TlbiShape t;
    switch (op) {
    case OP_TLBI_EL2_ALL:
    case OP_TLBI_EL2_VAA: t.regime = Scope::Regime::El2; break;
    case OP_TLBI_EL2_ASID:
    case OP_TLBI_EL2_VA: t.regime = Scope::Regime::El2; t.by_asid = true; break;
    case OP_TLBI_S12_VMALL:
    case OP_TLBI_S2_IPA: t.regime = Scope::Regime::S2; break;
    case OP_TLBI_NSNH_ALL: t.regime = Scope::Regime::Nsnh; break;
    case OP_TLBI_NH_ASID:
    case OP_TLBI_NH_VA: t.by_asid = true; break;
    default: break;  // NH_ALL, NH_VAA (and any other: NH)
    }
    t.by_vmid = t.regime == Scope::Regime::Nh || t.regime == Scope::Regime::S2;
    return t;
}

// Indexed by opcode, built at compile time: one load per TLBI instead of
// the comparisons.
struct TlbiShapes {
    TlbiShape by_op[256];
    constexpr TlbiShapes() : by_op{}
    {
        for (unsigned op = 0; op < 256; op++)
            by_op[op] = tlbi_shape(op);
    }
};
constexpr TlbiShapes kTlbiShapes;

// `s` made a blank scope of `kind` for the command `op`.
void fresh(Scope& s, Opcode op, Scope::Kind kind)
{
    s = Scope{};
    s.op = op;
    s.kind = kind;
}

// A TLBI's scope written field by field over whatever `s` held: each TLB
// field from the command, each other kind's field its blank value (as
// fresh() would leave it), without zeroing the whole scope first.
void tlb_scope(const Command& c, Scope& s)
{
    const TlbiShape& t = kTlbiShapes.by_op[uint8_t(c.op)];
    s.kind = Scope::Kind::Tlb;
    s.op = c.op;
    s.regime = t.regime;
    s.by_vmid = t.by_vmid;
    s.vmid = t.by_vmid ? c.vmid : 0;
    s.by_asid = t.by_asid;
    s.asid = t.by_asid ? c.asid : 0;
    s.by_address = c.cls == CmdClass::TlbiVa;
    if (s.by_address) {
        s.addr = c.addr;
        s.span = c.span;
        s.leaf = c.leaf;
        s.tg = static_cast<uint8_t>(TLBI_TG.get(c.dw1));
        s.ttl = static_cast<uint8_t>(TLBI_TTL.get(c.dw1));
        s.num = static_cast<uint8_t>(TLBI_NUM.get(c.dw0));
        s.scale = static_cast<uint8_t>(TLBI_SCALE.get(c.dw0));
    } else {
        s.addr = 0;
        s.span = 0;
        s.leaf = false;
        s.tg = s.ttl = s.num = s.scale = 0;
    }
    const Scope blank;
    s.sid = blank.sid;
    s.sid_span = blank.sid_span;
    s.by_ssid = blank.by_ssid;
    s.ssid = blank.ssid;
    s.global = blank.global;
}

}  // namespace

// One switch on the opcode: a configuration or ATC scope is started from a
// blank one (fresh()) only once the command is known to invalidate
// something; a TLBI's (the common case) is written field by field.
bool invalidation_scope(const Command& c, InvalidationScope& s)
{
    switch (c.op) {
    case OP_CFGI_STE:
    case OP_CFGI_STE_RANGE:
        fresh(s, c.op, Scope::Kind::Ste);
        s.sid = c.sid;
        s.sid_span = c.sid_span;
        s.leaf = c.op == OP_CFGI_STE && c.leaf;
        return true;
    case OP_CFGI_CD:
    case OP_CFGI_CD_ALL:
        fresh(s, c.op, Scope::Kind::Cd);
        s.sid = c.sid;
        s.by_ssid = c.op == OP_CFGI_CD;
        s.ssid = s.by_ssid ? c.ssid : 0;
        s.leaf = c.op == OP_CFGI_CD && c.leaf;
        return true;
    case OP_ATC_INV:
        fresh(s, c.op, Scope::Kind::Atc);
        s.sid = c.sid;
        s.by_ssid = c.ssv;
        s.ssid = c.ssv ? c.ssid : 0;
        s.global = ATC_GLOBAL.get(c.dw0);
        s.addr = c.addr;
        s.span = c.span;
        return true;
    default:
        if (c.cls != CmdClass::TlbiAll && c.cls != CmdClass::TlbiAsid && c.cls != CmdClass::TlbiVa)
            return false;  // CMD_SYNC, PREFETCH_*, ...: no scope to build
        tlb_scope(c, s);
        return true;
    }
}

}  // namespace smmusim::smmuv3
