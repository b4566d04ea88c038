// SPDX-License-Identifier: GPL-2.0-only
// The Stream Table Entry (IHI 0070 5.2): its fields, named as the
// architecture names them, and decode_ste(), which checks every validity
// rule the model knows of and turns a valid STE into a StreamConfig.
//
// What decodes to what:
//   V = 0, or any ILLEGAL configuration     -> Fault C_BAD_STE (reason: SteReason)
//   Config = 0b000 (and reserved 0b001..011) -> StreamMode::Abort: the
//        transaction is terminated with an abort and NO event is recorded
//        (5.2 Config: "Report abort to device, no event recorded")
//   Config = 0b100                          -> StreamMode::Bypass
//   Config = 0b101 / 0b110 / 0b111          -> StreamMode::Translate, s1 / s2 / both
//
// A configuration the model does not implement is ILLEGAL here too, never
// translated otherwise than it says (each such rule says "model"):
// VMSAv8-32 LPAE stage 2 (the model advertises IDR0.TTF = AArch64 only, so
// this one is architected), stalls (IDR0.STALL_MODEL = 0b01), HTTU (IDR0.HTTU
// = 0). Fields recorded without effect: S1CIR/S1COR/S1CSH, SHCFG and the
// other attribute overrides, MEV, S2FWB, S2IR0/S2OR0/S2SH0, CONT, DRE, DCP.
// Not here: finding the STE (stream_table.h), the CD (cd.h).
#pragma once

#include <cstdint>
#include <variant>

#include "../smmuv3_regs.h"
#include "struct_field.h"
#include "types.h"

namespace smmusim::smmuv3 {

namespace ste {
// Doubleword 0
constexpr DwordField V{0, bit(0)}, Config{0, {3, 1}}, S1Fmt{0, {5, 4}}, S1ContextPtr{0, {51, 6}},
    S1CDMax{0, {63, 59}};
// Doubleword 1 (bits [127:64])
constexpr DwordField S1DSS{1, {1, 0}}, S1CIR{1, {3, 2}}, S1COR{1, {5, 4}}, S1CSH{1, {7, 6}}, DRE{1, bit(12)},
    CONT{1, {16, 13}}, DCP{1, bit(17)}, PPAR{1, bit(18)}, MEV{1, bit(19)}, S1PIE{1, bit(24)}, S2FWB{1, bit(25)},
    S1MPAM{1, bit(26)}, S1STALLD{1, bit(27)}, EATS{1, {29, 28}}, STRW{1, {31, 30}}, MemAttr{1, {35, 32}},
    MTCFG{1, bit(36)}, ALLOCCFG{1, {40, 37}}, SHCFG{1, {45, 44}}, NSCFG{1, {47, 46}}, PRIVCFG{1, {49, 48}},
    INSTCFG{1, {51, 50}};
// Doubleword 2 (bits [191:128]); S2T0SZ..S2PS are VTCR_EL2's fields at [50:32]
constexpr DwordField S2VMID{2, {15, 0}}, S2T0SZ{2, {37, 32}}, S2SL0{2, {39, 38}}, S2IR0{2, {41, 40}},
    S2OR0{2, {43, 42}}, S2SH0{2, {45, 44}}, S2TG{2, {47, 46}}, S2PS{2, {50, 48}}, S2AA64{2, bit(51)},
    S2ENDI{2, bit(52)}, S2AFFD{2, bit(53)}, S2PTW{2, bit(54)}, S2HD{2, bit(55)}, S2HA{2, bit(56)}, S2S{2, bit(57)},
    S2R{2, bit(58)};
// Doubleword 3 (bits [255:192]): S2TTB holds address bits [51:4]
constexpr DwordField S2TTB{3, {51, 4}};

// Config values
constexpr uint64_t CONFIG_ABORT = 0b000, CONFIG_BYPASS = 0b100, CONFIG_S1_TRANS = 0b101, CONFIG_S2_TRANS = 0b110,
                   CONFIG_NESTED = 0b111;
// S1Fmt, S1DSS, EATS, STRW values
constexpr uint64_t S1FMT_LINEAR = 0, S1FMT_4K_L2 = 1, S1FMT_64K_L2 = 2;
constexpr uint64_t S1DSS_TERMINATE = 0, S1DSS_BYPASS = 1, S1DSS_SSID0 = 2;
constexpr uint64_t EATS_ABT = 0, EATS_TRANS = 1, EATS_S1CHK = 2;
constexpr uint64_t STRW_NSEL1 = 0, STRW_EL2 = 2;
}  // namespace ste

// What STE (and CD) validity depends on besides the structure itself: the
// SMMU's ID registers and its CR0/CR2. from_registers() reads them as the
// model's registers hold them; tests set the fields directly.
struct SteContext {
    bool s1p = true, s2p = true;   // IDR0.S1P, S2P
    bool hyp = true;               // IDR0.HYP: STRW may select EL2
    bool ats = true;               // IDR0.ATS: STE.EATS is not IGNORED
    bool ns1ats = false;           // IDR0.NS1ATS: split-stage ATS not supported
    bool asid16 = true, vmid16 = true;  // IDR0.ASID16, VMID16
    bool cd2l = true;              // IDR0.CD2L: 2-level CD tables
    bool st_2lvl = true;           // IDR0.ST_LVL = 0b01: STRTAB_BASE_CFG.FMT is not RES0
    bool ttf_aa64 = true;          // IDR0.TTF[1]: VMSAv8-64 tables (TTF[0], VMSAv8-32 LPAE: never)
    uint8_t httu = 0;              // IDR0.HTTU
    uint8_t ttendian = 0;          // IDR0.TTENDIAN: 0b00 mixed, 0b10 little only, 0b11 big only
    uint8_t stall_model = 1;       // IDR0.STALL_MODEL: 0b01 = no stall
    bool term_model = false;       // IDR0.TERM_MODEL: 1 = abort only (CD.A = 0 ILLEGAL)
    unsigned sidsize = 16, ssidsize = 20;  // IDR1.SIDSIZE, SSIDSIZE
    bool fwb = true;               // IDR3.FWB: STE.S2FWB is not RES0
    bool stt = false;              // IDR3.STT: small translation tables
    unsigned oas_bits = 48;        // IDR5.OAS as bits; also the IAS (no AArch32 tables: IAS = OAS, IHI 0070 3.4)
    unsigned va_bits = 48;         // IDR5.VAX: 48 (52 = VAX 0b01)
    bool gran4k = true, gran16k = true, gran64k = true;  // IDR5.GRAN*
    bool e2h = false;              // CR2.E2H: STRW = EL2 means EL2&0 (E2H)
    bool recinvsid = true;         // CR2.RECINVSID: C_BAD_STREAMID is recorded
    bool atschk = false;           // CR0.ATSCHK

