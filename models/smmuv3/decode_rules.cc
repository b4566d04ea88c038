// SPDX-License-Identifier: GPL-2.0-only
#include "decode_rules.h"

#include <array>
#include <cstring>

namespace smmusim::smmuv3 {

using namespace cmdf;

namespace {

// --- which opcodes a rule looks at -----------------------------------------
bool any_op(uint8_t) { return true; }
// The opcodes IHI 0070 §4.1.1 defines (those opcode_name() knows), as a
// table: one load per command instead of a name lookup and a strcmp.
const std::array<bool, 256>& architected_opcodes()
{
    static const std::array<bool, 256> table = [] {
        std::array<bool, 256> t{};
        for (unsigned op = 0; op < t.size(); op++)
            t[op] = std::strcmp(opcode_name(static_cast<uint8_t>(op)), "UNKNOWN") != 0;
        return t;
    }();
    return table;
}
bool architected(uint8_t op) { return architected_opcodes()[op]; }
bool el3(uint8_t op) { return op == OP_TLBI_EL3_ALL || op == OP_TLBI_EL3_VA; }
bool vms(uint8_t op) { return op == OP_CFGI_VMS_PIDM; }
bool tlbi_nh(uint8_t op) { return op >= OP_TLBI_NH_ALL && op <= OP_TLBI_NH_VAA; }
bool tlbi_el2(uint8_t op) { return op >= OP_TLBI_EL2_ALL && op <= OP_TLBI_EL2_VAA; }
bool tlbi_s2(uint8_t op) { return op == OP_TLBI_S12_VMALL || op == OP_TLBI_S2_IPA; }
bool atc_inv(uint8_t op) { return op == OP_ATC_INV; }
bool pri_resp(uint8_t op) { return op == OP_PRI_RESP; }
bool stall_cmd(uint8_t op) { return op == OP_RESUME || op == OP_STALL_TERM; }
bool resume(uint8_t op) { return op == OP_RESUME; }
bool sync(uint8_t op) { return op == OP_CMD_SYNC; }
// Commands with an SSV bit and a SubstreamID.
bool has_ssv(uint8_t op)
{
    return op == OP_PREFETCH_CONFIG || op == OP_PREFETCH_ADDR || op == OP_ATC_INV || op == OP_PRI_RESP;
}
bool cfgi_cd(uint8_t op) { return op == OP_CFGI_CD; }
// Commands with an ASID field that the SMMU uses.
bool has_asid(uint8_t op)
{
    return op == OP_TLBI_NH_ASID || op == OP_TLBI_NH_VA || op == OP_TLBI_EL2_ASID || op == OP_TLBI_EL2_VA;
}
// Commands with a VMID field that the SMMU uses.
bool has_vmid(uint8_t op) { return tlbi_nh(op) || tlbi_s2(op); }
// Commands with the range fields TG, TTL, NUM and SCALE.
bool range_tlbi(uint8_t op)
{
    return op == OP_TLBI_NH_VA || op == OP_TLBI_NH_VAA || op == OP_TLBI_EL2_VA || op == OP_TLBI_EL2_VAA ||
           op == OP_TLBI_S2_IPA;
}

bool any_range_field(uint64_t dw0, uint64_t dw1)
{
    return TLBI_TG.get(dw1) || TLBI_TTL.get(dw1) || TLBI_NUM.get(dw0) || TLBI_SCALE.get(dw0);
}

bool granule_implemented(uint64_t tg, const CommandFeatures& f)
{
    return tg == 1 ? f.gran4k : tg == 2 ? f.gran16k : f.gran64k;
}

using F = const CommandFeatures&;

// The range fields: TG and TTL in dword 1, NUM and SCALE in dword 0.
constexpr uint64_t kRangeDw0 = TLBI_NUM.mask() | TLBI_SCALE.mask();
constexpr uint64_t kRangeDw1 = TLBI_TG.mask() | TLBI_TTL.mask();

}  // namespace

unsigned effective_ttl(uint64_t dw1, const CommandFeatures& f)
{
    const unsigned ttl = static_cast<unsigned>(TLBI_TTL.get(dw1));
    if (TLBI_TG.get(dw1) == 2 && ttl == 1 && !f.ds)
        return 0;
    return ttl;
}

const std::vector<DecodeRule>& decode_rules()
{
    static const std::vector<DecodeRule> rules = {
        // Opcodes.
        {"opcode.reserved", "IHI 0070 §4.1.1 (command opcodes)", any_op,
         [](uint64_t dw0, uint64_t, F) { return !architected(static_cast<uint8_t>(OPCODE.get(dw0))); },
         "unknown opcode", [](uint8_t op, F) { return !architected(op); }},
        {"opcode.el3", "IHI 0070 §4.4 (TLBI_EL3_*: Secure command queue only)", el3,
         [](uint64_t, uint64_t, F) { return true; }, "EL3 TLBI on the Non-secure command queue"},
        {"opcode.vms", "IHI 0070 §4.3 (CFGI_VMS_PIDM needs VMS; not implemented)", vms,
         [](uint64_t, uint64_t, F) { return true; }, "CFGI_VMS_PIDM: VMS not implemented"},
        // Commands of features the ID registers say are absent.
        {"feature.s1p", "IHI 0070 §4.4 (stage-1 TLBIs need IDR0.S1P)",
         [](uint8_t op) { return tlbi_nh(op) || tlbi_el2(op); }, [](uint64_t, uint64_t, F f) { return !f.s1p; },
         "stage-1 TLBI but IDR0.S1P = 0", [](uint8_t, F f) { return !f.s1p; }},
        {"feature.hyp", "IHI 0070 §4.4 (TLBI_EL2_* need IDR0.HYP)", tlbi_el2,
         [](uint64_t, uint64_t, F f) { return !f.hyp; }, "EL2 TLBI but IDR0.HYP = 0",
         [](uint8_t, F f) { return !f.hyp; }},
        {"feature.s2p", "IHI 0070 §4.4 (stage-2 TLBIs need IDR0.S2P)", tlbi_s2,
         [](uint64_t, uint64_t, F f) { return !f.s2p; }, "stage-2 TLBI but IDR0.S2P = 0",
         [](uint8_t, F f) { return !f.s2p; }},
        {"feature.ats", "IHI 0070 §4.5 (ATC_INV needs IDR0.ATS)", atc_inv,
         [](uint64_t, uint64_t, F f) { return !f.ats; }, "ATC_INV but IDR0.ATS = 0",
         [](uint8_t, F f) { return !f.ats; }},
        {"feature.pri", "IHI 0070 §4.5 (PRI_RESP needs IDR0.PRI)", pri_resp,
         [](uint64_t, uint64_t, F f) { return !f.pri; }, "PRI_RESP but IDR0.PRI = 0",
         [](uint8_t, F f) { return !f.pri; }},
        {"feature.stall", "IHI 0070 §4.6 (RESUME/STALL_TERM need a stall model)", stall_cmd,
         [](uint64_t, uint64_t, F f) { return !f.stall; }, "RESUME/STALL_TERM but stalls are not supported",
         [](uint8_t, F f) { return !f.stall; }},
        // SubstreamIDs.
        {"ssv.no_substreams", "IHI 0070 §4.2, §4.5 (SSV = 1 needs IDR1.SSIDSIZE > 0)", has_ssv,
         [](uint64_t dw0, uint64_t, F f) { return SSV.get(dw0) && f.ssidsize == 0; },
         "SSV set but IDR1.SSIDSIZE = 0", [](uint8_t, F f) { return f.ssidsize == 0; }, SSV.mask()},
        {"ssid.width", "choice: SubstreamID wider than IDR1.SSIDSIZE (README Decisions)",
         [](uint8_t op) { return has_ssv(op) || cfgi_cd(op); },
         [](uint64_t dw0, uint64_t, F f) {
             const bool used = cfgi_cd(static_cast<uint8_t>(OPCODE.get(dw0))) || SSV.get(dw0);
             return used && f.ssidsize < 20 && (CFGI_SSID.get(dw0) >> f.ssidsize) != 0;
         },
         "SubstreamID wider than IDR1.SSIDSIZE", [](uint8_t, F f) { return f.ssidsize < 20; },
         SSV.mask() | CFGI_SSID.mask()},
        // ASID and VMID widths.
        {"asid.width", "choice: ASID[15:8] with IDR0.ASID16 = 0 (README Decisions)", has_asid,
         [](uint64_t dw0, uint64_t, F f) { return !f.asid16 && (TLBI_ASID.get(dw0) >> 8) != 0; },
         "ASID wider than 8 bits but IDR0.ASID16 = 0", [](uint8_t, F f) { return !f.asid16; }, TLBI_ASID.mask()},
        {"vmid.width", "choice: VMID[15:8] with IDR0.VMID16 = 0 (README Decisions)", has_vmid,
         [](uint64_t dw0, uint64_t, F f) { return !f.vmid16 && (TLBI_VMID.get(dw0) >> 8) != 0; },
         "VMID wider than 8 bits but IDR0.VMID16 = 0", [](uint8_t, F f) { return !f.vmid16; }, TLBI_VMID.mask()},
        // Range invalidation (SMMUv3.2 IDR3.RIL): TG, TTL, NUM, SCALE.
        {"range.no_ril", "IHI 0070 §4.4 (range fields need IDR3.RIL)", range_tlbi,
         [](uint64_t dw0, uint64_t dw1, F f) { return !f.ril && any_range_field(dw0, dw1); },
         "range/TTL fields set but IDR3.RIL = 0", [](uint8_t, F f) { return !f.ril; }, kRangeDw0, kRangeDw1},
        {"range.tg0_num_scale", "choice: NUM/SCALE with TG = 0 (README Decisions)", range_tlbi,
         [](uint64_t dw0, uint64_t dw1, F) {
             return TLBI_TG.get(dw1) == 0 && (TLBI_NUM.get(dw0) || TLBI_SCALE.get(dw0));
         },
         "NUM/SCALE set with TG = 0", nullptr, TLBI_NUM.mask() | TLBI_SCALE.mask()},
        {"range.tg0_ttl", "choice: TTL with TG = 0 (README Decisions)", range_tlbi,
         [](uint64_t, uint64_t dw1, F) { return TLBI_TG.get(dw1) == 0 && TLBI_TTL.get(dw1) != 0; },
         "TTL set with TG = 0", nullptr, 0, TLBI_TTL.mask()},
        {"range.scale_ds", "choice: SCALE above 31 (bit 25) without IDR5.DS (README Decisions)", range_tlbi,
         [](uint64_t dw0, uint64_t, F f) { return !f.ds && TLBI_SCALE.get(dw0) > 31; },
         "SCALE above 31 but IDR5.DS = 0", [](uint8_t, F f) { return !f.ds; }, TLBI_SCALE.mask()},
        {"range.granule", "choice: TG of a granule IDR5 does not advertise (README Decisions)", range_tlbi,
         [](uint64_t, uint64_t dw1, F f) { return TLBI_TG.get(dw1) && !granule_implemented(TLBI_TG.get(dw1), f); },
         "TG names a granule IDR5 does not advertise", [](uint8_t, F f) { return !(f.gran4k && f.gran16k && f.gran64k); },
         0, TLBI_TG.mask()},
        {"range.ttl_num_scale_zero", "IHI 0070 §4.4 (TG != 0 with TTL = NUM = SCALE = 0 is reserved)", range_tlbi,
         [](uint64_t dw0, uint64_t dw1, F f) {
             return TLBI_TG.get(dw1) != 0 && effective_ttl(dw1, f) == 0 && TLBI_NUM.get(dw0) == 0 &&
                    TLBI_SCALE.get(dw0) == 0;
         },
         "range TLBI with TG != 0 and TTL = NUM = SCALE = 0 (16K TTL = 1 counts as 0 without IDR5.DS)", nullptr,
         kRangeDw0, kRangeDw1},
        // ATS, PRI, stalls.
        {"atc.size", "choice: ATC_INV Size above 52 (README Decisions)", atc_inv,
         [](uint64_t, uint64_t dw1, F) { return ATC_SIZE.get(dw1) > 52; }, "ATC_INV Size above 52", nullptr, 0, ATC_SIZE.mask()},
        {"pri.resp", "IHI 0070 §4.5 (PRI_RESP Resp = 0b11 is reserved)", pri_resp,
         [](uint64_t, uint64_t dw1, F) { return PRI_RESP.get(dw1) == 3; }, "PRI_RESP with reserved Resp = 3", nullptr, 0, PRI_RESP.mask()},
        {"resume.resp", "IHI 0070 §4.6 (RESUME Action = 0b11 is reserved)", resume,
         [](uint64_t dw0, uint64_t, F) { return RESUME_RESP.get(dw0) == 3; }, "RESUME with reserved Resp = 3", nullptr, RESUME_RESP.mask()},
        // CMD_SYNC.
        {"sync.cs", "IHI 0070 §4.6 (fault response and synchronization: CMD_SYNC CS = 0b11 is reserved)", sync,
         [](uint64_t dw0, uint64_t, F) { return SYNC_CS.get(dw0) == 3; }, "CMD_SYNC with reserved CS = 3", nullptr, SYNC_CS.mask()},
        {"sync.msh", "choice: CMD_SYNC MSH = 0b01 (reserved shareability) with CS = IRQ (README Decisions)", sync,
         [](uint64_t dw0, uint64_t, F) { return SYNC_CS.get(dw0) == CS_IRQ && SYNC_MSH.get(dw0) == 1; },
         "CMD_SYNC MSI with reserved shareability MSH = 1", nullptr, SYNC_CS.mask() | SYNC_MSH.mask()},
    };
    return rules;
}

namespace {

// The rules that apply to each opcode, in table order: asked once per
// opcode instead of per command (a command checks only its own rows).
const std::array<std::vector<const DecodeRule*>, 256>& rules_by_opcode()
{
    static const auto table = [] {
        std::array<std::vector<const DecodeRule*>, 256> t;
        for (unsigned op = 0; op < t.size(); op++)
            for (const DecodeRule& r : decode_rules())
                if (r.applies(static_cast<uint8_t>(op)))
                    t[op].push_back(&r);
        return t;
    }();
    return table;
}

}  // namespace

const DecodeRule* broken_rule(uint64_t dw0, uint64_t dw1, const CommandFeatures& f)
{
    for (const DecodeRule* r : rules_by_opcode()[OPCODE.get(dw0) & 0xff])
        if (r->illegal(dw0, dw1, f))
            return r;
    return nullptr;
}

DecodeRuleTable::DecodeRuleTable(const CommandFeatures& f) : f_(f)
{
    for (unsigned op = 0; op < by_op_.size(); op++) {
        Fields& z = zero_legal_[op];
        z = {0, 0, true};
        for (const DecodeRule* r : rules_by_opcode()[op]) {
            if (r->possible && !r->possible(static_cast<uint8_t>(op), f))
                continue;
            by_op_[op].push_back(r);
            z.dw0 |= r->fields_dw0;
            z.dw1 |= r->fields_dw1;
            z.valid = z.valid && (r->fields_dw0 | r->fields_dw1) != 0;
        }
    }
}

const DecodeRule* DecodeRuleTable::checked(uint64_t dw0, uint64_t dw1) const
{
    for (const DecodeRule* r : by_op_[OPCODE.get(dw0) & 0xff])
        if (r->illegal(dw0, dw1, f_))
            return r;
    return nullptr;
}

}  // namespace smmusim::smmuv3
