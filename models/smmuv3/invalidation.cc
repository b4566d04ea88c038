// SPDX-License-Identifier: GPL-2.0-only
// Decoded command -> invalidation scope (invalidation.h).
#include "invalidation.h"

namespace smmusim::smmuv3 {

using namespace cmdf;

namespace {

using Scope = InvalidationScope;

Scope::Regime tlbi_regime(Opcode op)
{
    switch (op) {
    case OP_TLBI_EL2_ALL:
    case OP_TLBI_EL2_ASID:
    case OP_TLBI_EL2_VA:
    case OP_TLBI_EL2_VAA: return Scope::Regime::El2;
    case OP_TLBI_S12_VMALL:
    case OP_TLBI_S2_IPA: return Scope::Regime::S2;
    case OP_TLBI_NSNH_ALL: return Scope::Regime::Nsnh;
    default: return Scope::Regime::Nh;
    }
}

// `s` made a blank scope of `kind` for the command `op`.
void fresh(Scope& s, Opcode op, Scope::Kind kind)
{
    s = Scope{};
    s.op = op;
    s.kind = kind;
}

void tlb_scope(const Command& c, Scope& s)
{
    s.regime = tlbi_regime(c.op);
    s.by_vmid = s.regime == Scope::Regime::Nh || s.regime == Scope::Regime::S2;
    s.vmid = s.by_vmid ? c.vmid : 0;
    s.by_asid = c.op == OP_TLBI_NH_ASID || c.op == OP_TLBI_NH_VA || c.op == OP_TLBI_EL2_ASID ||
                c.op == OP_TLBI_EL2_VA;
    s.asid = s.by_asid ? c.asid : 0;
    s.by_address = c.cls == CmdClass::TlbiVa;
    if (!s.by_address)
        return;
    s.addr = c.addr;
    s.span = c.span;
    s.leaf = c.leaf;
    s.tg = static_cast<uint8_t>(TLBI_TG.get(c.dw1));
    s.ttl = static_cast<uint8_t>(TLBI_TTL.get(c.dw1));
    s.num = static_cast<uint8_t>(TLBI_NUM.get(c.dw0));
    s.scale = static_cast<uint8_t>(TLBI_SCALE.get(c.dw0));
}

}  // namespace

// One switch on the opcode: each scope is started from a blank one
// (fresh()) only once the command is known to invalidate something.
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
        fresh(s, c.op, Scope::Kind::Tlb);
        tlb_scope(c, s);
        return true;
    }
}

}  // namespace smmusim::smmuv3