    bool granule_ok(Granule g) const
    {
        return g == Granule::k4K ? gran4k : g == Granule::k16K ? gran16k : gran64k;
    }
    // Translation tables of this endianness are implemented (IDR0.TTENDIAN).
    bool endianness_ok(bool big) const
    {
        return big ? ttendian != idr0::TTENDIAN_LE : ttendian != idr0::TTENDIAN_BE;
    }
    static SteContext from_registers(uint32_t idr0, uint32_t idr1, uint32_t idr3, uint32_t idr5, uint32_t cr0,
                                     uint32_t cr2);
};

// Which rule made an STE C_BAD_STE: Fault::reason (the model's own code; the
// event record's reason field is IMPLEMENTATION DEFINED).
enum class SteReason : uint8_t {
    None = 0,
    Invalid,          // V = 0 (5.2 V)
    S1NotImpl,        // Config = 0b1x1 without IDR0.S1P (5.2 Config)
    S2NotImpl,        // Config = 0b11x without IDR0.S2P (5.2 Config)
    S1CDMax,          // S1CDMax > IDR1.SSIDSIZE (5.2 S1CDMax)
    S1Fmt,            // S1Fmt != 0 with substreams and no IDR0.CD2L (5.2 S1Fmt)
    S1ContextPtr,     // S1ContextPtr beyond the OAS / IAS (3.4.3, SMMUv3.1 and later)
    S1StallD,         // S1STALLD = 1 and STALL_MODEL != 0b00 (5.5)
    Strw,             // STRW = 0bx1 (5.2 STRW)
    S2Aa64,           // S2AA64 = 0: VMSAv8-32 LPAE, IDR0.TTF[0] = 0 (5.2 S2AA64)
    S2Tg,             // S2TG reserved or a granule IDR5 does not list (5.2 S2TG)
    S2T0SZ,           // S2T0SZ outside [MAX(16, 64 - IAS) or 12 with 64K, 39] (5.2 S2T0SZ)
    S2SL0,            // S2SL0 reserved or inconsistent with S2T0SZ/S2TG (5.2 S2SL0, Arm ARM VTCR_EL2)
    S2Ttb,            // S2TTB beyond the effective S2PS or beyond 48 bits with 4K/16K (5.2 S2TTB)
    S2Endi,           // S2ENDI selects an endianness IDR0.TTENDIAN lacks (5.2 S2ENDI)
    S2Httu,           // S2HA/S2HD beyond IDR0.HTTU (5.2 S2HA)
    S2Stall,          // S2S = 1 with STALL_MODEL 0b01, or 0 with 0b10 (5.5)
    S2Vmid,           // S2VMID[15:8] != 0 without IDR0.VMID16 (5.2 S2VMID)
    Eats,             // EATS = 0b01 with stage 2 and S2S = 1; 0b10 without nesting / with S2S / NS1ATS (5.2 EATS)
};

// decode_ste's answer: the configuration, or the C_BAD_STE fault.
using SteDecode = std::variant<StreamConfig, Fault>;

SteDecode decode_ste(const Dwords8& ste, const SteContext& ctx);

}  // namespace smmusim::smmuv3
